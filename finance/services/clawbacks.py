"""追回: recover money paid on an award; repayments are ledger rows; the enterprise is barred
from applying until a date through the enterprises app's own service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from applications.models import Application
from enterprises.services import enterprise_set_credit_block
from finance.models import Clawback, LedgerEntry, PayableShare
from finance.permissions import can_manage_clawbacks
from portal.core import events
from portal.core.errors import DomainError, PermissionRefused
from portal.core.money import format_yuan, from_fen, to_fen


def _check(actor) -> None:
    allowed, why = can_manage_clawbacks(actor)
    if not allowed:
        raise PermissionRefused(why)


def paid_fen(application: Application) -> int:
    return (
        PayableShare.objects.filter(
            payable__application=application, status=PayableShare.Status.PAID
        ).aggregate(total=Sum("amount_fen"))["total"]
        or 0
    )


def repaid_fen(clawback: Clawback) -> int:
    return (
        clawback.ledger.filter(kind=LedgerEntry.Kind.REPAYMENT).aggregate(t=Sum("amount_fen"))["t"]
        or 0
    )


@transaction.atomic
def clawback_open(
    *,
    application: Application,
    actor,
    finding: str,
    amount: Decimal,
    due_date: dt.date,
    block_until: dt.date | None = None,
) -> Clawback:
    """Open a recovery of at most what was paid (less recoveries already opened)."""
    _check(actor)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    finding = (finding or "").strip()
    errors: dict[str, str] = {}
    if not finding:
        errors["finding"] = "请填写追回事由（核查发现的问题）。"
    amount_fen = to_fen(amount)
    already = locked.clawbacks.aggregate(t=Sum("amount_fen"))["t"] or 0
    can_recover = paid_fen(locked) - already
    if amount_fen <= 0:
        errors["amount"] = "追回金额须大于0。"
    elif amount_fen > can_recover:
        errors["amount"] = (
            f"追回金额不能超过已支付且未追回的金额{format_yuan(from_fen(max(can_recover, 0)))}元。"
        )
    if due_date is None or due_date < timezone.localdate():
        errors["due_date"] = "退回期限不能早于今天。"
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    clawback = Clawback.objects.create(
        application=locked,
        finding=finding,
        amount_fen=amount_fen,
        due_date=due_date,
        credit_blocked_until=block_until,
        opened_by=actor,
    )
    LedgerEntry.objects.create(
        clawback=clawback,
        kind=LedgerEntry.Kind.CLAWBACK_OPENED,
        amount_fen=amount_fen,
        actor=actor,
        note=finding[:500],
    )
    events.publish(events.PaymentRecorded(application_ids=(locked.pk,)))
    if block_until:
        enterprise_set_credit_block(
            enterprise=locked.enterprise,
            actor=actor,
            until=block_until,
            reason=f"资金追回：案件{locked.number}"[:200],
        )
    return clawback


@transaction.atomic
def clawback_record_repayment(
    *, clawback: Clawback, actor, amount: Decimal, received_on: dt.date, voucher_no: str = ""
) -> LedgerEntry:
    """Record money returned by the enterprise; never more than is still outstanding."""
    _check(actor)
    locked = Clawback.objects.select_for_update().get(pk=clawback.pk)
    amount_fen = to_fen(amount)
    outstanding = locked.amount_fen - repaid_fen(locked)
    if amount_fen <= 0:
        raise DomainError("退回金额须大于0。", errors={"amount": "退回金额须大于0。"})
    if amount_fen > outstanding:
        message = f"退回金额超过尚未追回的{format_yuan(from_fen(outstanding))}元。"
        raise DomainError(message, errors={"amount": message})
    if received_on is None or received_on > timezone.localdate():
        raise DomainError("到账日期无效。", errors={"received_on": "到账日期不能为空或晚于今天。"})
    entry = LedgerEntry.objects.create(
        clawback=locked,
        kind=LedgerEntry.Kind.REPAYMENT,
        amount_fen=amount_fen,
        actor=actor,
        voucher_no=(voucher_no or "").strip()[:60],
        paid_on=received_on,
        note="追回款到账",
    )
    events.publish(events.PaymentRecorded(application_ids=(locked.application_id,)))
    return entry
