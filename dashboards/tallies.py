"""Histograms of the facts (``CaseTally``): which measures and grains exist, keeping them equal
to ``CaseFact`` (the per-case delta and the set-based rebuild), and which grain answers a query.

A measure gives each filed case at most one value: a number of working days (the medians are
read from the counts per value) or a date (a deadline: overdue and due-soon counts are sums over
a date range, so they follow ``today`` without any write). Grains keep the status (a stage is
a set of statuses) and some of district, policy and month: ~2,300 rows in ``s`` for 300,000
cases (mostly one per deadline date), ~10,000 in ``sm``. A query no grain can answer (by clause,
or by policy and month within one district) reads the facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, DateField, F, IntegerField, Q, QuerySet, Value

from dashboards.models import NO_DAY, TALLY_DIMS, CaseFact, CaseTally
from dashboards.rollups import ANY, GRAINS, UPSERT_ROWS

# Smallest first: the first grain holding every needed dimension answers.
TALLY_GRAINS: dict[str, tuple[str, ...]] = {
    "s": ("status",),
    "ds": ("district_id", "status"),
    # by policy: money under a policy whose payout target has passed is overdue whatever its
    # due date, so once one has, the deadline counts need the policy (and the viewer's district)
    "ps": ("policy_id", "status"),
    "dps": ("district_id", "policy_id", "status"),
    **{code: GRAINS[code] for code in ("sm", "psm", "dsm")},
}


class Measure(NamedTuple):
    where: Q  # the facts it counts (the rebuild's side of ``fact_measures``)
    days: str | None = None  # the fact field it counts by, when a number of days
    day: str | None = None  # ... when a date


PAID = Q(first_due_on__isnull=False, paid_on__isnull=False)
MEASURES: dict[str, Measure] = {
    "det": Measure(Q(days_to_determine__isnull=False), days="days_to_determine"),
    "pay": Measure(Q(days_to_pay__isnull=False), days="days_to_pay"),
    # due (first instalment due before today, or already paid) = due_paid + due_open before today
    "due_paid": Measure(PAID),
    "on_time": Measure(PAID & Q(paid_on__lte=F("first_due_on"))),
    "due_open": Measure(Q(first_due_on__isnull=False, paid_on__isnull=True), day="first_due_on"),
    "review": Measure(Q(review_due_on__isnull=False), day="review_due_on"),
    "pay_due": Measure(Q(pay_due_on__isnull=False), day="pay_due_on"),
}


def fact_measures(fact: dict | None) -> list[tuple[str, int, dt.date]]:
    """The (measure, days, day) a fact counts under: ``MEASURES`` evaluated in Python."""
    if fact is None or fact["month"] is None:
        return []  # drafts are not counted
    out = []
    for name, field in (("det", "days_to_determine"), ("pay", "days_to_pay")):
        if fact[field] is not None:
            out.append((name, fact[field], NO_DAY))
    paid_on, first_due = fact["paid_on"], fact["first_due_on"]
    if first_due is not None and paid_on is not None:
        out.append(("due_paid", 0, NO_DAY))
        if paid_on <= first_due:
            out.append(("on_time", 0, NO_DAY))
    elif first_due is not None:
        out.append(("due_open", 0, first_due))
    for name, field in (("review", "review_due_on"), ("pay_due", "pay_due_on")):
        if fact[field] is not None:
            out.append((name, 0, fact[field]))
    return out


def tally_grain(needed: set[str]) -> str | None:
    for code, dims in TALLY_GRAINS.items():
        if needed <= set(dims):
            return code
    return None


def tally_source(q: Q, needed: set[str]) -> QuerySet[CaseTally] | None:
    """Tally rows of the smallest grain that can answer ``q`` (None when none can). The
    dimensions the grain drops are named by their ANY value, so the lookup index seeks."""
    grain = tally_grain(needed)
    if grain is None:
        return None
    dropped = {d: ANY[d] for d in ("district_id", "policy_id") if d not in TALLY_GRAINS[grain]}
    return CaseTally.objects.filter(q, grain=grain, **dropped)


# --- maintenance ----------------------------------------------------------------------

KEY = ("grain", *TALLY_DIMS, "measure", "days", "day")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _adapt(column: str, value):
    if column in ("month", "day"):
        return connection.ops.adapt_datefield_value(value)
    return value


def tally_apply(old: dict | None, new: dict | None) -> None:
    """Move one case's counts from its old fact to its new one in every grain."""
    tallies_apply([(old, new)])


def tallies_apply(changes: list[tuple[dict | None, dict | None]]) -> None:
    """Move cases' counts from their old facts to their new ones in every grain: upserts of
    the netted deltas (in key order, so concurrent refreshes lock rows in the same order),
    then rows left at zero are deleted."""
    deltas: dict[tuple, int] = defaultdict(int)
    for old, new in changes:
        for fact, sign in ((old, -1), (new, 1)):
            for name, days, day in fact_measures(fact):
                for code, dims in TALLY_GRAINS.items():
                    dim_values = (fact[d] if d in dims else ANY[d] for d in TALLY_DIMS)
                    deltas[(code, *dim_values, name, days, day)] += sign
    rows = sorted((key, n) for key, n in deltas.items() if n)
    if not rows:
        return
    table = _q(CaseTally._meta.db_table)
    columns = (*KEY, "n")
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            part = rows[start : start + UPSERT_ROWS]
            params: list = []
            for key, n in part:
                params += [_adapt(c, v) for c, v in zip(KEY, key, strict=True)]
                params.append(n)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(part))} "
                f"ON CONFLICT ({', '.join(_q(c) for c in KEY)}) "
                f"DO UPDATE SET {_q('n')} = {table}.{_q('n')} + excluded.{_q('n')}",
                params,
            )
        cursor.execute(f"DELETE FROM {table} WHERE {_q('n')} = 0")  # noqa: S608


def tally_rebuild(cursor) -> int:
    """Recount every grain and measure from the facts: one INSERT of a UNION ALL per grain
    and measure, in the lookup index's order (a query's rows then share a few pages, and the
    planner knows it)."""
    table = _q(CaseTally._meta.db_table)
    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (model table name)
    branches, params = [], []
    for code, dims in TALLY_GRAINS.items():
        for name, measure in MEASURES.items():
            inner, inner_params = (
                CaseFact.objects.filter(measure.where, month__isnull=False)
                .values(
                    *dims,
                    t_days=F(measure.days) if measure.days else Value(0, IntegerField()),
                    t_day=F(measure.day) if measure.day else Value(NO_DAY, DateField()),
                )
                .annotate(t_n=Count("pk"))
                .order_by()
                .query.sql_with_params()
            )
            picked = [f"%s AS {_q('grain')}"]
            params.append(code)
            for dim in TALLY_DIMS:
                if dim in dims:
                    picked.append(_q(dim))
                else:
                    picked.append(f"%s AS {_q(dim)}")
                    params.append(_adapt(dim, ANY[dim]))
            picked += [f"%s AS {_q('measure')}", _q("t_days"), _q("t_day"), _q("t_n")]
            params += [name, *inner_params]
            branches.append(f"SELECT {', '.join(picked)} FROM ({inner}) src")  # noqa: S608
    order = ", ".join(_q(c) for c in ("grain", "district_id", "policy_id", "measure", "month"))
    cursor.execute(
        # identifiers from model metadata; values stay parameters
        f"INSERT INTO {table} ({', '.join(_q(c) for c in (*KEY, 'n'))}) "  # noqa: S608
        f"SELECT * FROM ({' UNION ALL '.join(branches)}) u ORDER BY {order}",
        params,
    )
    return cursor.rowcount
