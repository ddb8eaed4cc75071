"""Each role's 工作台 (the home page): its work as numbers, each opening the list behind it.

Every figure is the count of the very list it links to, computed by that list's own selector
and filter with the link's own query (``Figure.query``): the review queue's ``QueueFilter``
over ``queue_scope``, finance's ``share_list`` (its page's form reads the link's query into the same arguments), the dashboards'
``case_list`` for a flag, the case list, the 免申即享 list. No scope rule is written here, so a
district's user counts exactly what its lists show (``tests/dashboards/test_workbench.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from applications.models import Notification
from applications.selectors import application_list, notification_list, unread_count
from applications.workflow import Status
from dashboards import selectors as dash
from dashboards.filters import CaseFilter
from dashboards.permissions import dashboard_viewer
from enterprises.selectors import verification_queue
from finance import selectors as fin
from finance.services.reminders import SOON_WORKDAYS as PAY_SOON_WORKDAYS
from portal.accounts.models import Role
from portal.core.money import from_fen
from portal.core.workdays import add_workdays
from proactive.selectors import enterprise_proposals
from proactive.services.proposals import proposal_deadline
from reviews.filters import QueueFilter
from reviews.reference import SOON_WORKDAYS as REVIEW_SOON_WORKDAYS
from reviews.reference import queue_reference
from reviews.selectors import notice_batch_list, queue_scope

STATUS_LABELS = dict(Status.choices)
MESSAGES_SHOWN = 5
ROWS_SHOWN = 6


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str  # the list behind the figure, filtered by ``query``
    tone: str = ""  # "red" (late), "amber" (due soon) or "" ; only when count > 0
    note: str = ""  # e.g. the amount of money the rows hold


@dataclass(frozen=True)
class WorkRow:
    title: str
    detail: str
    due: dt.date | None
    due_label: str
    tone: str
    url: str


@dataclass
class Workbench:
    figures_title: str = "我的待办"
    figures: list[Figure] = field(default_factory=list)
    rows_title: str = ""
    rows: list[WorkRow] = field(default_factory=list)
    rows_empty: str = ""
    messages: list[Notification] = field(default_factory=list)
    unread: int = 0
    messages_url: str = ""


def _link(url_name: str, query: dict[str, object] | None = None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode(query)}" if query else url


def _tone(count: int, tone: str) -> str:
    return tone if count else ""


def _due(day: dt.date | None, today: dt.date, *, soon: dt.date, verb: str) -> tuple[str, str]:
    """(label, tone) of a deadline: 已逾期 in red, due by ``soon`` in amber."""
    if day is None:
        return "", ""
    if day < today:
        return f"已逾期（{day:%Y-%m-%d}前应{verb}）", "red"
    return f"请于 {day:%Y-%m-%d} 前{verb}", "amber" if day <= soon else ""


def workbench_for(user, *, today: dt.date | None = None) -> Workbench:
    """The home page's figures, rows and latest messages for ``user``'s role."""
    today = today or timezone.localdate()
    build = {
        Role.ENTERPRISE: _enterprise,
        Role.DISTRICT_REVIEWER: _reviewer,
        Role.CITY_REVIEWER: _reviewer,
        Role.FINANCE: _finance,
        Role.LEADER: _leader,
    }.get(user.role)
    bench = build(user, today) if build else Workbench()
    bench.messages = list(notification_list(user)[:MESSAGES_SHOWN])
    bench.unread = unread_count(user)
    bench.messages_url = reverse("applications:notifications")
    return bench


# --- the enterprise ------------------------------------------------------------------------


def _enterprise(user, today: dt.date) -> Workbench:
    returned = application_list(user=user, status=Status.RETURNED)
    pending = enterprise_proposals(user, pending_only=True)
    determined = application_list(user=user, status=Status.DETERMINED)
    n_returned, n_pending = returned.count(), pending.count()
    bench = Workbench(
        figures=[
            Figure(
                "待补正",
                n_returned,
                _link("applications:list", {"status": Status.RETURNED}),
                _tone(n_returned, "red"),
            ),
            Figure(
                "免申即享待确认",
                n_pending,
                _link("proactive:proposals", {"state": "pending"}),
                _tone(n_pending, "amber"),
            ),
            Figure(
                "已确定支持",
                determined.count(),
                _link("applications:list", {"status": Status.DETERMINED}),
            ),
        ],
        rows_title="待办事项",
        rows_empty="暂无待补正或待确认的事项。",
    )
    soon = add_workdays(today, 3)
    for app in returned.order_by("correction_due", "id")[:ROWS_SHOWN]:
        label, tone = _due(app.correction_due, today, soon=soon, verb="补正")
        bench.rows.append(
            WorkRow(
                f"待补正：{app.clause}",
                f"案件 {app.number}" + (f" · {app.subject}" if app.subject else ""),
                app.correction_due,
                label,
                tone,
                reverse("applications:detail", args=[app.pk]),
            )
        )
    for app in pending.order_by("created_at", "id")[:ROWS_SHOWN]:
        deadline = proposal_deadline(app)
        label, tone = _due(deadline, today, soon=soon, verb="确认")
        bench.rows.append(
            WorkRow(
                f"免申即享待确认：{app.clause}",
                f"案件 {app.number} · 测算金额 {from_fen(app.estimated_amount_fen):,.2f} 元",
                deadline,
                label,
                tone,
                _link("proactive:proposals", {"state": "pending"}),
            )
        )
    return bench


# --- reviewers -----------------------------------------------------------------------------


def queue_count(user, query: dict[str, object], *, today: dt.date) -> int:
    """How many cases the review queue shows for ``query`` (its own filter over its scope)."""
    data = QueryDict(mutable=True)
    for key, value in query.items():
        data[key] = str(value)
    found = QueueFilter(
        data, queryset=queue_scope(user, today=today), request=SimpleNamespace(user=user)
    )
    return found.qs.count()


def reviewer_queries(today: dt.date) -> dict[str, tuple[str, dict[str, object], str]]:
    """The queue's figures: key -> (label, the queue's query, tone)."""
    soon = queue_reference(today).soon  # add_workdays(today, REVIEW_SOON_WORKDAYS)
    return {
        "all": ("队列中", {}, ""),
        "mine": ("我认领的", {"assignee": "me"}, ""),
        "soon": (
            f"{REVIEW_SOON_WORKDAYS}个工作日内到期",
            {"due_before": f"{soon:%Y-%m-%d}", "overdue": "false"},
            "amber",
        ),
        "overdue": ("已逾期", {"overdue": "true"}, "red"),
        "corrected": ("补正后重新提交", {"corrected": "true"}, ""),
        "returned": ("等待企业补正", {"state": Status.RETURNED}, ""),
    }


def _reviewer(user, today: dt.date) -> Workbench:
    bench = Workbench(rows_title="我认领的案件（按办理期限）", rows_empty="暂无认领的案件。")
    for label, query, tone in reviewer_queries(today).values():
        count = queue_count(user, query, today=today)
        bench.figures.append(
            Figure(label, count, _link("reviews:queue", query), _tone(count, tone))
        )
    if user.role == Role.DISTRICT_REVIEWER:
        waiting = verification_queue(user).count()
        bench.figures.append(Figure("待核验企业", waiting, _link("enterprises:verification_queue")))
    else:
        ended = notice_batch_list(user, ended_on=today).count()
        bench.figures.append(
            Figure(
                "公示期满待办结",
                ended,
                _link("reviews:notices", {"state": "ended"}),
                _tone(ended, "amber"),
            )
        )
    mine = QueueFilter(
        QueryDict("assignee=me"),
        queryset=queue_scope(user, today=today),
        request=SimpleNamespace(user=user),
    ).qs
    soon = queue_reference(today).soon
    for app in mine[:ROWS_SHOWN]:
        label, tone = _due(app.due_on, today, soon=soon, verb="办结")
        bench.rows.append(
            WorkRow(
                app.enterprise.name,
                f"案件 {app.number} · {app.clause} · {app.get_status_display()}",
                app.due_on,
                label,
                tone,
                reverse("reviews:case", args=[app.pk]),
            )
        )
    return bench


# --- finance -------------------------------------------------------------------------------


def finance_queries(today: dt.date) -> dict[str, tuple[str, dict[str, object], str]]:
    """The share list's figures by deadline: key -> (label, the list's filters, tone). The
    filters are ``share_list``'s keyword arguments, and the link's query the same values as
    its page's filter form reads them (``share_list_link``)."""
    soon = add_workdays(today, PAY_SOON_WORKDAYS)
    return {
        "overdue": ("已逾期未支付", {"overdue": True}, "red"),
        "soon": (
            f"{PAY_SOON_WORKDAYS}个工作日内到期",
            {"status": fin.OPEN, "due_after": today, "due_before": soon},
            "amber",
        ),
        "later": (
            "以后到期",
            {"status": fin.OPEN, "due_after": soon + dt.timedelta(days=1)},
            "",
        ),
    }


def share_list_link(filters: dict[str, object]) -> str:
    """The share list's page showing ``share_list(**filters)``: its form's query string."""
    query = {}
    for key, value in filters.items():
        if value is True:
            query[key] = "on"
        elif isinstance(value, dt.date):
            query[key] = f"{value:%Y-%m-%d}"
        else:
            query[key] = str(value)
    return _link("finance:shares", query)


def _finance(user, today: dt.date) -> Workbench:
    bench = Workbench(
        figures_title="待支付资金（按应付日期）",
        rows_title="最近到期的应付份额",
        rows_empty="暂无待支付的份额。",
    )
    queries = finance_queries(today)
    for label, filters, tone in queries.values():
        rows = fin.share_list(user=user, **filters).order_by()
        row = rows.aggregate(n=Count("pk"), fen=Sum("amount_fen"))
        bench.figures.append(
            Figure(
                label,
                row["n"],
                share_list_link(filters),
                _tone(row["n"], tone),
                f"合计 {from_fen(row['fen'] or 0):,.2f} 元",
            )
        )
    soon = queries["soon"][1]["due_before"]
    upcoming = fin.share_list(user=user, status=fin.OPEN).filter(due_date__isnull=False)
    for share in upcoming[:ROWS_SHOWN]:
        app = share.payable.application
        label, tone = _due(share.due_date, today, soon=soon, verb="支付")
        bench.rows.append(
            WorkRow(
                app.enterprise.name,
                f"案件 {app.number} · {share.payer_label} · {from_fen(share.amount_fen):,.2f} 元"
                f" · {share.get_status_display()}",
                share.due_date,
                label,
                tone,
                reverse("applications:detail", args=[app.pk]),
            )
        )
    return bench


# --- leaders -------------------------------------------------------------------------------

LEADER_FLAGS = {
    "review_overdue": "red",
    "pay_overdue": "red",
    "paid_late": "red",
    "unmatched": "red",
    "review_soon": "amber",
    "pay_soon": "amber",
}


def leader_case_list(user, flag: str, *, today: dt.date):
    """The dashboards' case list behind ``?flag=``, as its page and export read it."""
    soon = dash.choices(today).soon
    return dash.case_list(dashboard_viewer(user), CaseFilter(flag=flag), today=today, soon=soon)


def _leader(user, today: dt.date) -> Workbench:
    from dashboards.filters import FLAGS

    bench = Workbench(
        figures_title="需要关注的事项（红色：已逾期）",
        rows_title="审核超期的案件（最早到期在前）",
        rows_empty="没有审核超期的案件。",
    )
    for flag, tone in LEADER_FLAGS.items():
        count = leader_case_list(user, flag, today=today).count()
        bench.figures.append(
            Figure(
                FLAGS[flag], count, _link("dashboards:cases", {"flag": flag}), _tone(count, tone)
            )
        )
    late = leader_case_list(user, "review_overdue", today=today).order_by("review_due_on")
    for fact in late[:ROWS_SHOWN]:
        bench.rows.append(
            WorkRow(
                fact.enterprise.name,
                f"{fact.district.name} · {fact.policy.doc_number} 第{fact.clause.article}条"
                f" {fact.clause.title} · {STATUS_LABELS.get(fact.status, '')}",
                fact.review_due_on,
                f"审核期限 {fact.review_due_on:%Y-%m-%d}，已逾期 {(today - fact.review_due_on).days} 天",
                "red",
                reverse("applications:detail", args=[fact.application_id]),
            )
        )
    return bench
