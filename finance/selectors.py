"""Reads of finance: each bureau's shares, permission-checked fetches, totals, reconciliation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from applications.models import Application
from applications.workflow import Status as AppStatus
from enterprises.selectors import enterprise_condition
from finance.models import (
    Clawback,
    LedgerEntry,
    PayableShare,
    PayerLevel,
    PaymentBatch,
    PaymentBatchItem,
)
from finance.permissions import READ_ALL_ROLES, payer_of
from portal.core.errors import NotFound
from portal.core.money import from_fen
from portal.core.text import parse_int

S = PayableShare.Status
OPEN = "open"  # the list's status filter for every share not yet paid (OPEN_STATUSES)


def _payer_q(user, prefix: str = "") -> Q | None:
    """The rows ``user`` may see: its bureau's for a finance officer; for oversight roles those
    of the cases in its scope (all of them at city level, its district's for a district
    leader: ``enterprise_condition`` on the share's case)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    payer = payer_of(user)
    if payer is not None:
        return Q(**{f"{prefix}payer_level": payer[0], f"{prefix}payer_district_id": payer[1]})
    if user.role in READ_ALL_ROLES:
        case = f"{prefix}payable__application__"
        return enterprise_condition(user, f"{case}enterprise__", district=f"{case}district_id")
    return None


def _batch_q(user) -> Q | None:
    """The batches ``user`` may see: its bureau's for a finance officer; for oversight roles
    every batch at city level, and only its district's bureau's for a district leader (a
    city batch lists the bank accounts of every district's enterprises)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if payer_of(user) is not None:
        return _payer_q(user)
    if user.role in READ_ALL_ROLES:
        return enterprise_condition(user, district="payer_district_id")
    return None


def share_scope(user) -> QuerySet[PayableShare]:
    qs = PayableShare.objects.select_related(
        "payer_district",
        "batch",
        "payable",
        "payable__application",
        "payable__application__enterprise",
        "payable__application__enterprise__district",
        "payable__application__clause",
        "payable__application__clause__policy",
    )
    where = _payer_q(user)
    return qs.none() if where is None else qs.filter(where)


def batch_scope(user) -> QuerySet[PaymentBatch]:
    qs = PaymentBatch.objects.select_related("payer_district", "created_by")
    where = _batch_q(user)
    return qs.none() if where is None else qs.filter(where)


def _pk(value: object) -> int:
    pk = parse_int(value)  # ASCII digits only: int() would take "٣" for 3
    if pk is None:
        raise NotFound()
    return pk


def access_share(user, share_id: object) -> PayableShare:
    """One share, if ``user``'s bureau pays it; otherwise NotFound, as if it did not exist."""
    share = share_scope(user).filter(pk=_pk(share_id)).first()
    if share is None:
        raise NotFound()
    return share


def access_batch(user, batch_id: object) -> PaymentBatch:
    batch = batch_scope(user).filter(pk=_pk(batch_id)).first()
    if batch is None:
        raise NotFound()
    return batch


def share_list(
    *,
    user,
    policy: str = "",
    district: str = "",
    status: str = "",
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
    overdue: bool = False,
) -> QuerySet[PayableShare]:
    qs = share_scope(user)
    if policy:
        qs = qs.filter(payable__application__clause__policy__code=policy)
    if district:
        qs = qs.filter(payable__application__enterprise__district__code=district)
    if status == OPEN:
        qs = qs.filter(status__in=PayableShare.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if due_before:
        qs = qs.filter(due_date__lte=due_before)
    if due_after:
        qs = qs.filter(due_date__gte=due_after)
    if overdue:
        qs = qs.filter(status__in=PayableShare.OPEN_STATUSES, due_date__lt=timezone.localdate())
    return qs.order_by("due_date", "pk")


def shares_due_for_batch(
    *, user, policy: str = "", district: str = "", due_before: dt.date | None = None
) -> QuerySet[PayableShare]:
    """What a batch built with these filters would hold: the bureau's own payable shares."""
    payer = payer_of(user)
    if payer is None:
        return PayableShare.objects.none()
    qs = share_list(user=user, policy=policy, district=district, due_before=due_before)
    return qs.filter(
        status__in=PayableShare.BATCHABLE_STATUSES, due_date__isnull=False, amount_fen__gt=0
    ).filter(Q(payable__needs_milestone=False) | Q(payable__milestone_confirmed_at__isnull=False))


def totals(qs) -> dict:
    row = qs.aggregate(count=Count("pk"), total=Sum("amount_fen"))
    return {"count": row["count"], "amount": from_fen(row["total"] or 0)}


def batch_list(*, user) -> QuerySet[PaymentBatch]:
    return batch_scope(user).annotate(
        item_count=Count("items"),
        total_fen=Sum("items__amount_fen"),
        paid_count=Count("items", filter=Q(items__result=PaymentBatchItem.Result.PAID)),
        failed_count=Count("items", filter=Q(items__result=PaymentBatchItem.Result.FAILED)),
    )


def batch_items(batch: PaymentBatch) -> QuerySet[PaymentBatchItem]:
    return batch.items.select_related(
        "share", "share__payable", "share__payable__application"
    ).order_by("pk")


def batch_totals(batch: PaymentBatch) -> dict:
    result = {}
    for key, value in PaymentBatchItem.Result.choices:
        row = batch.items.filter(result=key).aggregate(n=Count("pk"), t=Sum("amount_fen"))
        result[key] = {"label": value, "count": row["n"], "amount": from_fen(row["t"] or 0)}
    result["all"] = totals(batch.items.all())
    return result


# --- the case page ----------------------------------------------------------------------


@dataclass
class PaymentStatus:
    code: str  # none / pending / partial / paid / cancelled
    label: str
    determined: Decimal
    paid: Decimal
    outstanding: Decimal
    shares: list[PayableShare] = field(default_factory=list)


def application_payment_status(application: Application) -> PaymentStatus:
    """Where the money of one award stands, for the case page (the lead shows it there)."""
    shares = list(
        PayableShare.objects.filter(payable__application=application)
        .select_related("payable", "payer_district")
        .order_by("payable__instalment_no", "payer_level")
    )
    total = sum(s.amount_fen for s in shares)
    paid = sum(s.amount_fen for s in shares if s.status == S.PAID)
    live = sum(s.amount_fen for s in shares if s.status != S.CANCELLED)
    if not shares:
        code, label = "none", "尚未生成应付款项"
    elif all(s.status == S.CANCELLED for s in shares):
        code, label = "cancelled", "已取消拨付"
    elif paid == live:
        code, label = "paid", "资金已全部拨付"
    elif paid:
        code, label = "partial", "资金部分拨付"
    else:
        code, label = "pending", "等待财政拨付"
    return PaymentStatus(
        code=code,
        label=label,
        determined=from_fen(total),
        paid=from_fen(paid),
        outstanding=from_fen(live - paid),
        shares=shares,
    )


# --- reconciliation -----------------------------------------------------------------


RECON_COLUMNS = (S.PAID, S.SCHEDULED, S.IN_BATCH, S.FAILED, S.CANCELLED)


def reconciliation(*, user) -> list[dict]:
    """Per policy, payer and award year: determined = paid + scheduled + in batch + failed +
    cancelled, each summed in fen by the database (one query)."""
    rows = (
        share_scope(user)
        .annotate(year=Substr("payable__application__period", 1, 4))
        .values(
            "payable__application__clause__policy__doc_number",
            "payer_level",
            "payer_district__name",
            "year",
            "status",
        )
        .annotate(total=Sum("amount_fen"), n=Count("pk"))
        .order_by()
    )
    groups: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(RECON_COLUMNS, 0) | {"count": 0})
    for row in rows:
        key = (
            row["payable__application__clause__policy__doc_number"],
            row["payer_level"],
            row["payer_district__name"] or "",
            row["year"],
        )
        groups[key][row["status"]] += row["total"] or 0
        groups[key]["count"] += row["n"]
    result = []
    for (policy, level, district, year), sums in sorted(groups.items()):
        determined = sum(sums[s] for s in RECON_COLUMNS)
        payer = "市财政局" if level == PayerLevel.CITY else f"{district}财政局"
        result.append(
            {
                "policy": policy,
                "payer": payer,
                "year": year,
                "count": sums["count"],
                "determined": from_fen(determined),
                **{str(s): from_fen(sums[s]) for s in RECON_COLUMNS},
            }
        )
    return result


def awards_without_payables(*, user) -> int:
    """Determined awards in the user's view that have no payable yet (the sweep's backlog)."""
    where = enterprise_condition(user, "enterprise__", district="district_id")
    if where is None:
        return 0
    qs = Application.objects.filter(
        where, status=AppStatus.DETERMINED, approved_amount_fen__gt=0, payables__isnull=True
    )
    return qs.count()


def unmatched_list(*, user) -> QuerySet[PayableShare]:
    """配套未到位: district shares still unpaid although the city share of the same payable is
    paid. A district bureau sees its own; 市财政局 and oversight roles watch every district."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PayableShare.objects.none()
    payer = payer_of(user)
    if payer is not None and payer[0] == PayerLevel.DISTRICT:
        where = Q(payer_district_id=payer[1])
    elif payer is not None:
        where = Q()
    else:  # oversight roles: the cases in their scope (a district leader's district)
        where = _payer_q(user)
        if where is None:
            return PayableShare.objects.none()
    return (
        PayableShare.objects.select_related(
            "payer_district",
            "payable",
            "payable__application__enterprise",
            "payable__application__clause__policy",
        )
        .filter(where, payer_level=PayerLevel.DISTRICT)
        .exclude(status__in=(S.PAID, S.CANCELLED))
        .filter(payable__shares__payer_level=PayerLevel.CITY, payable__shares__status=S.PAID)
        .order_by("due_date", "pk")
    )


def clawback_list() -> QuerySet[Clawback]:
    return Clawback.objects.select_related("application__enterprise", "opened_by").annotate(
        repaid_fen=Sum("ledger__amount_fen", filter=Q(ledger__kind=LedgerEntry.Kind.REPAYMENT))
    )
