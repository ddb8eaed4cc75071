"""拨付批次: build a batch from due shares of one payer, mark items paid or failed.

Every write locks the share row (``select_for_update``) first, so two officers (or twenty
retries of one bank confirmation) acting at once are serialised; the ledger's unique
constraint "one payment per share" backs this up in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from finance.models import (
    LedgerEntry,
    PayableShare,
    PayerLevel,
    PaymentBatch,
    PaymentBatchItem,
)
from finance.permissions import can_operate_payments, payer_of
from finance.services.completion import application_close_if_paid, payment_event_record
from finance.services.payee import payee_freeze
from finance.workflow import SHARE_TRANSITIONS, ShareAction, share_transition
from portal.core import events
from portal.core.errors import DomainError, NotFound, PermissionRefused

S = PayableShare.Status
PAYEE_FIELDS = ("payee_name", "payee_credit_code", "payee_bank_name", "payee_bank_account")


def _payer(actor) -> tuple[str, int | None]:
    allowed, why = can_operate_payments(actor)
    if not allowed:
        raise PermissionRefused(why)
    return payer_of(actor)


def _same_payer(obj, payer: tuple[str, int | None]) -> bool:
    return (obj.payer_level, obj.payer_district_id) == payer


def purpose_of(share: PayableShare) -> str:
    """用途 on the bank list, e.g. 郑政文〔2022〕155号第2条奖励（市级分担部分）."""
    payable = share.payable
    clause = payable.application.clause
    text = f"{clause.policy.doc_number}第{clause.article}条{clause.category}"
    if payable.instalment_count > 1:
        text += f"第{payable.instalment_no}期"
    if len(payable.shares.all()) > 1:
        text += "（市级分担部分）" if share.payer_level == PayerLevel.CITY else "（区县分担部分）"
    return text


def _lock_shares(share_ids: Iterable[int]):
    ids = sorted({int(i) for i in share_ids})
    return list(
        PayableShare.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related(
            "payable",
            "payable__application__enterprise",
            "payable__application__clause__policy",
        )
        .prefetch_related("payable__shares")
        .order_by("pk")
    ), ids


@transaction.atomic
def payment_batch_create(*, actor, share_ids: Iterable[int], note: str = "") -> PaymentBatch:
    """A batch of the actor's own bureau holding the given due shares.

    Refused as a whole when any share belongs to another payer (reported as not found, like
    any share the officer cannot see), is not due yet, waits for a milestone, or is not in a
    state that can be paid (already in a batch, paid, cancelled).
    """
    payer = _payer(actor)
    shares, ids = _lock_shares(share_ids)
    if not ids:
        raise DomainError(
            "请至少选择一笔待拨付资金。", errors={"shares": "请至少选择一笔待拨付资金。"}
        )
    if len(shares) != len(ids) or any(not _same_payer(s, payer) for s in shares):
        raise NotFound("所选资金中有不存在或不属于本财政局支付的份额。")
    problems = [_why_not_batchable(share) for share in shares]
    problems = [p for p in problems if p]
    if problems:
        raise DomainError("；".join(problems[:5]), errors={"shares": "；".join(problems[:5])})
    batch = PaymentBatch.objects.create(
        payer_level=payer[0], payer_district_id=payer[1], note=note[:200], created_by=actor
    )
    for share in shares:
        _add(batch, share, actor)
    events.publish(
        events.PaymentRecorded(application_ids=tuple({s.payable.application_id for s in shares}))
    )
    return batch


def _money_moved(share: PayableShare, cause: str) -> None:
    """The case's money moved: the dashboards and the audit copy follow (``PaymentsChanged``)."""
    events.publish(
        events.PaymentsChanged(application_ids=(share.payable.application_id,), cause=cause)
    )


def _why_not_batchable(share: PayableShare) -> str:
    number = share.payable.application.number
    if share_transition(share, ShareAction.BATCH) is None:
        return f"{number}：状态为“{share.get_status_display()}”，不能组批"
    if not share.payable.schedulable or share.due_date is None:
        return f"{number}：第{share.payable.instalment_no}期待里程碑确认，不能组批"
    if share.amount_fen == 0:
        return f"{number}：金额为0，无需拨付"
    return ""


def _add(batch: PaymentBatch, share: PayableShare, actor) -> None:
    """The item pays the share's frozen account (``finance.services.payee``), never the
    enterprise's account of today."""
    fields = ["status", "batch", "updated_at"]
    if not share.payee_bank_account:  # a share made before accounts were frozen
        payee_freeze(share, share.payable.application)
        fields += [*PAYEE_FIELDS, "payee_fixed_at"]
    PaymentBatchItem.objects.create(
        batch=batch,
        share=share,
        payer_level=share.payer_level,
        payer_district_id=share.payer_district_id,
        amount_fen=share.amount_fen,
        payee_name=share.payee_name,
        credit_code=share.payee_credit_code,
        bank_name=share.payee_bank_name,
        bank_account=share.payee_bank_account,
        purpose=purpose_of(share),
    )
    again = share.status == S.FAILED
    move = SHARE_TRANSITIONS[ShareAction.BATCH]
    share.status, share.batch = move.target, batch
    share.save(update_fields=fields)
    LedgerEntry.objects.create(
        share=share,
        batch=batch,
        kind=move.ledger_kind,
        amount_fen=share.amount_fen,
        actor=actor,
        note=f"纳入批次{batch.number}" + ("（前次支付失败，重新拨付）" if again else ""),
    )


def _locked_item(batch: PaymentBatch, share: PayableShare, payer) -> tuple:
    if not _same_payer(batch, payer):
        raise NotFound()
    locked = (
        PayableShare.objects.select_for_update()
        .filter(pk=share.pk, payer_level=payer[0], payer_district_id=payer[1])
        .first()
    )
    item = PaymentBatchItem.objects.filter(batch=batch, share_id=share.pk).first()
    if locked is None or item is None:
        raise NotFound("该笔资金不在本批次中。")
    return locked, item


def paid_on_range(batch: PaymentBatch) -> tuple[dt.date, dt.date]:
    """The dates a payment of this batch can bear: from the day the batch was made to today
    (both in Asia/Shanghai, the TIME_ZONE)."""
    return timezone.localdate(batch.created_at), timezone.localdate()


def paid_on_problem(batch: PaymentBatch, paid_on: dt.date | None) -> str:
    """A bank pays after the batch is made and not in the future (dates in Asia/Shanghai)."""
    made, today = paid_on_range(batch)
    if paid_on is None:
        return "请填写支付日期。"
    if paid_on < made or paid_on > today:
        return (
            f"支付日期 {paid_on:%Y-%m-%d} 无效：应在批次组批日期 {made:%Y-%m-%d} "
            f"至今天 {today:%Y-%m-%d} 之间。"
        )
    return ""


@transaction.atomic
def payment_batch_mark_paid(
    *, batch: PaymentBatch, share: PayableShare, actor, voucher_no: str, paid_on: dt.date
) -> bool:
    """Record the bank's confirmation. True when recorded; False when it already was (the same
    confirmation again changes nothing). A paid share can never be paid again or edited."""
    payer = _payer(actor)
    voucher_no = (voucher_no or "").strip()
    if not voucher_no:
        raise DomainError("请填写支付凭证号。", errors={"voucher_no": "请填写支付凭证号。"})
    problem = paid_on_problem(batch, paid_on)
    if problem:
        raise DomainError(problem, errors={"paid_on": problem})
    locked, item = _locked_item(batch, share, payer)
    if locked.status == S.PAID:
        if (locked.batch_id, locked.voucher_no, locked.paid_on) == (batch.pk, voucher_no, paid_on):
            return False
        message = f"该笔资金已于{locked.paid_on:%Y-%m-%d}支付（凭证号{locked.voucher_no}），不能重复支付或修改。"
        raise DomainError(message, errors={"detail": message})
    move = share_transition(locked, ShareAction.PAY)
    if move is None or locked.batch_id != batch.pk or item.result != item.Result.PENDING:
        message = f"该笔资金当前状态为“{locked.get_status_display()}”，不能在本批次登记支付。"
        raise DomainError(message)
    locked.status, locked.voucher_no, locked.paid_on = move.target, voucher_no[:60], paid_on
    locked.failure_reason = ""
    locked.save(update_fields=["status", "voucher_no", "paid_on", "failure_reason", "updated_at"])
    item.result = item.Result.PAID
    item.save(update_fields=["result"])
    LedgerEntry.objects.create(
        share=locked,
        batch=batch,
        kind=move.ledger_kind,
        amount_fen=locked.amount_fen,
        actor=actor,
        voucher_no=voucher_no[:60],
        paid_on=paid_on,
        note=f"批次{batch.number}支付成功",
    )
    payment_event_record(share=locked, actor=actor)
    application_close_if_paid(application_id=locked.payable.application_id, actor=actor)
    _money_moved(locked, "paid")
    return True


@transaction.atomic
def payment_batch_mark_failed(
    *, batch: PaymentBatch, share: PayableShare, actor, reason: str
) -> bool:
    """Record a failed payment (账户冻结、户名不符…); the share can go into a later batch."""
    payer = _payer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写支付失败原因。", errors={"reason": "请填写支付失败原因。"})
    locked, item = _locked_item(batch, share, payer)
    if item.result == item.Result.FAILED and locked.failure_reason == reason[:200]:
        return False
    if locked.status == S.PAID:
        raise DomainError("该笔资金已支付，不能再登记为失败。")
    move = share_transition(locked, ShareAction.FAIL)
    if move is None or locked.batch_id != batch.pk:
        raise DomainError(f"该笔资金当前状态为“{locked.get_status_display()}”，不能登记失败。")
    locked.status, locked.failure_reason = move.target, reason[:200]
    locked.save(update_fields=["status", "failure_reason", "updated_at"])
    item.result = item.Result.FAILED
    item.save(update_fields=["result"])
    LedgerEntry.objects.create(
        share=locked,
        batch=batch,
        kind=move.ledger_kind,
        amount_fen=locked.amount_fen,
        actor=actor,
        note=reason[:500],
    )
    _money_moved(locked, "failed")
    return True


@transaction.atomic
def share_cancel(*, share: PayableShare, actor, reason: str) -> PayableShare:
    """Cancel an unpaid share (e.g. the award was revoked); never a paid or batched one."""
    payer = _payer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写取消原因。", errors={"reason": "请填写取消原因。"})
    locked = PayableShare.objects.select_for_update().filter(pk=share.pk).first()
    if locked is None or not _same_payer(locked, payer):
        raise NotFound()
    if locked.status == S.CANCELLED:
        return locked
    move = share_transition(locked, ShareAction.CANCEL)
    if move is None:
        raise DomainError(f"该笔资金状态为“{locked.get_status_display()}”，不能取消。")
    locked.status, locked.failure_reason = move.target, reason[:200]
    locked.save(update_fields=["status", "failure_reason", "updated_at"])
    LedgerEntry.objects.create(
        share=locked,
        kind=move.ledger_kind,
        amount_fen=locked.amount_fen,
        actor=actor,
        note=reason[:500],
    )
    application_close_if_paid(application_id=locked.payable.application_id, actor=actor)
    _money_moved(locked, "cancelled")
    return locked
