"""Payment deadlines: each morning, every treasury's officers get one digest of the shares due
within ``SOON_WORKDAYS`` working days and of those already late. Once per treasury and day
(a unique row decides), so a re-run or a redelivered task sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from applications.services import notification_send
from finance.models import PayableShare, PayerLevel, PaymentReminder
from portal.accounts.models import Role, User
from portal.core.money import from_fen
from portal.core.workdays import add_workdays

SOON_WORKDAYS = 3


def payment_reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's digests; returns how many treasuries were reminded."""
    today = today or timezone.localdate()
    soon = add_workdays(today, SOON_WORKDAYS)
    rows = (
        PayableShare.objects.filter(
            status__in=PayableShare.OPEN_STATUSES, due_date__isnull=False, due_date__lte=soon
        )
        .values("payer_level", "payer_district_id", "payer_district__name")
        .annotate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today)),
            amount=Sum("amount_fen"),
        )
        .order_by("payer_level", "payer_district_id")
    )
    sent = 0
    for row in rows:
        try:
            with transaction.atomic():
                PaymentReminder.objects.create(
                    payer_level=row["payer_level"],
                    payer_district_id=row["payer_district_id"],
                    day=today,
                    due_soon=row["due_soon"],
                    overdue=row["overdue"],
                    amount_fen=row["amount"],
                )
                _notify(row, soon)
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


def _notify(row: dict, soon: dt.date) -> None:
    officers = User.objects.filter(role=Role.FINANCE, is_active=True)
    if row["payer_level"] == PayerLevel.CITY:
        officers, payer = officers.filter(district__isnull=True), "市财政局"
    else:
        officers = officers.filter(district_id=row["payer_district_id"])
        payer = f"{row['payer_district__name']}财政局"
    parts = []
    if row["overdue"]:
        parts.append(f"已逾期 {row['overdue']} 笔")
    if row["due_soon"]:
        parts.append(f"{soon:%m月%d日}前到期 {row['due_soon']} 笔")
    notification_send(
        users=list(officers),
        application=None,
        title=f"{payer}：兑付到期提醒（{'，'.join(parts)}）",
        body=(
            f"{payer}待支付的奖补份额中，{'，'.join(parts)}，合计 {from_fen(row['amount']):,.2f} 元。"
            "请在“应付份额”列表按到期日筛选并及时组批拨付。"
        ),
    )
