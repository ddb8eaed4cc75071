"""The bank's return file (银行回单): applied whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from finance import excel
from finance.models import PaymentBatch, PaymentBatchItem
from finance.services.batches import (
    paid_on_problem,
    payment_batch_mark_failed,
    payment_batch_mark_paid,
)
from portal.core.errors import DomainError
from portal.core.money import MoneyError, format_yuan, from_fen, parse_yuan, to_fen

R = PaymentBatchItem.Result


@dataclass
class ReturnSummary:
    paid: int = 0
    failed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"登记支付成功{self.paid}笔、支付失败{self.failed}笔，{self.unchanged}笔此前已登记（未变更）。"


def _outcome(text: str) -> str | None:
    if "失败" in text or "退回" in text:
        return "failed"
    if "成功" in text:
        return "paid"
    return None


def _check_row(row: excel.ReturnRow, batch: PaymentBatch) -> tuple[dict | None, str]:
    if not row.account:
        return None, "账号为空"
    try:
        amount_fen = to_fen(parse_yuan(row.amount))
    except MoneyError:
        return None, f"金额“{row.amount}”不是有效金额"
    outcome = _outcome(row.result)
    if outcome is None:
        return None, f"结果“{row.result}”无法识别（应为“成功”或“失败：原因”）"
    parsed = {"account": row.account, "amount_fen": amount_fen, "outcome": outcome}
    if outcome == "paid":
        day = excel.parse_day(row.day)
        if not row.voucher_no:
            return None, "支付成功的记录须有凭证号"
        if day is None:
            return None, f"日期“{row.day or ''}”无效"
        problem = paid_on_problem(batch, day)
        if problem:
            return None, problem
        parsed.update(voucher_no=row.voucher_no, paid_on=day)
    else:
        parsed["reason"] = row.result
    return parsed, ""


def _match(parsed: dict, items: list[PaymentBatchItem], taken: set[int]) -> PaymentBatchItem | None:
    candidates = [
        i
        for i in items
        if i.pk not in taken
        and i.bank_account == parsed["account"]
        and i.amount_fen == parsed["amount_fen"]
    ]
    if parsed["outcome"] == "paid":  # the same confirmation again matches the paid item
        again = [
            i
            for i in candidates
            if i.result == R.PAID and i.share.voucher_no == parsed["voucher_no"]
        ]
        if again:
            return again[0]
    pending = [i for i in candidates if i.result == R.PENDING]
    if pending:
        return pending[0]
    if parsed["outcome"] == "failed":
        failed = [i for i in candidates if i.result == R.FAILED]
        return failed[0] if failed else None
    return None


@transaction.atomic
def payment_batch_apply_bank_return(*, batch: PaymentBatch, actor, file) -> ReturnSummary:
    """Match every row to an item of the batch (账号 + 金额) and record its result.

    Every bad row is reported (第N行：…) and then nothing is applied. Rows already recorded the
    same way are counted as unchanged, so uploading the same file twice changes nothing.
    """
    rows = excel.read_bank_return(file)
    items = list(batch.items.select_related("share").order_by("pk"))
    errors: dict[str, str] = {}
    plan: list[tuple[PaymentBatchItem, dict]] = []
    taken: set[int] = set()
    for row in rows:
        parsed, problem = _check_row(row, batch)
        if parsed is not None:
            item = _match(parsed, items, taken)
            if item is None:
                amount = format_yuan(from_fen(parsed["amount_fen"]))
                problem = f"本批次中没有账号{parsed['account']}、金额{amount}元的可登记记录"
            else:
                taken.add(item.pk)
                plan.append((item, parsed))
        if problem:
            errors[f"第{row.number}行"] = problem
    if errors:
        message = f"回单中有{len(errors)}行有误，未登记任何结果，请修改后重新上传。"
        raise DomainError(message, errors={"file": message, **errors})
    summary = ReturnSummary()
    for item, parsed in plan:
        if parsed["outcome"] == "paid":
            changed = payment_batch_mark_paid(
                batch=batch,
                share=item.share,
                actor=actor,
                voucher_no=parsed["voucher_no"],
                paid_on=parsed["paid_on"],
            )
            summary.paid += changed
        else:
            changed = payment_batch_mark_failed(
                batch=batch, share=item.share, actor=actor, reason=parsed["reason"]
            )
            summary.failed += changed
        summary.unchanged += not changed
    return summary
