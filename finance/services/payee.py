"""The payee account of a share: frozen as it was when the award was determined.

An enterprise's bank account may change after its award is determined (by its primary login,
recorded as ``bank_updated`` on its file). The money still goes to the account of the
determination day unless a finance officer of the paying bureau re-verifies the new one: with
a recent re-authentication (the view or API checks it), a written note, an event on the case's
timeline (audited) and the old and new accounts kept.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.services import application_event_record
from applications.workflow import Status
from enterprises.models import Enterprise, EnterpriseEvent
from finance.models import PayableShare
from finance.permissions import can_operate_payments, payer_of
from portal.core.errors import DomainError, NotFound, PermissionRefused

BANK_FIELDS = ("bank_name", "bank_account", "bank_account_name")
S = PayableShare.Status


def determined_at(application: Application) -> dt.datetime:
    """The moment the award was determined (its last move to 已确定)."""
    event = (
        ApplicationEvent.objects.filter(application=application, to_status=Status.DETERMINED)
        .order_by("-created_at", "-id")
        .first()
    )
    return event.created_at if event else application.updated_at


def bank_details_at(enterprise: Enterprise, moment: dt.datetime) -> dict[str, str]:
    """The enterprise's bank details as they were at ``moment``: today's, with every later
    recorded change undone (newest first)."""
    values = {key: getattr(enterprise, key) for key in BANK_FIELDS}
    later = EnterpriseEvent.objects.filter(
        enterprise=enterprise, type=EnterpriseEvent.Type.BANK_UPDATED, created_at__gt=moment
    ).order_by("-created_at", "-id")
    for event in later:
        for key, change in ((event.data or {}).get("changed") or {}).items():
            if key in values and isinstance(change, dict) and "from" in change:
                values[key] = str(change["from"] or "")
    return values


def _payee_fields(enterprise: Enterprise, bank: dict[str, str]) -> dict[str, str]:
    return {
        "payee_name": bank["bank_account_name"] or enterprise.name,
        "payee_credit_code": enterprise.credit_code,
        "payee_bank_name": bank["bank_name"],
        "payee_bank_account": bank["bank_account"],
    }


def payee_freeze(share: PayableShare, application: Application) -> None:
    """Set the share's payee to the account of the determination day (not saved). Used when
    the shares are created and, for a share made before accounts were frozen, at batching."""
    bank = bank_details_at(application.enterprise, determined_at(application))
    for key, value in _payee_fields(application.enterprise, bank).items():
        setattr(share, key, value)
    share.payee_fixed_at = timezone.now()


def payee_change(share: PayableShare) -> str:
    """Why the enterprise's account today differs from the one this share pays ("" if not)."""
    enterprise = share.payable.application.enterprise
    if not share.payee_bank_account:
        return ""
    now = (enterprise.bank_name, enterprise.bank_account)
    if now == (share.payee_bank_name, share.payee_bank_account):
        return ""
    return (
        f"企业银行账户已变更（现为 {enterprise.bank_name} {enterprise.bank_account}），"
        f"本笔按锁定的账户 {share.payee_bank_name} {share.payee_bank_account} 支付；"
        "改付新账户须经办人核实并再次验证身份。"
    )


def batch_payee_notes(items) -> dict[int, str]:
    """For a batch page: the items whose enterprise has changed its account since (one query)."""
    items = list(items)
    ids = {item.share.payable.application_id for item in items}
    now = {
        app_id: (bank_name, account)
        for app_id, bank_name, account in Enterprise.objects.filter(
            applications__pk__in=ids
        ).values_list("applications__pk", "bank_name", "bank_account")
    }
    notes = {}
    for item in items:
        current = now.get(item.share.payable.application_id)
        if current and current != (item.bank_name, item.bank_account):
            notes[item.pk] = (
                f"企业银行账户已变更（现为 {current[0]} {current[1]}），本笔按锁定的账户支付；"
                "改付新账户须先登记支付失败，再核实新账户（需再次验证身份）。"
            )
    return notes


@transaction.atomic
def share_payee_reverify(*, share: PayableShare, actor, note: str) -> PayableShare:
    """Adopt the enterprise's current account for an unpaid share of the officer's bureau.
    The caller has checked a recent re-authentication."""
    allowed, why = can_operate_payments(actor)
    if not allowed:
        raise PermissionRefused(why)
    note = (note or "").strip()
    if not note:
        message = "请写明核实依据（如企业来函、开户许可证）。"
        raise DomainError(message, errors={"note": message})
    payer = payer_of(actor)
    locked = (
        PayableShare.objects.select_for_update(of=("self",))
        .select_related("payable__application__enterprise")
        .filter(pk=share.pk, payer_level=payer[0], payer_district_id=payer[1])
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.status not in PayableShare.BATCHABLE_STATUSES:
        message = f"该笔资金状态为“{locked.get_status_display()}”，不能变更收款账户" + (
            "；请先在批次中登记支付失败。" if locked.status == S.IN_BATCH else "。"
        )
        raise DomainError(message)
    application = locked.payable.application
    if not locked.payee_bank_account:
        payee_freeze(locked, application)
    enterprise = application.enterprise
    new = _payee_fields(enterprise, {k: getattr(enterprise, k) for k in BANK_FIELDS})
    old = {k: getattr(locked, k) for k in new}
    if new == old:
        raise DomainError("企业银行账户与锁定的收款账户一致，无需核实。")
    for key, value in new.items():
        setattr(locked, key, value)
    locked.payee_fixed_at, locked.payee_verified_by = timezone.now(), actor
    locked.save()
    application_event_record(
        application=application,
        user=actor,
        action="payee_reverified",
        label="核实收款账户变更",
        comment=(
            f"{locked.payer_label}核实收款账户变更：{old['payee_bank_name']} "
            f"{old['payee_bank_account']} → {new['payee_bank_name']} "
            f"{new['payee_bank_account']}。依据：{note}"
        ),
        data={"share": locked.pk, "from": old, "to": new, "note": note[:500]},
    )
    return locked
