"""From the money to the case: each payment on the case's timeline, and 办结 after the last.

Called inside the transaction that records a payment (or cancels an unpaid share), after the
share's row is written: the case moves through its own transition table
(``applications.workflow``: 已确定 → 已拨付（办结）, as the system, the finance officer who
recorded the payment as actor), which writes the event, refreshes the dashboard and sends the
enterprise its message with the amount and the vouchers.
"""

from __future__ import annotations

from applications.models import Application
from applications.services import application_event_record, application_transition
from applications.workflow import Action, Level, Status
from finance.models import PayableShare
from portal.core.money import from_fen

S = PayableShare.Status
PAYMENT_EVENT = "payment_paid"


def _yuan(fen: int) -> str:
    return f"{from_fen(fen):,.2f} 元"


def payment_event_record(*, share: PayableShare, actor) -> None:
    """The payment as a line of the case's timeline (the enterprise sees it)."""
    application = share.payable.application
    instalment = f"第{share.payable.instalment_no}期" if share.payable.instalment_count > 1 else ""
    application_event_record(
        application=application,
        user=actor,
        action=PAYMENT_EVENT,
        label="资金拨付",
        level=Level.FINANCE,
        comment=(
            f"{share.payer_label}拨付{instalment}{_yuan(share.amount_fen)}，"
            f"支付日期 {share.paid_on:%Y-%m-%d}，凭证号 {share.voucher_no}"
        ),
        data={
            "share": share.pk,
            "amount_fen": share.amount_fen,
            "voucher_no": share.voucher_no,
            "paid_on": share.paid_on.isoformat() if share.paid_on else None,
            "payer": share.payer_label,
        },
        visible_to_enterprise=True,
    )


def fully_paid(shares: list[PayableShare]) -> bool:
    """Every share paid or cancelled, and at least one paid (a later instalment still waiting
    for its milestone is a scheduled share, so the case is not yet paid)."""
    return (
        bool(shares)
        and all(s.status in (S.PAID, S.CANCELLED) for s in shares)
        and any(s.status == S.PAID for s in shares)
    )


def application_close_if_paid(*, application_id: int, actor) -> bool:
    """Move a determined award whose money is all paid to 已拨付（办结）; True when it moved.

    Runs under the share's lock of the payment being recorded; the transition service locks
    the case row, so two treasuries paying the last two shares at once close the case once
    (the second sees 已拨付 and does nothing).
    """
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status != Status.DETERMINED:
        return False
    shares = list(
        PayableShare.objects.filter(payable__application_id=application_id)
        .select_related("payer_district", "payable")
        .order_by("payable__instalment_no", "payer_level")
    )
    if not fully_paid(shares):
        return False
    paid = [s for s in shares if s.status == S.PAID]
    total = sum(s.amount_fen for s in paid)
    vouchers = "；".join(
        f"{s.payer_label} {_yuan(s.amount_fen)}，凭证号 {s.voucher_no}（{s.paid_on:%Y-%m-%d}）"
        for s in paid
    )
    summary = f"奖补资金共 {_yuan(total)} 已全部拨付：{vouchers}。"
    notice = (
        f"您单位申报的“{application.clause}”（{application.period_label}）奖补资金"
        f"共 {_yuan(total)} 已全部拨付到账，案件办结。\n{vouchers}。\n"
        "请核对到账情况；欢迎在案件页面对本次服务进行评价。"
    )
    application_transition(
        application=application,
        user=actor,
        action=Action.PAY_COMPLETE,
        comment=summary,
        data={"paid_fen": total, "vouchers": [s.voucher_no for s in paid], "notice": notice},
        system=True,
    )
    return True
