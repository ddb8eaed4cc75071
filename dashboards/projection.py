"""Keeping the summary projection equal to the source tables: ``CaseFact``, the additive
``CaseBucket``/``CaseRollup``, the histograms ``CaseTally`` and the enterprise counts
``EnterpriseMonth``/``FiledEnterprise``.

One definition of a case's fact, ``fact_queryset()``: an annotated ``Application`` queryset
computed by the database. ``case_fact_refresh`` evaluates it for one case and moves the
difference between the old and the new fact from one bucket to the other; ``summary_rebuild``
inserts it for every case in one ``INSERT ... SELECT`` and regroups the buckets in another.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Substr, TruncDate, TruncMonth
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.workflow import Status
from dashboards.models import (
    BUCKET_KEY,
    BUCKET_SUMS,
    CaseBucket,
    CaseFact,
    CaseRollup,
    CaseTally,
    EnterpriseMonth,
    FiledEnterprise,
    WorkdayOrdinal,
)
from dashboards.reach import reach_apply, reach_apply_many, reach_rebuild
from dashboards.rollups import UPSERT_ROWS, rollup_apply, rollup_rebuild, rollups_apply
from dashboards.tallies import tallies_apply, tally_apply, tally_rebuild
from finance.models import Payable, PayableShare, PayerLevel
from portal.core import workdays

logger = logging.getLogger(__name__)

S = PayableShare.Status
REVIEW_STATUSES = (Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW)
CALENDAR_START = dt.date(2015, 1, 1)
REFRESH_SLICE = 500  # cases per transaction of a bulk refresh
# A refresh that loses the race to create a fact row starts again; each loss means another
# refresh committed, so the attempts needed are bounded by the refreshes running at once.
ATTEMPTS = 10

# The fact's columns, in the order of CaseFact's table (the rebuild inserts by name).
FACT_FIELDS = (
    "application_id",
    "enterprise_id",
    "policy_id",
    "clause_id",
    "district_id",
    "status",
    "month",
    "period_year",
    "submitted_on",
    "estimated_fen",
    "approved_fen",
    "determined_fen",
    "paid_fen",
    "outstanding_fen",
    "unmatched_fen",
    "review_due_on",
    "pay_due_on",
    "first_due_on",
    "determined_on",
    "paid_on",
    "days_to_determine",
    "days_to_pay",
)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- the working-day calendar ---------------------------------------------------------


def calendar_rows(start: dt.date, end: dt.date) -> list[WorkdayOrdinal]:
    # The kernel's own rules (overrides first, then the holiday package), read in one query.
    overrides = workdays.overrides_between(start, end)
    rows, seq, day = [], 0, start
    while day <= end:
        if workdays.is_workday_with(day, overrides):
            seq += 1
        rows.append(WorkdayOrdinal(day=day, seq=seq))
        day += dt.timedelta(days=1)
    return rows


def calendar_end() -> dt.date:
    return dt.date(timezone.localdate().year + 2, 12, 31)


def calendar_rebuild() -> int:
    rows = calendar_rows(CALENDAR_START, calendar_end())
    WorkdayOrdinal.objects.all().delete()
    WorkdayOrdinal.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def calendar_ensure() -> None:
    """Fill the calendar when it does not reach next year (a new install, a new year)."""
    needed = dt.date(timezone.localdate().year + 1, 12, 31)
    if not WorkdayOrdinal.objects.filter(day=needed).exists():
        try:
            with transaction.atomic():
                calendar_rebuild()
        except IntegrityError:  # another worker filled it at the same moment: theirs stands
            logger.info("working-day calendar filled by a concurrent task")


# --- one definition of a case's fact -------------------------------------------------


def _shares(**filters) -> QuerySet[PayableShare]:
    return PayableShare.objects.filter(payable__application=OuterRef("pk"), **filters)


def _share_sum(qs: QuerySet[PayableShare]) -> Coalesce:
    total = qs.order_by().values("payable__application").annotate(t=Sum("amount_fen")).values("t")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _share_date(qs: QuerySet[PayableShare], field: str, *, latest: bool = False) -> Subquery:
    order = f"-{field}" if latest else field
    return Subquery(qs.filter(**{f"{field}__isnull": False}).order_by(order).values(field)[:1])


def _seq(field: str) -> Subquery:
    return Subquery(WorkdayOrdinal.objects.filter(day=OuterRef(field)).values("seq")[:1])


def fact_queryset() -> QuerySet[Application]:
    """Every case with its fact as annotations named ``f_<field>`` (computed by the database)."""
    tz = _tz()
    determined = Q(status__in=(Status.DETERMINED, Status.PAID))
    city_paid = PayableShare.objects.filter(
        payable=OuterRef("payable"), payer_level=PayerLevel.CITY, status=S.PAID
    )
    # 配套未到位 as finance.selectors.unmatched_list defines it: district share not paid nor
    # cancelled although the city share of the same payable is paid.
    unmatched = _shares(payer_level=PayerLevel.DISTRICT).exclude(status__in=(S.PAID, S.CANCELLED))
    unmatched = unmatched.filter(Exists(city_paid))
    open_shares = _shares(status__in=PayableShare.OPEN_STATUSES)
    determined_at = Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=Status.DETERMINED)
        .order_by("-created_at", "-id")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )
    approved = Coalesce("approved_amount_fen", 0)
    qs = Application.objects.annotate(
        f_application_id=F("pk"),
        f_enterprise_id=F("enterprise_id"),
        f_policy_id=F("clause__policy_id"),
        f_clause_id=F("clause_id"),
        f_district_id=F("district_id"),  # the case keeps its enterprise's
        f_status=F("status"),
        f_month=Case(
            When(status=Status.DRAFT, then=Value(None, output_field=DateField())),
            default=Cast(  # a date on both databases (PostgreSQL truncates to a timestamp)
                TruncMonth(Coalesce("submitted_at", "created_at"), tzinfo=tz), DateField()
            ),
        ),
        f_period_year=Case(
            When(period__regex=r"^[0-9]{4}", then=Cast(Substr("period", 1, 4), IntegerField())),
            default=Value(0),
        ),
        f_submitted_on=TruncDate("submitted_at", tzinfo=tz),
        f_estimated_fen=F("estimated_amount_fen"),
        f_approved_fen=approved,
        f_determined_fen=Case(When(determined, then=approved), default=Value(0)),
        f_paid_fen=_share_sum(_shares(status=S.PAID)),
        f_cancelled_fen=_share_sum(_shares(status=S.CANCELLED)),
        f_outstanding_fen=Case(
            When(
                determined,
                then=Greatest(approved - F("f_paid_fen") - F("f_cancelled_fen"), Value(0)),
            ),
            default=Value(0),
        ),
        f_unmatched_fen=_share_sum(unmatched),
        f_review_due_on=Case(When(status__in=REVIEW_STATUSES, then=F("due_on")), default=None),
        f_pay_due_on=_share_date(open_shares, "due_date"),
        f_first_due_on=_share_date(_shares().exclude(status=S.CANCELLED), "due_date"),
        f_determined_on=Case(
            When(determined, then=TruncDate(determined_at, tzinfo=tz)),
            default=Value(None, output_field=DateField()),
        ),
        f_paid_on=Case(
            When(
                determined & ~Exists(open_shares) & Exists(_shares(status=S.PAID)),
                then=_share_date(_shares(status=S.PAID), "paid_on", latest=True),
            ),
            default=Value(None, output_field=DateField()),
        ),
        f_days_to_determine=_seq("f_determined_on") - _seq("f_submitted_on"),
        f_days_to_pay=_seq("f_paid_on") - _seq("f_determined_on"),
    )
    return qs.order_by()


def _fact_columns() -> list[str]:
    return [f"f_{name}" for name in FACT_FIELDS]


def fact_of(application_id: int) -> dict | None:
    """The case's fact as the source tables say now (None when the case does not exist)."""
    row = fact_queryset().filter(pk=application_id).values(*_fact_columns()).first()
    if row is None:
        return None
    return {name: row[f"f_{name}"] for name in FACT_FIELDS}


def _stored(fact: CaseFact) -> dict:
    return {name: getattr(fact, name) for name in FACT_FIELDS}


# --- one case -------------------------------------------------------------------------


def case_fact_refresh(*, application_id: int) -> bool:
    """Recompute one case's fact and move its totals between buckets; True when it changed.

    Idempotent: a second run finds the stored fact equal to the source and writes nothing.
    The fact row is locked first, so two runs for the same case apply one after the other.
    """
    calendar_ensure()
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _refresh(application_id)
        except IntegrityError:  # another worker created the same fact row first: again
            if attempt == ATTEMPTS - 1:
                raise
            logger.info("case %s: concurrent summary update, retrying", application_id)
    return False


def case_facts_refresh(*, application_ids: list[int]) -> int:
    """``case_fact_refresh`` for many cases at once (a bulk write): a fixed number of statements
    per slice of ``REFRESH_SLICE`` cases, never some per case; how many facts changed."""
    ids = sorted(set(application_ids))
    if not ids:
        return 0
    calendar_ensure()
    changed = 0
    for start in range(0, len(ids), REFRESH_SLICE):
        part = ids[start : start + REFRESH_SLICE]
        for attempt in range(ATTEMPTS):
            try:
                with transaction.atomic():
                    changed += _refresh_many(part)
                break
            except IntegrityError:  # another worker created one of the fact rows first: again
                if attempt == ATTEMPTS - 1:
                    raise
                logger.info("cases %s..: concurrent summary update, retrying", part[0])
    return changed


def _refresh_many(ids: list[int]) -> int:
    stored = {
        fact.pk: _stored(fact)
        for fact in CaseFact.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    rows = fact_queryset().filter(pk__in=ids).values(*_fact_columns())
    current = {row["f_application_id"]: {n: row[f"f_{n}"] for n in FACT_FIELDS} for row in rows}
    changes = [(stored.get(pk), current.get(pk)) for pk in ids]
    changes = [(old, new) for old, new in changes if old != new]
    if not changes:
        return 0
    reach_apply_many(changes)  # reads the enterprises' facts as they stand: before the writes
    gone = [old["application_id"] for old, new in changes if new is None]
    CaseFact.objects.filter(pk__in=gone).delete()
    CaseFact.objects.bulk_create([CaseFact(**new) for old, new in changes if old is None and new])
    CaseFact.objects.bulk_update(
        [CaseFact(**new) for old, new in changes if old is not None and new is not None],
        [name for name in FACT_FIELDS if name != "application_id"],
    )
    deltas: dict[tuple, dict] = {}
    for old, new in changes:
        for fact, sign in ((old, -1), (new, 1)):
            key = _bucket_key(fact)
            if key is None:
                continue
            delta = deltas.setdefault(
                _sort_key(fact), {"key": key, "n": 0, **dict.fromkeys(BUCKET_SUMS, 0)}
            )
            delta["n"] += sign
            for name in BUCKET_SUMS:
                delta[name] += sign * fact[name]
    _buckets_add([deltas[k] for k in sorted(deltas)])  # the single-case lock order
    rollups_apply(changes)
    tallies_apply(changes)
    return len(changes)


def _refresh(application_id: int) -> bool:
    stored = CaseFact.objects.select_for_update().filter(pk=application_id).first()
    old = _stored(stored) if stored else None
    new = fact_of(application_id)
    if old == new:
        return False
    reach_apply(old, new)  # reads the enterprise's facts as they stand: before the write
    if new is None:
        CaseFact.objects.filter(pk=application_id).delete()
    elif stored is None:
        CaseFact.objects.create(**new)
    else:
        CaseFact.objects.filter(pk=application_id).update(
            **{k: v for k, v in new.items() if k != "application_id"}
        )
    changes = [(old, -1), (new, 1)]
    # a fixed order of bucket locks, so two cases moving between the same buckets never deadlock
    changes.sort(key=lambda item: _sort_key(item[0]))
    for fact, sign in changes:
        _bucket_apply(fact, sign)
    rollup_apply(old, new)
    tally_apply(old, new)
    return True


def _bucket_key(fact: dict | None) -> dict | None:
    if fact is None or fact["month"] is None:
        return None  # drafts are not counted
    return {k: fact[k] for k in BUCKET_KEY}


def _sort_key(fact: dict | None) -> tuple:
    key = _bucket_key(fact)
    return () if key is None else tuple(str(key[k]) for k in BUCKET_KEY)


def _bucket_apply(fact: dict | None, sign: int) -> None:
    key = _bucket_key(fact)
    if key is None:
        return
    _bucket_add({"key": key, "n": sign, **{s: sign * fact[s] for s in BUCKET_SUMS}})


def _bucket_add(delta: dict) -> None:
    bucket, _ = CaseBucket.objects.select_for_update().get_or_create(**delta["key"])
    CaseBucket.objects.filter(pk=bucket.pk).update(
        n=F("n") + delta["n"], **{s: F(s) + delta[s] for s in BUCKET_SUMS}
    )
    CaseBucket.objects.filter(pk=bucket.pk, n=0).delete()


def _buckets_add(deltas: list[dict]) -> None:
    """Add many netted deltas to their buckets: upserts in the given (lock) order, then the
    buckets left empty are deleted."""
    deltas = [d for d in deltas if d["n"] or any(d[s] for s in BUCKET_SUMS)]
    table = _quote(CaseBucket._meta.db_table)
    columns = [*BUCKET_KEY, "n", *BUCKET_SUMS]
    key_columns = ", ".join(_quote(c) for c in BUCKET_KEY)
    updates = ", ".join(
        f"{_quote(c)} = {table}.{_quote(c)} + excluded.{_quote(c)}" for c in ("n", *BUCKET_SUMS)
    )
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    adapt = connection.ops.adapt_datefield_value
    empty: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(deltas), UPSERT_ROWS):
            part = deltas[start : start + UPSERT_ROWS]
            params: list = []
            for delta in part:
                key = delta["key"]
                params += [adapt(key[k]) if k == "month" else key[k] for k in BUCKET_KEY]
                params += [delta["n"], *(delta[s] for s in BUCKET_SUMS)]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_quote(c) for c in columns)}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(part))} "
                f"ON CONFLICT ({key_columns}) DO UPDATE SET {updates} "
                f"RETURNING {_quote('id')}, {_quote('n')}",
                params,
            )
            empty += [pk for pk, n in cursor.fetchall() if n == 0]
    if empty:
        CaseBucket.objects.filter(pk__in=empty, n=0).delete()


# --- everything -----------------------------------------------------------------------


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@transaction.atomic
def summary_rebuild() -> dict[str, int]:
    """Recompute the whole projection with set-based statements (and the calendar)."""
    fact_table, bucket_table = CaseFact._meta.db_table, CaseBucket._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # per-case updates wait until the new projection is committed
            tables = ", ".join(_quote(m._meta.db_table) for m in PROJECTION_TABLES)
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
            _analyze(SOURCE_TABLES)  # fresh statistics after bulk loads: per-row index plans
        calendar_rebuild()
        cursor.execute(f"DELETE FROM {_quote(bucket_table)}")  # noqa: S608 (model table name)
        cursor.execute(f"DELETE FROM {_quote(fact_table)}")  # noqa: S608 (model table name)
        inner, params = fact_queryset().values(*_fact_columns()).query.sql_with_params()
        columns = ", ".join(_quote(CaseFact._meta.get_field(n).column) for n in FACT_FIELDS)
        picked = ", ".join(_quote(c) for c in _fact_columns())
        cursor.execute(
            # identifiers from model metadata; values stay parameters
            f"INSERT INTO {_quote(fact_table)} ({columns}) SELECT {picked} FROM ({inner}) src",  # noqa: S608
            params,
        )
        facts = cursor.rowcount
        key = ", ".join(
            _quote(CaseFact._meta.get_field(k[:-3] if k.endswith("_id") else k).column)
            for k in BUCKET_KEY
        )
        sums = ", ".join(f"SUM({_quote(s)})" for s in BUCKET_SUMS)
        cursor.execute(
            f"INSERT INTO {_quote(bucket_table)} ({key}, n, {', '.join(BUCKET_SUMS)}) "  # noqa: S608
            f"SELECT {key}, COUNT(*), {sums} FROM {_quote(fact_table)} "
            f"WHERE month IS NOT NULL GROUP BY {key}"
        )
        buckets = cursor.rowcount
        rollups = rollup_rebuild(cursor)
        tallies = tally_rebuild(cursor)
        reach = reach_rebuild(cursor)
    if connection.vendor == "postgresql":
        transaction.on_commit(lambda: _analyze((*PROJECTION_TABLES, WorkdayOrdinal)))
    return {
        "facts": facts,
        "buckets": buckets,
        "rollups": rollups,
        "tallies": tallies,
        "enterprise_months": reach,
    }


SOURCE_TABLES = (Application, ApplicationEvent, Payable, PayableShare)
PROJECTION_TABLES = (CaseFact, CaseBucket, CaseRollup, CaseTally, EnterpriseMonth, FiledEnterprise)


def _analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_quote(model._meta.db_table)}")
