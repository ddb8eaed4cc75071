"""Reads of the dashboards. Every figure is computed by the database from the projection
(``CaseRollup``/``CaseBucket`` for additive totals, ``CaseTally``/``EnterpriseMonth`` for medians,
deadlines and distinct enterprises (``figures``), ``CaseFact`` for lists); no Python loop runs
over cases. Each function says how many queries it issues."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from dashboards.figures import live_figures, summary_figures
from dashboards.filters import COMMITTED, STAGES, CaseFilter, pay_overdue_q
from dashboards.models import BUCKET_SUMS, CaseBucket, CaseFact, first_due_expression
from dashboards.permissions import Viewer
from dashboards.reference import choices, late_policies
from dashboards.rollups import filter_dims, summary_source
from finance.models import Budget
from portal.core import statements

BREACH_ROWS = 40


# --- scope ------------------------------------------------------------------------------


def _scope_q(viewer: Viewer) -> Q:
    if not viewer.allowed:
        return Q(pk__in=[])
    return Q() if viewer.citywide else Q(district_id=viewer.district_id)


def fact_scope(viewer: Viewer) -> QuerySet[CaseFact]:
    return CaseFact.objects.filter(_scope_q(viewer))


def bucket_scope(viewer: Viewer) -> QuerySet[CaseBucket]:
    return CaseBucket.objects.filter(_scope_q(viewer))


# --- the breakdowns: one UNION ALL over the buckets (1 query) -------------------------


def _sums() -> dict:
    return {"n": Sum("n"), **{s: Sum(s) for s in BUCKET_SUMS}}


def _branch(qs: QuerySet, kind: str, *, ka, kb, kc, label) -> QuerySet:
    return (
        qs.annotate(kind=Value(kind, output_field=CharField()), ka=ka, kb=kb, kc=kc, label=label)
        .values("kind", "ka", "kb", "kc", "label")
        .annotate(**_sums())
        .order_by()
    )


ZERO = Value(0, output_field=IntegerField())
EMPTY = Value("", output_field=CharField())


def _summary(viewer: Viewer, filt: CaseFilter, dims: set[str], *, months: bool = True):
    """Rows (rollup or bucket) answering ``filt`` grouped by ``dims``, within the viewer's scope."""
    needed = set(dims) | filter_dims(filt, district_held=not viewer.citywide, months=months)
    return summary_source(_scope_q(viewer) & filt.bucket_q(months=months), needed)


def bucket_groups(viewer: Viewer, filt: CaseFilter) -> list[dict]:
    """Totals by status, by clause, by district, by month, and committed awards per policy,
    clause and award year (for budgets): five GROUP BYs in one statement, each over the
    smallest rollup that can answer it (``rollups.GRAINS``)."""
    budget_filt = filt.with_(stage="", status="")
    budget_base = _summary(
        viewer, budget_filt, {"policy_id", "clause_id", "period_year", "status"}, months=False
    ).filter(status__in=COMMITTED)
    branches = [
        _branch(
            _summary(viewer, filt, {"status"}), "status", ka=ZERO, kb=ZERO, kc=F("status"),
            label=EMPTY,
        ),
        _branch(
            _summary(viewer, filt, {"policy_id", "clause_id"}),
            "clause",
            ka=F("policy_id"),
            kb=F("clause_id"),
            kc=F("policy__doc_number"),
            label=Concat(
                Value("第"),
                Cast("clause__article", CharField()),
                Value("条 "),
                "clause__title",
                output_field=CharField(),
            ),
        ),
        _branch(
            _summary(viewer, filt, {"district_id"}), "district", ka=F("district_id"), kb=ZERO,
            kc=EMPTY, label=F("district__name"),
        ),
        _branch(
            _summary(viewer, filt, {"month"}), "month", ka=ZERO, kb=ZERO,
            kc=Cast("month", CharField()), label=EMPTY,
        ),
        _branch(
            budget_base,
            "budget",
            ka=F("policy_id"),
            kb=F("clause_id"),
            kc=Cast("period_year", CharField()),
            label=EMPTY,
        ),
    ]  # fmt: skip
    return list(branches[0].union(*branches[1:], all=True))


# --- distinct counts, on-time share, medians, deadline counts (1 query; SQLite 2 live) --


def fact_figures(viewer: Viewer, filt: CaseFilter, today: dt.date, soon: dict) -> dict:
    """From the maintained histograms when a grain answers the filter, else from the facts."""
    scope = _scope_q(viewer)
    figures = summary_figures(scope, filt, today, soon, district_held=not viewer.citywide)
    if figures is None:
        figures = live_figures(fact_scope(viewer), filt, today, soon)
    return figures


# --- red/amber lists (1 query) -------------------------------------------------------


def breach_rows(viewer: Viewer, filt: CaseFilter, today: dt.date, soon: dict) -> list[CaseFact]:
    qs = fact_scope(viewer).filter(
        filt.with_(month_from=None, month_to=None, stage="", status="", flag="").bucket_q()
    )
    late = late_policies(today)
    # unpaid awards of a policy whose payout target has passed, whatever their due date, too
    due = Q(review_due_on__lte=soon["review"]) | Q(pay_due_on__lte=soon["pay"])
    due |= pay_overdue_q(today, late)
    qs = qs.filter(due).annotate(first_due=first_due_expression())
    if not late:
        # implied by the filter above; lets the database walk the first-due index from here
        qs = qs.filter(first_due__lte=max(soon["review"], soon["pay"]))
    rows = list(
        qs.select_related("application", "enterprise", "district", "clause__policy")
        .only(
            "application__created_at",
            "enterprise__name",
            "district__name",
            "clause__article",
            "clause__policy__doc_number",
            "status",
            "review_due_on",
            "pay_due_on",
            "outstanding_fen",
            "policy_id",
        )
        .order_by("-first_due", "-application_id")[:BREACH_ROWS]
    )
    for row in rows:
        row.policy_late = late.get(row.policy_id) if row.pay_due_on else None
    return rows


# --- budgets (1 query, city-wide viewers only) --------------------------------------


def budget_rows(filt: CaseFilter) -> list[Budget]:
    qs = Budget.objects.filter(year=filt.budget_year).select_related("policy", "clause")
    if filt.policies:
        qs = qs.filter(policy_id__in=filt.policies)
    return list(qs.order_by("policy__code", "clause__article", "payer_level"))


# --- role panels (1 query each) ------------------------------------------------------


def reviewer_queue_stats(user, today: dt.date, soon: dict) -> dict:
    """The reviewer's own queue: cases at their level (and district), theirs, overdue, soon."""
    from applications.models import Application
    from applications.workflow import Status
    from portal.accounts.models import Role

    if user.role == Role.DISTRICT_REVIEWER:
        qs = Application.objects.filter(
            status__in=(Status.SUBMITTED, Status.DISTRICT_REVIEW),
            district_id=user.district_id,
        )
    else:
        qs = Application.objects.filter(status=Status.CITY_REVIEW)
    mine = Q(review__assignee=user, review__status=F("status"))
    return qs.aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=mine),
        mine_overdue=Count("pk", filter=mine & Q(due_on__lt=today)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon["review"])),
    )


def finance_due_panel(user, today: dt.date) -> list[dict]:
    """The bureau's open shares by due date: overdue, this week, this month, later, undated."""
    from finance.models import PayableShare
    from finance.selectors import share_list

    open_ = share_list(user=user).filter(status__in=PayableShare.OPEN_STATUSES).order_by()
    week, month = today + dt.timedelta(days=7), today + dt.timedelta(days=30)
    windows = {
        "overdue": ("已超期", Q(due_date__lt=today)),
        "week": ("7日内到期", Q(due_date__gte=today, due_date__lte=week)),
        "month": ("30日内到期", Q(due_date__gt=week, due_date__lte=month)),
        "later": ("30日后到期", Q(due_date__gt=month)),
        "undated": ("待里程碑确认", Q(due_date__isnull=True)),
    }
    aggregates = {}
    for key, (_label, q) in windows.items():
        aggregates[f"{key}_n"] = Count("pk", filter=q)
        aggregates[f"{key}_fen"] = Sum("amount_fen", filter=q)
    row = open_.aggregate(**aggregates)
    return [
        {"key": k, "label": label, "count": row[f"{k}_n"], "fen": row[f"{k}_fen"] or 0}
        for k, (label, _q) in windows.items()
    ]


# --- the case list behind every figure ---------------------------------------------------


LIST_FIELDS = (
    "application__created_at",
    "enterprise__name",
    "district__name",
    "policy__doc_number",
    "clause__article",
    "clause__title",
    "status",
    "month",
    "estimated_fen",
    "approved_fen",
    "determined_fen",
    "paid_fen",
    "outstanding_fen",
    "unmatched_fen",
    "review_due_on",
    "pay_due_on",
    "first_due_on",
    "paid_on",
)


def case_list(
    viewer: Viewer, filt: CaseFilter, *, today: dt.date, soon: dict
) -> QuerySet[CaseFact]:
    """The filtered cases as facts with their names, newest first (the Excel export)."""
    return (
        fact_scope(viewer)
        .filter(filt.fact_q(today, soon))
        .select_related("application", "enterprise", "district", "policy", "clause")
        .only(*LIST_FIELDS)
        .order_by("-application_id")
    )


# What the list page and the API show of a case (``listing``, with the names of its district
# and clause from ``choices()``): dicts, no model instances.
CASE_VALUES = (
    "application_id",
    "application__created_at",
    "enterprise__name",
    "district_id",
    "clause_id",
    "status",
    "month",
    "estimated_fen",
    "approved_fen",
    "determined_fen",
    "paid_fen",
    "outstanding_fen",
    "review_due_on",
    "pay_due_on",
)


# The API shows no case number: its query does not join the applications.
API_CASE_VALUES = tuple(f for f in CASE_VALUES if f != "application__created_at")


def case_rows(
    viewer: Viewer,
    filt: CaseFilter,
    *,
    today: dt.date,
    soon: dict,
    fields: tuple[str, ...] = CASE_VALUES,
) -> QuerySet[dict]:
    """The filtered cases as dicts of ``fields``, newest first (keyset on the case id)."""
    return (
        fact_scope(viewer)
        .filter(filt.fact_q(today, soon))
        .values(*fields)
        .order_by("-application_id")
    )


@dataclass(frozen=True)
class CasePage:
    rows: list[dict]
    next_after: int | None
    count: int | None  # None when a flag needs the facts (no cheap count)


def case_page(
    viewer: Viewer,
    filt: CaseFilter,
    *,
    today: dt.date,
    soon: dict,
    after: int | None,
    size: int,
) -> CasePage:
    """One page of ``case_rows`` after the cursor, the next cursor and the list's size from the
    buckets, read in the same statement: 1 query (2 for an empty page of a countable list).
    The statement is compiled once a minute per viewer, filter, day, cursor and size."""

    def build() -> QuerySet[dict]:
        qs = case_rows(viewer, filt, today=today, soon=soon)
        if after:
            qs = qs.filter(application_id__lt=after)
        if filt.bucket_only:  # an uncorrelated subquery: evaluated once
            total = _summary(viewer, filt, set()).values(t=Func(F("n"), function="SUM"))
            qs = qs.annotate(
                list_count=Subquery(total.values("t")[:1], output_field=IntegerField())
            )
        return qs[: size + 1]

    key = ("dashboards.case_page", viewer, filt, today, tuple(sorted(soon.items())), after, size)
    rows = statements.kept_rows(key, build)
    more = len(rows) > size
    rows = rows[:size]
    count = None
    if filt.bucket_only:
        count = (rows[0]["list_count"] or 0) if rows else case_count(viewer, filt)
    return CasePage(rows, rows[-1]["application_id"] if more and rows else None, count)


def case_count(viewer: Viewer, filt: CaseFilter) -> int | None:
    """The list's size from the buckets (exact and cheap); None when a flag needs the facts."""
    if not filt.bucket_only:
        return None
    return _summary(viewer, filt, set()).aggregate(n=Sum("n"))["n"] or 0


# --- the overview ----------------------------------------------------------------------


@dataclass
class Overview:
    filt: CaseFilter
    viewer: Viewer
    today: dt.date
    headline: dict = field(default_factory=dict)
    money: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    by_clause: list = field(default_factory=list)
    by_policy: list = field(default_factory=list)
    by_district: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    funnel: list = field(default_factory=list)
    breaches: dict = field(default_factory=dict)
    budgets: list = field(default_factory=list)


def _row_money(row: dict) -> dict:
    return {s: row.get(s) or 0 for s in BUCKET_SUMS} | {"n": row.get("n") or 0}


def overview(viewer: Viewer, filt: CaseFilter, *, today: dt.date | None = None) -> Overview:
    """Everything the overview page shows. Queries: buckets 1, facts 1 (SQLite +1 for the
    medians), breaches 1, budgets 1 for city-wide viewers; reference data cached."""
    today = today or timezone.localdate()
    soon = choices(today).soon
    result = Overview(filt=filt, viewer=viewer, today=today)
    groups = defaultdict(list)
    for row in bucket_groups(viewer, filt):
        groups[row["kind"]].append(row)
    _fill_headline(result, groups["status"])
    _fill_breakdowns(result, groups)
    result.figures = fact_figures(viewer, filt, today, soon)
    due = result.figures["due"]
    result.figures["on_time_share"] = (result.figures["on_time"] / due) if due else None
    rows = breach_rows(viewer, filt, today, soon)
    result.breaches = {
        "review_red": [r for r in rows if r.review_due_on and r.review_due_on < today],
        "review_amber": [
            r for r in rows if r.review_due_on and today <= r.review_due_on <= soon["review"]
        ],
        "pay_red": [r for r in rows if r.pay_due_on and (r.pay_due_on < today or r.policy_late)],
        "pay_amber": [
            r
            for r in rows
            if r.pay_due_on and today <= r.pay_due_on <= soon["pay"] and not r.policy_late
        ],
    }
    if viewer.citywide:
        result.budgets = _budgets(budget_rows(filt), groups["budget"], filt.budget_year)
    return result


def _fill_headline(result: Overview, rows: list[dict]) -> None:
    by_status = {r["kc"]: _row_money(r) for r in rows}
    counts = {
        stage: sum(by_status.get(s, {}).get("n", 0) for s in st) for stage, st in STAGES.items()
    }
    total = {s: sum(r[s] for r in by_status.values()) for s in (*BUCKET_SUMS, "n")}
    approved = sum(by_status.get(s, {}).get("approved_fen", 0) for s in COMMITTED)
    result.headline = {"filed": total["n"], **counts}
    result.money = {
        "estimated": total["estimated_fen"],
        "approved": approved,
        "determined": total["determined_fen"],
        "paid": total["paid_fen"],
        "outstanding": total["outstanding_fen"],
        "unmatched": total["unmatched_fen"],
    }
    result.funnel = [(status, by_status.get(status, {}).get("n", 0)) for status in _FUNNEL]


def _funnel_statuses() -> tuple[str, ...]:
    from applications.workflow import Status

    return (
        Status.PROPOSED,
        Status.SUBMITTED,
        Status.DISTRICT_REVIEW,
        Status.CITY_REVIEW,
        Status.RETURNED,
        Status.APPROVED,
        Status.IN_NOTICE,
        Status.DETERMINED,
        Status.PAID,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.LAPSED,
    )


_FUNNEL = _funnel_statuses()


def _fill_breakdowns(result: Overview, groups: dict) -> None:
    clauses = sorted(groups["clause"], key=lambda r: (r["kc"], r["kb"]))
    result.by_clause = [
        {"policy_id": r["ka"], "clause_id": r["kb"], "policy": r["kc"], "clause": r["label"]}
        | _row_money(r)
        for r in clauses
    ]
    policies: dict[int, dict] = {}
    for row in result.by_clause:
        entry = policies.setdefault(
            row["policy_id"],
            {"policy_id": row["policy_id"], "policy": row["policy"]}
            | dict.fromkeys((*BUCKET_SUMS, "n"), 0),
        )
        for key in (*BUCKET_SUMS, "n"):
            entry[key] += row[key]
    result.by_policy = sorted(policies.values(), key=lambda r: -r["n"])
    result.by_district = sorted(
        (
            {"district_id": r["ka"], "district": r["label"]} | _row_money(r)
            for r in groups["district"]
        ),
        key=lambda r: -r["n"],
    )
    result.by_month = sorted(
        ({"month": r["kc"][:7]} | _row_money(r) for r in groups["month"]), key=lambda r: r["month"]
    )


def _budgets(budgets: list[Budget], committed: list[dict], year: int) -> list[dict]:
    """Budget vs committed (approved, in notice, determined) per policy or clause budget.

    A ``total`` budget is compared with whole awards; city/district budgets with whole awards
    too (their exact share needs the split per award: see the note on the page)."""
    used: dict[tuple[int, int], int] = defaultdict(int)
    for row in committed:
        if str(row["kc"]) == str(year):
            used[(row["ka"], row["kb"])] += row["approved_fen"] or 0
    scopes: dict[tuple, dict] = {}
    for budget in budgets:
        key = (budget.policy_id, budget.clause_id)
        entry = scopes.setdefault(
            key,
            {
                "policy_id": budget.policy_id,
                "label": str(budget.policy.doc_number)
                + (f"第{budget.clause.article}条" if budget.clause_id else ""),
                "total_fen": 0,
                "split_fen": 0,
            },
        )
        if budget.payer_level == Budget.Level.TOTAL:
            entry["total_fen"] += budget.amount_fen
        else:
            entry["split_fen"] += budget.amount_fen
    rows = []
    for (policy_id, clause_id), entry in scopes.items():
        budget_fen = entry["total_fen"] or entry["split_fen"]
        if clause_id:
            used_fen = used.get((policy_id, clause_id), 0)
        else:
            used_fen = sum(v for (p, _c), v in used.items() if p == policy_id)
        rows.append(
            {
                "policy_id": policy_id,
                "clause_id": clause_id,
                "label": entry["label"],
                "budget_fen": budget_fen,
                "used_fen": used_fen,
                "share": (used_fen / budget_fen) if budget_fen else None,
            }
        )
    return rows


# --- the same breakdowns without the projection (benchmark and tests) --------------------


def live_groups(viewer: Viewer, filt: CaseFilter) -> list[dict]:
    """The breakdowns as a dashboard without a projection would compute them: GROUP BYs over
    the cases themselves (with the same definitions, from ``projection.fact_queryset``)."""
    from dashboards.projection import fact_queryset

    facts = fact_queryset().annotate(
        policy_id_=F("f_policy_id"),
        month=F("f_month"),  # (district_id: the case's own field)
    )
    facts = facts.filter(f_month__isnull=False)
    if not viewer.citywide:
        facts = facts.filter(f_district_id=viewer.district_id)
    if filt.month_from:
        facts = facts.filter(f_month__gte=filt.month_from)
    if filt.month_to:
        facts = facts.filter(f_month__lte=filt.month_to)
    if filt.policies:
        facts = facts.filter(f_policy_id__in=filt.policies)
    sums = {"n": Count("pk"), **{s: Sum(f"f_{s}") for s in BUCKET_SUMS}}
    result = []
    for kind, keys in (
        ("status", ["f_status"]),
        ("clause", ["f_policy_id", "f_clause_id"]),
        ("district", ["f_district_id"]),
        ("month", ["f_month"]),
    ):
        for row in facts.values(*keys).annotate(**sums).order_by():
            result.append({"kind": kind, **row})
    return result
