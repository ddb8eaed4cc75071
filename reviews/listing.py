"""How the review queue page shows its rows and its filter's choices.

Rows arrive as dicts (``selectors.QUEUE_COLUMNS``), never as model instances; district names
and clause codes come from the cached reference data (``reviews.reference``). Rows and the
filter's options are built here as HTML, escaping every text, as the dashboards' case list does
(``dashboards.listing``): a template loop over 25 rows and the filter's hundred-odd
options cost more than the query. ``html.escape`` escapes the same five characters as Django's
``escape``, at a fifth of its cost over a few hundred strings a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.utils.safestring import SafeString

from applications.models import case_number as number_of
from applications.workflow import Status
from portal.core.templatetags.portal import fen_yuan
from reviews.reference import QueueReference

STATUS_LABELS = dict(Status.choices)
URGENCY_NOTE = {"overdue": "（已逾期）", "soon": "（即将到期）"}


def case_number(row: dict) -> str:
    """As ``Application.number``: the year the case was created and its id."""
    return number_of(row["created_at"], row["id"])


def row_html(
    row: dict, ref: QueueReference, *, names: dict[int, str], can_assign: bool, case_prefix: str
) -> SafeString:
    """One ``<tr>`` of the queue, as ``templates/reviews/queue.html`` showed it; ``names`` are
    the reviewers' (``selectors.queue_assignee_names``)."""
    pk, urgency = int(row["id"]), row["urgency"]
    due = row["due_on"]
    assignee = names.get(row["review__assignee_id"], "") if row["assigned_here"] else ""
    cells = [
        f'<a href="{escape(case_prefix)}{pk}/">{case_number(row)}</a>',
        escape(row["enterprise__name"]),
        escape(ref.district_names.get(row["district_id"], "")),
        escape(ref.clause_labels.get(row["clause_id"], "")),
        escape(STATUS_LABELS.get(row["status"], row["status"])),
    ]
    tds = "".join(f"<td>{cell}</td>" for cell in cells)
    if can_assign:
        box = f'<input type="checkbox" name="cases" aria-label="选择 {case_number(row)}" value="{pk}">'
        tds = f"<td>{box}</td>" + tds
    tds += f'<td class="num">{fen_yuan(row["amount_fen"])}</td>'
    tds += f'<td class="{urgency}">{f"{due:%Y-%m-%d}" if due else "—"}{URGENCY_NOTE.get(urgency, "")}</td>'
    tds += (
        f"<td>{escape(assignee)}</td>" if assignee else '<td><span class="muted">未分派</span></td>'
    )
    return SafeString(f'<tr class="{urgency}">{tds}</tr>')


def options(choices: Iterable[tuple[str, str]], selected: str, *, empty: str) -> SafeString:
    """``<option>``s of a filter ``<select>``: the empty choice, then (value, label) pairs.

    The escaped list is built once per process for each set of choices (they change only when
    the reference data does); a request only marks its choice."""
    html = _options(tuple(choices), empty)
    if selected:
        plain = f'<option value="{escape(selected)}">'
        html = html.replace(plain, f"{plain[:-1]} selected>", 1)
    return SafeString(html)


@lru_cache(maxsize=32)
def _options(choices: tuple[tuple[str, str], ...], empty: str) -> str:
    parts = [f'<option value="">{escape(empty)}</option>']
    parts.extend(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices)
    return "".join(parts)


def filter_options(ref: QueueReference, query) -> dict[str, SafeString]:
    """The options of the queue's four lists, the current choice selected."""
    return {
        "policy": options(ref.policies, query.get("policy", ""), empty="全部政策"),
        "clause": options(ref.clauses, query.get("clause", ""), empty="全部条款"),
        "district": options(ref.districts, query.get("district", ""), empty="全部区县"),
        "state": options(Status.choices, query.get("state", ""), empty="全部状态"),
    }
