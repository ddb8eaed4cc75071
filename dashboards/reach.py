"""Distinct enterprises served in any month range without scanning the facts.

``EnterpriseMonth`` counts (month, previous month) pairs of each enterprise's filed months (the
model says why that answers a range exactly); ``FiledEnterprise`` is one row per enterprise,
locked while its pairs change. Kept by the per-case refresh (only when a case is filed, moves
month or changes enterprise or district: a status change touches nothing here) and rebuilt with
a window function. City-wide pairs are kept apart from per-district ones so an enterprise whose
cases carry two districts is still counted once city-wide.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Count, Q, QuerySet

from dashboards.filters import CaseFilter
from dashboards.models import NO_DAY, CaseFact, EnterpriseMonth, FiledEnterprise
from dashboards.rollups import UPSERT_ROWS

CITY, DISTRICT = "city", "district"

# --- reading ----------------------------------------------------------------------------


def reach_source(scope: Q, filt: CaseFilter, *, district_held: bool) -> QuerySet | None:
    """Pairs whose ``n`` sums to the distinct enterprises ``filt`` selects within ``scope``;
    None when the filter names a policy, clause, stage, status or flag (the facts answer)."""
    if filt.policies or filt.clause or filt.stage or filt.status or filt.flag:
        return None
    if filt.district or district_held:
        qs = EnterpriseMonth.objects.filter(scope, grain=DISTRICT)
        if filt.district:
            qs = qs.filter(district_id=filt.district)
    else:
        qs = EnterpriseMonth.objects.filter(scope, grain=CITY)
    if filt.month_from:
        qs = qs.filter(month__gte=filt.month_from, prev_month__lt=filt.month_from)
    else:
        qs = qs.filter(prev_month=NO_DAY)
    if filt.month_to:
        qs = qs.filter(month__lte=filt.month_to)
    return qs


# --- maintenance ----------------------------------------------------------------------


def _keys(fact: dict | None) -> list[tuple[str, int, int]]:
    if fact is None or fact["month"] is None:
        return []  # drafts are not counted
    return [
        (CITY, 0, fact["enterprise_id"]),
        (DISTRICT, fact["district_id"], fact["enterprise_id"]),
    ]


def _pairs(months: Counter) -> Counter:
    ordered = sorted(m for m, n in months.items() if n > 0)
    return Counter(zip(ordered, [NO_DAY, *ordered][: len(ordered)], strict=True))


def reach_apply(old: dict | None, new: dict | None) -> None:
    """Move one case between enterprises' filed months (see ``reach_apply_many``)."""
    reach_apply_many([(old, new)])


def reach_apply_many(changes: list[tuple[dict | None, dict | None]]) -> None:
    """Move cases between enterprises' filed months. Call inside the refresh's transaction
    *before* the fact rows are written: the months are read from the facts as they stand, under
    the lock of the enterprises' ``FiledEnterprise`` rows (taken by their upsert, in key order),
    so concurrent refreshes touching one enterprise apply one after the other."""
    change: dict[tuple, Counter] = defaultdict(Counter)
    for old, new in changes:
        for fact, sign in ((old, -1), (new, 1)):
            for key in _keys(fact):
                change[key][fact["month"]] += sign
    change = {key: c for key, c in change.items() if any(c.values())}
    if not change:
        return
    _filed_upsert(sorted((key, sum(change[key].values())) for key in change))
    before = _filed_months({key[2] for key in change})
    deltas: Counter = Counter()
    for key, moved in change.items():
        months = before.get(key, Counter())
        after = months + moved  # Counter addition drops months left at zero
        grain, district_id, _ = key
        for pair, n in _pairs(after).items():
            deltas[(grain, district_id, *pair)] += n
        for pair, n in _pairs(months).items():
            deltas[(grain, district_id, *pair)] -= n
    _upsert(sorted((key, n) for key, n in deltas.items() if n))


def _filed_upsert(rows: list[tuple[tuple, int]]) -> None:
    """Add ``n`` to each enterprise's filed count (the row is created when missing); the
    statement locks the rows, which serializes the enterprise's pair updates."""
    table = _q(FiledEnterprise._meta.db_table)
    key = ("grain", "district_id", "enterprise_id")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            part = rows[start : start + UPSERT_ROWS]
            params: list = []
            for (grain, district_id, enterprise_id), n in part:
                params += [grain, district_id, enterprise_id, n]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in (*key, 'n'))}) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(part))} "
                f"ON CONFLICT ({', '.join(_q(c) for c in key)}) "
                f"DO UPDATE SET {_q('n')} = {table}.{_q('n')} + excluded.{_q('n')}",
                params,
            )


def _filed_months(enterprise_ids: set[int]) -> dict[tuple, Counter]:
    """Filed cases per month of these enterprises, city-wide and per district (1 query)."""
    rows = (
        CaseFact.objects.filter(enterprise_id__in=enterprise_ids, month__isnull=False)
        .values("enterprise_id", "district_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months: dict[tuple, Counter] = defaultdict(Counter)
    for row in rows:
        months[(CITY, 0, row["enterprise_id"])][row["month"]] += row["n"]
        months[(DISTRICT, row["district_id"], row["enterprise_id"])][row["month"]] += row["n"]
    return months


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _upsert(rows: list[tuple[tuple, int]]) -> None:
    if not rows:
        return
    table = _q(EnterpriseMonth._meta.db_table)
    key = ("grain", "district_id", "month", "prev_month")
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            part = rows[start : start + UPSERT_ROWS]
            params: list = []
            for (grain, district_id, month, prev), n in part:
                params += [grain, district_id, adapt(month), adapt(prev), n]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in (*key, 'n'))}) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(part))} "
                f"ON CONFLICT ({', '.join(_q(c) for c in key)}) "
                f"DO UPDATE SET {_q('n')} = {table}.{_q('n')} + excluded.{_q('n')}",
                params,
            )
        cursor.execute(f"DELETE FROM {table} WHERE {_q('n')} = 0")  # noqa: S608


def reach_rebuild(cursor) -> int:
    """Recount the pairs and the filed enterprises from the facts (two statements per grain)."""
    pairs, filed = _q(EnterpriseMonth._meta.db_table), _q(FiledEnterprise._meta.db_table)
    cursor.execute(f"DELETE FROM {pairs}")  # noqa: S608 (model table names)
    cursor.execute(f"DELETE FROM {filed}")  # noqa: S608
    facts = CaseFact.objects.filter(month__isnull=False).order_by()
    no_day = connection.ops.adapt_datefield_value(NO_DAY)
    district, enterprise, month = _q("district_id"), _q("enterprise_id"), _q("month")
    total = 0
    for grain, by_district in ((CITY, False), (DISTRICT, True)):
        group = ["district_id", "enterprise_id"] if by_district else ["enterprise_id"]
        partition = f"{district}, {enterprise}" if by_district else enterprise
        district_sql = district if by_district else "0"
        inner, params = facts.values(*group, "month").distinct().query.sql_with_params()
        cursor.execute(
            # identifiers from model metadata; values stay parameters
            f"INSERT INTO {pairs} ({_q('grain')}, {district}, {month}, {_q('prev_month')}, {_q('n')}) "  # noqa: S608
            f"SELECT %s, {district}, {month}, prev_month, COUNT(*) FROM ("
            f"SELECT {district_sql} AS {district}, {month}, COALESCE(LAG({month}) OVER "
            f"(PARTITION BY {partition} ORDER BY {month}), %s) AS prev_month FROM ({inner}) d"
            f") w GROUP BY {district}, {month}, prev_month",
            (grain, no_day, *params),
        )
        total += cursor.rowcount
        inner, params = facts.values(*group).annotate(t_n=Count("pk")).query.sql_with_params()
        cursor.execute(
            f"INSERT INTO {filed} ({_q('grain')}, {district}, {enterprise}, {_q('n')}) "  # noqa: S608
            f"SELECT %s, {district_sql}, {enterprise}, t_n FROM ({inner}) src",
            (grain, *params),
        )
    return total
