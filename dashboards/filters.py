"""The dashboard's filters: parsed once from the query string, applied to facts and buckets,
and written back into every link so each figure opens the list behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone

from applications.workflow import Status
from dashboards.reference import late_policies
from portal.core.api import MAX_ID

# The status groups the headline counts; the list takes the same names in ``stage``.
STAGES: dict[str, tuple[str, ...]] = {
    "in_review": (Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW),
    "returned": (Status.RETURNED,),
    "approved": (Status.APPROVED, Status.IN_NOTICE),
    "determined": (Status.DETERMINED, Status.PAID),
    "rejected": (Status.REJECTED,),
    "closed": (Status.WITHDRAWN, Status.LAPSED),
    "proposed": (Status.PROPOSED,),
}
COMMITTED = (Status.APPROVED, Status.IN_NOTICE, Status.DETERMINED, Status.PAID)

# Flags: conditions on a fact that are not bucket keys (the list evaluates them on facts).
FLAGS = {
    "paid": "已拨付",
    "outstanding": "待拨付",
    "unmatched": "配套未到位",
    "review_overdue": "审核超期",
    "review_soon": "审核即将到期",
    "pay_overdue": "拨付超期",
    "pay_soon": "拨付即将到期",
    "paid_late": "逾期拨付",
    "paid_on_time": "按期拨付",
}


def _month(text: str | None) -> dt.date | None:
    try:
        year, month = str(text or "").split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (TypeError, ValueError):
        return None


def _ints(values: list[str]) -> tuple[int, ...]:
    """The ids among ``values``; anything else is ignored, like every bad filter value: other
    digits than 0-9 ("²" passes ``isdigit`` but not ``int``) and numbers no key reaches (SQLite
    raises OverflowError on them)."""
    return tuple(sorted({int(v) for v in map(str, values) if _is_id(v)}))


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


def parse_id(text: str | None) -> int | None:
    """An id from the query string (the list's ``after`` cursor), or None for anything else."""
    return int(text) if text and _is_id(str(text)) else None


@dataclass(frozen=True)
class CaseFilter:
    month_from: dt.date | None = None
    month_to: dt.date | None = None
    policies: tuple[int, ...] = ()
    clause: int | None = None
    district: int | None = None
    stage: str = ""
    status: str = ""
    flag: str = ""
    year: int | None = None  # budget year
    soon: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_query(cls, query: QueryDict) -> CaseFilter:
        month = _month(query.get("month"))
        clause = _ints([query.get("clause", "")])
        district = _ints([query.get("district", "")])
        year = _ints([query.get("year", "")])
        stage = query.get("stage", "")
        status = query.get("status", "")
        flag = query.get("flag", "")
        return cls(
            month_from=month or _month(query.get("from")),
            month_to=month or _month(query.get("to")),
            policies=_ints(query.getlist("policy")),
            clause=clause[0] if clause else None,
            district=district[0] if district else None,
            stage=stage if stage in STAGES else "",
            status=status if status in Status.values else "",
            flag=flag if flag in FLAGS else "",
            year=year[0] if year else None,
        )

    @property
    def budget_year(self) -> int:
        if self.year:
            return self.year
        return (self.month_to or timezone.localdate()).year

    def with_(self, **changes) -> CaseFilter:
        return replace(self, **changes)

    def query(self, **changes) -> str:
        """The query string of this filter (changed by ``changes``), for links."""
        f = replace(self, **changes) if changes else self
        pairs: list[tuple[str, object]] = []
        if f.month_from and f.month_to and f.month_from == f.month_to:
            pairs.append(("month", f"{f.month_from:%Y-%m}"))
        else:
            if f.month_from:
                pairs.append(("from", f"{f.month_from:%Y-%m}"))
            if f.month_to:
                pairs.append(("to", f"{f.month_to:%Y-%m}"))
        pairs += [("policy", p) for p in f.policies]
        for name in ("clause", "district", "stage", "status", "flag"):
            value = getattr(f, name)
            if value:
                pairs.append((name, value))
        return urlencode(pairs)

    # --- where clauses ---------------------------------------------------------------

    def bucket_q(self, *, months: bool = True) -> Q:
        """Conditions that buckets can answer (everything but flags)."""
        q = Q()
        if months and self.month_from:
            q &= Q(month__gte=self.month_from)
        if months and self.month_to:
            q &= Q(month__lte=self.month_to)
        if self.policies:
            q &= Q(policy_id__in=self.policies)
        if self.clause:
            q &= Q(clause_id=self.clause)
        if self.district:
            q &= Q(district_id=self.district)
        if self.stage:
            q &= Q(status__in=STAGES[self.stage])
        if self.status:
            q &= Q(status=self.status)
        return q

    def fact_q(self, today: dt.date, soon: dict[str, dt.date]) -> Q:
        q = self.bucket_q()
        if self.flag:
            q &= flag_q(self.flag, today, soon)
        if not self.flag.startswith(("review_", "pay_")):
            q &= Q(month__isnull=False)  # drafts are not filed cases
        return q

    @property
    def bucket_only(self) -> bool:
        return not self.flag


def pay_overdue_q(today: dt.date, late: Iterable[int]) -> Q:
    """拨付超期: money still unpaid past its due date or under a policy whose payout target
    (兑付时限, ``late``: the ids of ``reference.late_policies``) has passed, whichever comes
    first. The overview's figure, the list it opens and the red 拨付期限 rows share this rule."""
    q = Q(pay_due_on__lt=today)
    if late:
        q |= Q(pay_due_on__isnull=False, policy_id__in=sorted(late))
    return q


def pay_soon_q(today: dt.date, soon: dict[str, dt.date], late: Iterable[int]) -> Q:
    """拨付即将到期: due within the amber days and not already overdue by the policy's target."""
    q = Q(pay_due_on__gte=today, pay_due_on__lte=soon["pay"])
    if late:
        q &= ~Q(policy_id__in=sorted(late))
    return q


def flag_q(flag: str, today: dt.date, soon: dict[str, dt.date]) -> Q:
    """The flag's condition; ``soon`` (the amber dates) is read only by the ``*_soon`` flags,
    the policies' payout targets (cached reference data) only by the ``pay_*`` ones."""
    due = Q(paid_on__isnull=False, first_due_on__isnull=False)
    conditions = {
        "paid": lambda: Q(paid_fen__gt=0),
        "outstanding": lambda: Q(outstanding_fen__gt=0),
        "unmatched": lambda: Q(unmatched_fen__gt=0),
        "review_overdue": lambda: Q(review_due_on__lt=today),
        "review_soon": lambda: Q(review_due_on__gte=today, review_due_on__lte=soon["review"]),
        "pay_overdue": lambda: pay_overdue_q(today, late_policies(today)),
        "pay_soon": lambda: pay_soon_q(today, soon, late_policies(today)),
        "paid_late": lambda: due & Q(paid_on__gt=F("first_due_on")),
        "paid_on_time": lambda: due & Q(paid_on__lte=F("first_due_on")),
    }
    return conditions[flag]()
