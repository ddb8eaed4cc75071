"""Budgets refuse an overrun at approval; clawbacks recover what was paid and block applying."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.workflow import Status
from finance.models import Budget, LedgerEntry, PayerLevel
from finance.services import (
    budget_check,
    budget_remaining,
    clawback_open,
    clawback_record_repayment,
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from policies.models import Clause, Policy
from portal.accounts.models import District
from portal.core.errors import DomainError, PermissionRefused
from tests.factories.applications import ApplicationFactory
from tests.factories.finance import CLAUSE_155_2, CLAUSE_155_12, BudgetFactory, determined_award

pytestmark = pytest.mark.usefixtures("library")


def approved(amount_fen: int, clause=CLAUSE_155_12, status=Status.APPROVED, **kwargs):
    return ApplicationFactory(
        clause=Clause.objects.get(code=clause),
        period="2023",
        status=status,
        approved_amount_fen=amount_fen,
        **kwargs,
    )


def test_article_12_vouchers_are_capped_at_30_million_a_year():
    BudgetFactory()  # 3000万元, 155号第12条, 2023, whole programme
    approved(2_000_000_000)
    approved(900_000_000, status=Status.DETERMINED)
    policy = Policy.objects.get(code="zzw-2022-155")
    clause = Clause.objects.get(code=CLAUSE_155_12)
    left = budget_remaining(policy=policy, clause=clause, year=2023, payer_level="total")
    assert left == Decimal("1000000.00")
    candidate = approved(0, status=Status.CITY_REVIEW)
    assert budget_check(application=candidate, amount=Decimal("1000000.00")) == (True, "")
    ok, reason = budget_check(application=candidate, amount=Decimal("1000000.01"))
    assert not ok and "超出预算" in reason and "剩余1,000,000.00元" in reason


def test_a_district_budget_counts_only_its_share():
    district_budget = BudgetFactory(
        clause=Clause.objects.get(code=CLAUSE_155_2),
        payer_level=Budget.Level.DISTRICT,
        payer_district=District.objects.get(code="jinshui"),
        amount_fen=1_000_000,
    )
    approved(1_000_001, clause=CLAUSE_155_2)  # 1:1 -> district 500,000 fen
    approved(5_000_000, clause=CLAUSE_155_2, enterprise__district_code="erqi")  # not counted
    left = budget_remaining(
        policy=district_budget.policy,
        clause=district_budget.clause,
        year=2023,
        payer_level="district",
        payer_district=district_budget.payer_district,
    )
    assert left == Decimal("5000.00")
    candidate = approved(0, clause=CLAUSE_155_2, status=Status.CITY_REVIEW)
    assert budget_check(application=candidate, amount=Decimal("10000.00"))[0]  # 5,000 district
    assert not budget_check(application=candidate, amount=Decimal("10000.04"))[0]


def test_no_budget_means_no_limit():
    candidate = approved(0, clause=CLAUSE_155_2, status=Status.CITY_REVIEW)
    assert budget_check(application=candidate, amount=Decimal("99999999")) == (True, "")


def _paid_award(city_finance, amount_fen=1_000_000):
    app = determined_award(amount_fen=amount_fen)
    [payable] = payables_create_for_application(application=app)
    city = payable.shares.get(payer_level=PayerLevel.CITY)
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    payment_batch_mark_paid(
        batch=batch, share=city, actor=city_finance, voucher_no="V1", paid_on=timezone.localdate()
    )
    return app


def test_clawback_recovers_at_most_what_was_paid_and_blocks_applying(city_finance, sys_admin):
    app = _paid_award(city_finance)  # city paid 5,000.00; district unpaid
    due = timezone.localdate() + dt.timedelta(days=30)
    until = timezone.localdate() + dt.timedelta(days=365)
    with pytest.raises(DomainError, match="不能超过"):
        clawback_open(
            application=app,
            actor=sys_admin,
            finding="虚报",
            amount=Decimal("5000.01"),
            due_date=due,
        )
    with pytest.raises(PermissionRefused):
        clawback_open(
            application=app, actor=city_finance, finding="虚报", amount=Decimal("1"), due_date=due
        )
    clawback = clawback_open(
        application=app,
        actor=sys_admin,
        finding="核查发现虚报投资额",
        amount=Decimal("5000.00"),
        due_date=due,
        block_until=until,
    )
    app.enterprise.refresh_from_db()
    assert app.enterprise.credit_blocked_until == until and app.enterprise.is_credit_blocked
    clawback_record_repayment(
        clawback=clawback, actor=sys_admin, amount=Decimal("3000"), received_on=timezone.localdate()
    )
    with pytest.raises(DomainError, match="超过尚未追回"):
        clawback_record_repayment(
            clawback=clawback,
            actor=sys_admin,
            amount=Decimal("2000.01"),
            received_on=timezone.localdate(),
        )
    kinds = list(LedgerEntry.objects.filter(clawback=clawback).values_list("kind", "amount_fen"))
    assert kinds == [("clawback_opened", 500_000), ("repayment", 300_000)]
