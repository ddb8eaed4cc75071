"""The overview's figures that do not add up: distinct enterprises served, the on-time share,
the two medians and the deadline counts.

``summary_figures`` reads them from the maintained histograms (``CaseTally``) and enterprise
pairs (``EnterpriseMonth``) in one statement of a few thousand rows; ``live_figures`` computes
the same from the facts (a filter with a flag, or one no grain answers; and the tests' yardstick).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from dashboards.filters import CaseFilter, pay_overdue_q, pay_soon_q
from dashboards.models import CaseFact
from dashboards.reach import reach_source
from dashboards.reference import late_policies
from dashboards.rollups import filter_dims
from dashboards.tallies import tally_source

OVERDUE, SOON, LATER = -1, -2, -3  # the key of a date measure's row: before today, soon, later


def _window_free(filt: CaseFilter) -> CaseFilter:
    """The filter the deadline counts use: the whole caseload, whatever the month or stage."""
    return filt.with_(month_from=None, month_to=None, stage="", status="", flag="")


# --- from the maintained tables -------------------------------------------------------


def summary_figures(
    scope: Q, filt: CaseFilter, today: dt.date, soon: dict, *, district_held: bool
) -> dict | None:
    """The figures from tallies and enterprise pairs (1 query); None when they cannot answer."""
    if filt.flag:
        return None
    base = _window_free(filt)
    window = tally_source(scope & filt.bucket_q(), filter_dims(filt, district_held=district_held))
    # money of a policy whose payout target has passed is overdue whatever its own due date
    # (``filters.pay_overdue_q``): the deadlines are then read from a grain that keeps the policy
    late = sorted(late_policies(today))
    deadline_dims = filter_dims(base, district_held=district_held) | (
        {"policy_id"} if late else set()
    )
    deadlines = tally_source(scope & base.bucket_q(), deadline_dims)
    if window is None or deadlines is None:
        return None
    window = (
        window.filter(measure__in=("det", "pay", "due_paid", "on_time", "due_open"))
        .annotate(
            k=Case(
                When(measure__in=("det", "pay"), then=F("days")),
                When(day__lt=today, then=Value(OVERDUE)),
                default=Value(LATER),
                output_field=IntegerField(),
            )
        )
        .values("measure", "k")
        .annotate(total=Sum("n"))
        .order_by()
    )
    deadlines = (
        deadlines.filter(measure__in=("review", "pay_due"))
        .annotate(
            k=Case(
                When(day__lt=today, then=Value(OVERDUE)),
                When(measure="pay_due", policy_id__in=late, then=Value(OVERDUE)),
                When(measure="review", day__lte=soon["review"], then=Value(SOON)),
                When(measure="pay_due", day__lte=soon["pay"], then=Value(SOON)),
                default=Value(LATER),
                output_field=IntegerField(),
            )
        )
        .values("measure", "k")
        .annotate(total=Sum("n"))
        .order_by()
    )
    enterprises = _enterprises(scope, filt, today, soon, district_held=district_held)
    rows = list(window.union(deadlines, enterprises, all=True))
    return _figures_from(rows)


def _enterprises(
    scope: Q, filt: CaseFilter, today: dt.date, soon: dict, *, district_held: bool
) -> QuerySet:
    constant = {
        "measure": Value("enterprises", output_field=CharField()),
        "k": Value(0, output_field=IntegerField()),
    }
    pairs = reach_source(scope, filt, district_held=district_held)
    if pairs is not None:
        return pairs.values(**constant).annotate(total=Sum("n")).order_by()
    facts = CaseFact.objects.filter(scope & filt.fact_q(today, soon))
    return facts.values(**constant).annotate(total=Count("enterprise_id", distinct=True)).order_by()


def _figures_from(rows: list[dict]) -> dict:
    by = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by[row["measure"]][row["k"]] += row["total"] or 0
    return {
        "enterprises": by["enterprises"][0],
        "due": sum(by["due_paid"].values()) + by["due_open"][OVERDUE],
        "on_time": sum(by["on_time"].values()),
        "review_overdue": by["review"][OVERDUE],
        "review_soon": by["review"][SOON],
        "pay_overdue": by["pay_due"][OVERDUE],
        "pay_soon": by["pay_due"][SOON],
        "median_determine": median_of(by["det"]),
        "median_pay": median_of(by["pay"]),
    }


def median_of(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}: what ``percentile_cont(0.5)`` gives
    (the middle value, or the mean of the two middle ones)."""
    values = sorted((v, n) for v, n in counts.items() if n > 0)
    total = sum(n for _, n in values)
    if not total:
        return None
    low_rank, high_rank = (total + 1) // 2, total // 2 + 1  # 1-based; equal when total is odd
    low, seen = None, 0
    for value, n in values:
        seen += n
        if low is None and seen >= low_rank:
            low = value
        if seen >= high_rank:
            return (low + value) / 2
    raise AssertionError("unreachable: the ranks are within the total")


# --- from the facts --------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's exact median. SQLite has no ordered-set aggregates: see ``_medians_sqlite``."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def live_figures(facts: QuerySet[CaseFact], filt: CaseFilter, today: dt.date, soon: dict) -> dict:
    """The figures computed from ``facts`` (already within the viewer's scope): 1 query, SQLite 2."""
    in_window = filt.fact_q(today, soon)
    due_passed = Q(first_due_on__isnull=False) & (
        Q(paid_on__isnull=False) | Q(first_due_on__lt=today)
    )
    on_time = Q(paid_on__isnull=False, first_due_on__isnull=False, paid_on__lte=F("first_due_on"))
    # deadlines of every filed case in scope, whatever the month, stage or flag
    qs = facts.filter(_window_free(filt).bucket_q(), month__isnull=False)
    late = late_policies(today)
    figures = {
        "enterprises": Count("enterprise_id", distinct=True, filter=in_window),
        "due": Count("pk", filter=in_window & due_passed),
        "on_time": Count("pk", filter=in_window & on_time),
        "review_overdue": Count("pk", filter=Q(review_due_on__lt=today)),
        "review_soon": Count(
            "pk", filter=Q(review_due_on__gte=today, review_due_on__lte=soon["review"])
        ),
        "pay_overdue": Count("pk", filter=pay_overdue_q(today, late)),
        "pay_soon": Count("pk", filter=pay_soon_q(today, soon, late)),
    }
    if connection.vendor == "postgresql":
        figures["median_determine"] = Median("days_to_determine", filter=in_window)
        figures["median_pay"] = Median("days_to_pay", filter=in_window)
        return qs.aggregate(**figures)
    result = qs.aggregate(**figures)
    result.update(_medians_sqlite(qs.filter(in_window)))
    return result


def _median_sql(qs: QuerySet[CaseFact], column: str) -> tuple[str, tuple]:
    inner, params = (
        qs.filter(**{f"{column}__isnull": False}).values(column).order_by().query.sql_with_params()
    )
    col = connection.ops.quote_name(column)
    sql = (
        f"SELECT AVG(v) FROM (SELECT {col} AS v, ROW_NUMBER() OVER (ORDER BY {col}) AS rn, "  # noqa: S608
        f"COUNT(*) OVER () AS c FROM ({inner}) s) m WHERE rn IN ((c + 1) / 2, (c + 2) / 2)"
    )
    return sql, params


def _medians_sqlite(qs: QuerySet[CaseFact]) -> dict:
    """SQLite fallback: the median by window functions (ROW_NUMBER over the sorted values,
    average of the middle one or two), both medians in one statement."""
    det_sql, det_params = _median_sql(qs, "days_to_determine")
    pay_sql, pay_params = _median_sql(qs, "days_to_pay")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({det_sql}), ({pay_sql})", (*det_params, *pay_params))
        det, pay = cursor.fetchone()
    return {"median_determine": det, "median_pay": pay}
