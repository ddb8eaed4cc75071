"""Narrow rollups of the buckets: which grains exist, which one answers a query, and keeping
them equal to ``CaseBucket`` (the per-case delta and the set-based rebuild).

A grain keeps some of the bucket's dimensions and sums over the others (stored as their
``ANY`` value). A breakdown by district with a month range, for instance, needs district,
status and month: grain ``dsm`` has ~6,500 rows for 300,000 cases where the buckets have
~158,000. A query no grain can answer (say, by clause within one status) reads the buckets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from dashboards.filters import CaseFilter
from dashboards.models import (
    BUCKET_SUMS,
    ROLLUP_DIMS,
    CaseBucket,
    CaseRollup,
)

# Smallest first: the first grain holding every needed dimension answers.
GRAINS: dict[str, tuple[str, ...]] = {
    "sm": ("status", "month"),
    "psm": ("policy_id", "status", "month"),
    "pcm": ("policy_id", "clause_id", "month"),
    "pcys": ("policy_id", "clause_id", "period_year", "status"),
    "dsm": ("district_id", "status", "month"),
}
UPSERT_ROWS = 500  # rows per statement of a bulk refresh (bound parameters stay under limits)
ANY = {
    "policy_id": 0,
    "clause_id": 0,
    "district_id": 0,
    "month": dt.date(1970, 1, 1),
    "period_year": 0,
    "status": "",
}


def filter_dims(filt: CaseFilter, *, district_held: bool, months: bool = True) -> set[str]:
    """The dimensions ``filt.bucket_q(months=months)`` (and the viewer's district) refer to."""
    dims = set()
    if months and (filt.month_from or filt.month_to):
        dims.add("month")
    if filt.policies:
        dims.add("policy_id")
    if filt.clause:
        dims |= {"policy_id", "clause_id"}
    if filt.district or district_held:
        dims.add("district_id")
    if filt.stage or filt.status:
        dims.add("status")
    return dims


def grain_for(needed: set[str]) -> str | None:
    for code, dims in GRAINS.items():
        if needed <= set(dims):
            return code
    return None


def summary_source(q: Q, needed: set[str]) -> QuerySet:
    """Rollup rows of the smallest grain that can answer ``q`` grouped by ``needed`` (the
    buckets when none can); ``q`` uses the bucket's field names, which the rollup shares."""
    grain = grain_for(needed)
    if grain is None:
        return CaseBucket.objects.filter(q)
    return CaseRollup.objects.filter(q, grain=grain)


# --- maintenance ----------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _adapt(dim: str, value):
    return connection.ops.adapt_datefield_value(value) if dim == "month" else value


def _columns() -> list[str]:
    return ["grain", *ROLLUP_DIMS, "n", *BUCKET_SUMS]


def rollup_rebuild(cursor) -> int:
    """Regroup every grain from the buckets (one INSERT ... SELECT per grain)."""
    table = _q(CaseRollup._meta.db_table)
    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (model table name)
    columns = ", ".join(_q(c) for c in _columns())
    total = 0
    for code, dims in GRAINS.items():
        sums = {"s_n": Sum("n"), **{f"s_{s}": Sum(s) for s in BUCKET_SUMS}}
        inner, inner_params = (
            CaseBucket.objects.values(*dims).annotate(**sums).order_by().query.sql_with_params()
        )
        picked, params = ["%s"], [code]
        for dim in ROLLUP_DIMS:
            if dim in dims:
                picked.append(_q(dim))
            else:
                picked.append("%s")
                params.append(_adapt(dim, ANY[dim]))
        picked += [_q(f"s_{s}") for s in ("n", *BUCKET_SUMS)]
        cursor.execute(
            # identifiers from model metadata; values stay parameters
            f"INSERT INTO {table} ({columns}) SELECT {', '.join(picked)} FROM ({inner}) src",  # noqa: S608
            (*params, *inner_params),
        )
        total += cursor.rowcount
    return total


def rollup_apply(old: dict | None, new: dict | None) -> None:
    """Move one case's totals from its old fact to its new one in every grain."""
    rollups_apply([(old, new)])


def rollups_apply(changes: list[tuple[dict | None, dict | None]]) -> None:
    """Move cases' totals from their old facts to their new ones in every grain: the deltas
    are netted per row, then applied by upserts (rows in key order, so concurrent refreshes
    lock in the same order) and rows left empty are deleted."""
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0] * (1 + len(BUCKET_SUMS)))
    for old, new in changes:
        for fact, sign in ((old, -1), (new, 1)):
            if fact is None or fact["month"] is None:
                continue  # drafts are not counted
            for code, dims in GRAINS.items():
                vector = deltas[(code, *(fact[d] if d in dims else ANY[d] for d in ROLLUP_DIMS))]
                vector[0] += sign
                for i, s in enumerate(BUCKET_SUMS, start=1):
                    vector[i] += sign * fact[s]
    rows = sorted((key, vector) for key, vector in deltas.items() if any(vector))
    if not rows:
        return
    table = _q(CaseRollup._meta.db_table)
    columns = _columns()
    key_columns = ", ".join(_q(c) for c in columns[: 1 + len(ROLLUP_DIMS)])
    updates = ", ".join(
        f"{_q(c)} = {table}.{_q(c)} + excluded.{_q(c)}" for c in ("n", *BUCKET_SUMS)
    )
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            part = rows[start : start + UPSERT_ROWS]
            params: list = []
            for key, vector in part:
                params.append(key[0])
                params += [_adapt(d, v) for d, v in zip(ROLLUP_DIMS, key[1:], strict=True)]
                params += vector
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(part))} "
                f"ON CONFLICT ({key_columns}) DO UPDATE SET {updates}",
                params,
            )
        cursor.execute(f"DELETE FROM {table} WHERE {_q('n')} = 0")  # noqa: S608
