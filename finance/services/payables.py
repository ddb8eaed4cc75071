"""Payables: from a determined award to instalments and city/district shares with due dates."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.workflow import Status
from finance import splits
from finance.models import LedgerEntry, Payable, PayableShare, PayerLevel
from finance.permissions import can_confirm_milestone
from finance.services.payee import payee_freeze
from portal.core import events
from portal.core.errors import DomainError, PermissionRefused
from portal.core.workdays import add_workdays


def due_workdays() -> int:
    return settings.PORTAL_PAYMENT_DUE_WORKDAYS


def determined_on(application: Application) -> dt.date:
    """The day the award was determined: its last move to 已确定 on the case timeline."""
    event = (
        ApplicationEvent.objects.filter(application=application, to_status=Status.DETERMINED)
        .order_by("-created_at", "-id")
        .first()
    )
    moment = event.created_at if event else application.updated_at
    return timezone.localdate(moment)


def due_date_for(*, policy, determined: dt.date) -> dt.date:
    """The policy's payout target (兑付时限) when still ahead of the determination, otherwise
    ``PORTAL_PAYMENT_DUE_WORKDAYS`` working days after it."""
    ahead = []
    for target in policy.payout_targets or []:
        try:
            day = dt.date.fromisoformat(str(target.get("date")))
        except (AttributeError, TypeError, ValueError):
            continue
        if day > determined:
            ahead.append(day)
    return min(ahead) if ahead else add_workdays(determined, due_workdays())


def _check_payable(application: Application) -> None:
    if application.status != Status.DETERMINED:
        raise DomainError(
            f"案件尚未确定支持（当前状态：{application.get_status_display()}），不能生成应付款项。"
        )
    if application.approved_amount_fen is None:
        raise DomainError("案件没有核定金额，不能生成应付款项。")
    if application.approved_amount_fen <= 0:
        raise DomainError("核定金额为0，无需拨付。")


def payables_create_for_application(*, application: Application) -> list[Payable]:
    """Create the payables and shares of a determined award; idempotent.

    A second call (a retried task, the sweep, a double click) finds the rows and creates
    nothing: the unique constraint (application, instalment_no) decides, also between two
    concurrent calls. Returns the payables of the award.
    """
    application = Application.objects.select_related("enterprise", "clause", "clause__policy").get(
        pk=application.pk
    )
    existing = list(application.payables.order_by("instalment_no"))
    if existing:
        return existing
    _check_payable(application)
    try:
        with transaction.atomic():
            return _create(application)
    except IntegrityError:  # created concurrently by another worker: theirs stands
        existing = list(application.payables.order_by("instalment_no"))
        if existing:
            return existing
        raise


def _create(application: Application) -> list[Payable]:
    clause = application.clause
    percents = splits.instalment_percents(clause.payment_schedule)
    amounts = splits.split_instalments(application.approved_amount_fen, percents)
    conditions = [str(r.get("when", ""))[:200] for r in (clause.payment_schedule or [])]
    decided = determined_on(application)
    first_due = due_date_for(policy=clause.policy, determined=decided)
    whole = sum(percents)
    payables = []
    for index, amount in enumerate(amounts):
        staged = index > 0
        payable = Payable.objects.create(
            application=application,
            instalment_no=index + 1,
            instalment_count=len(amounts),
            share_percent=_percent(percents[index], whole),
            condition=conditions[index] if index < len(conditions) else "",
            amount_fen=amount,
            determined_on=decided,
            needs_milestone=staged,
        )
        _create_shares(payable, application, due=None if staged else first_due)
        payables.append(payable)
    events.publish(events.PaymentsChanged(application_ids=(application.pk,), cause="payables"))
    return payables


def _percent(part: Fraction, whole: Fraction) -> str:
    return f"{float(part * 100 / whole):.2f}"  # display only; amounts come from exact fractions


def _create_shares(payable: Payable, application: Application, *, due: dt.date | None) -> None:
    split = application.clause.effective_funding_split
    city_fen, district_fen = splits.split_city_district(payable.amount_fen, split)
    _, district_weight = splits.parse_funding_split(split)
    rows = [(PayerLevel.CITY, None, city_fen)]
    if district_weight > 0:
        rows.append((PayerLevel.DISTRICT, application.enterprise.district_id, district_fen))
    for level, district_id, amount in rows:
        share = PayableShare(
            payable=payable,
            payer_level=level,
            payer_district_id=district_id,
            amount_fen=amount,
            due_date=due,
        )
        payee_freeze(share, application)
        share.save(force_insert=True)
        note = "生成应付" if due else "生成应付（待里程碑确认后拨付）"
        LedgerEntry.objects.create(
            share=share, kind=LedgerEntry.Kind.SCHEDULED, amount_fen=amount, note=note
        )


@transaction.atomic
def payable_confirm_milestone(*, payable: Payable, actor, on: dt.date | None = None) -> Payable:
    """Confirm the milestone of a later instalment: its shares become due and schedulable."""
    allowed, why = can_confirm_milestone(actor)
    if not allowed:
        raise PermissionRefused(why)
    locked = Payable.objects.select_for_update().get(pk=payable.pk)
    if not locked.needs_milestone:
        raise DomainError("该期款项无需里程碑确认。")
    if locked.milestone_confirmed_at is not None:
        return locked  # idempotent
    day = on or timezone.localdate()
    locked.milestone_confirmed_at = timezone.now()
    locked.milestone_confirmed_by = actor
    locked.save(update_fields=["milestone_confirmed_at", "milestone_confirmed_by"])
    due = add_workdays(day, due_workdays())
    locked.shares.filter(status=PayableShare.Status.SCHEDULED).update(due_date=due)
    return locked


def applications_without_payables():
    """Determined awards with an amount and no payable yet (for the sweep)."""
    return (
        Application.objects.filter(status=Status.DETERMINED, approved_amount_fen__gt=0)
        .filter(payables__isnull=True)
        .order_by("pk")
    )
