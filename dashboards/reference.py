"""Reference data of the dashboards: the filter's policies and districts, the names the case
list shows beside a district or clause id, and today's amber dates. Cached for five minutes
per process: 0 queries warm, 2 cold (one UNION for the tables, one for the calendar), so even
a cold request stays within the pages' query budget, and a list's query joins no reference
table (planning a six-table join cost ~3 ms where running it cost 0.3)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from policies.payout import PayoutTarget, payout_target_from
from policies.reference import reference_rows
from portal.core import workdays

REVIEW_SOON_WORKDAYS = 2  # the review queue's amber (reviews.selectors.SOON_WORKDAYS)
PAY_SOON_WORKDAYS = 5
TTL_SECONDS = 300


@dataclass(frozen=True)
class Choices:
    policies: list[dict]  # id, code, doc_number, title; by code
    districts: list[dict]  # id, code, name of the active districts, in their order
    soon: dict[str, dt.date]  # "review", "pay": the last day that is still amber
    district_names: dict[int, str]  # every district, active or not
    clauses: dict[int, tuple[str, int]]  # clause id -> (policy document number, article)
    payout_targets: dict[int, PayoutTarget]  # policy id -> its payout target (兑付时限)


def choices(today: dt.date | None = None) -> Choices:
    today = today or timezone.localdate()
    return cache.get_or_set(f"dashboards:choices:{today:%Y%m%d}", lambda: _load(today), TTL_SECONDS)


def _load(today: dt.date) -> Choices:
    by_kind = reference_rows()  # one statement for the three tables
    districts_ordered = sorted(by_kind["d"], key=lambda r: (r["ref_number"], r["ref_code"]))
    return Choices(
        policies=[
            {
                "id": r["ref_id"],
                "code": r["ref_code"],
                "doc_number": r["ref_label"],
                "title": r["ref_title"],
            }
            for r in sorted(by_kind["p"], key=lambda r: r["ref_code"])
        ],
        districts=[
            {"id": r["ref_id"], "code": r["ref_code"], "name": r["ref_label"]}
            for r in districts_ordered
            if r["ref_active"]
        ],
        soon=soon_dates(today),
        district_names={r["ref_id"]: r["ref_label"] for r in by_kind["d"]},
        clauses={r["ref_id"]: (r["ref_title"], r["ref_number"]) for r in by_kind["c"]},
        payout_targets={
            r["ref_id"]: target
            for r in by_kind["p"]
            if (target := _target(r["ref_extra"], r["ref_label"])) is not None
        },
    )


def _target(raw: str, doc_number: str) -> PayoutTarget | None:
    try:
        targets = json.loads(raw) if raw else []
    except ValueError:
        return None
    return payout_target_from(targets if isinstance(targets, list) else [], doc_number)


def late_policies(today: dt.date | None = None) -> dict[int, PayoutTarget]:
    """Policies whose payout target has passed: an unpaid award under one is late against it."""
    today = today or timezone.localdate()
    targets = choices(today).payout_targets
    return {pk: target for pk, target in targets.items() if target.day < today}


def soon_dates(today: dt.date) -> dict[str, dt.date]:
    """``workdays.add_workdays(today, n)`` for the review and pay ambers, reading the calendar's
    overrides once for both."""
    wanted = {"review": REVIEW_SOON_WORKDAYS, "pay": PAY_SOON_WORKDAYS}
    end = today + dt.timedelta(days=workdays.overrides_reach(max(wanted.values())))
    overrides = workdays.overrides_between(today, end)
    return {key: workdays.add_workdays_with(today, n, overrides) for key, n in wanted.items()}
