"""Finance test data: a determined award written directly (bypassing review), budgets, and
small helpers to move a share through a batch."""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.utils import timezone
from openpyxl import Workbook

from applications.models import ApplicationEvent
from applications.workflow import Status
from finance.models import Budget
from policies.models import Clause, Policy
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory

# 155号第2条: 1:1 city:district, one payment; the policy's payout target is 2023-03-31.
CLAUSE_155_2 = "zzw-2022-155/2"
CLAUSE_155_12 = "zzw-2022-155/12"


def determined_award(
    *,
    amount_fen: int = 10_000_001,
    clause_code: str = CLAUSE_155_2,
    district_code: str = "jinshui",
    determined_at: dt.datetime | None = None,
    enterprise=None,
    period: str = "2023",
):
    """An application in 已确定 with an approved amount and the event that determined it."""
    enterprise = enterprise or EnterpriseFactory(district_code=district_code)
    application = ApplicationFactory(
        enterprise=enterprise,
        clause=Clause.objects.get(code=clause_code),
        period=period,
        status=Status.DETERMINED,
        approved_amount_fen=amount_fen,
    )
    ApplicationEvent.objects.create(
        application=application,
        action="determine",
        from_status=Status.IN_NOTICE,
        to_status=Status.DETERMINED,
        created_at=determined_at or timezone.now(),
    )
    return application


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    policy = factory.LazyFunction(lambda: Policy.objects.get(code="zzw-2022-155"))
    clause = factory.LazyFunction(lambda: Clause.objects.get(code=CLAUSE_155_12))
    year = 2023
    payer_level = Budget.Level.TOTAL
    payer_district = None
    amount_fen = 3_000_000_000  # 3000万元：155号第12条“每年安排不超过3000万元”
    note = "郑政文〔2022〕155号第12条"


def bank_return_file(rows: list[tuple], headers=("账号", "金额", "凭证号", "日期", "结果")):
    """An .xlsx upload as the bank returns it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "回单.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
