"""Payables: created once per determined award and instalment, with shares and due dates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from applications.workflow import Status
from finance import tasks
from finance.models import LedgerEntry, Payable, PayableShare, PayerLevel
from finance.services import payable_confirm_milestone, payables_create_for_application
from policies.models import Clause
from portal.core.errors import DomainError, PermissionRefused
from portal.core.workdays import add_workdays
from tests.factories.finance import CLAUSE_155_2, determined_award

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("library")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SH)


def test_one_to_one_split_city_takes_the_odd_fen():
    app = determined_award(amount_fen=10_000_001, determined_at=at("2023-02-10"))
    [payable] = payables_create_for_application(application=app)
    shares = {s.payer_level: s for s in payable.shares.all()}
    assert shares[PayerLevel.CITY].amount_fen == 5_000_001
    assert shares[PayerLevel.CITY].payer_district_id is None
    assert shares[PayerLevel.DISTRICT].amount_fen == 5_000_000
    assert shares[PayerLevel.DISTRICT].payer_district == app.enterprise.district
    # 155号 article 17: 2023-03-31 is still ahead of a determination on 2023-02-10
    assert {s.due_date for s in shares.values()} == {dt.date(2023, 3, 31)}
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SCHEDULED).count() == 2


def test_after_the_target_the_due_date_is_n_working_days(settings):
    settings.PORTAL_PAYMENT_DUE_WORKDAYS = 5
    app = determined_award(determined_at=at("2023-09-28"))  # before 中秋/国庆
    [payable] = payables_create_for_application(application=app)
    expected = add_workdays(dt.date(2023, 9, 28), 5)
    assert expected > dt.date(2023, 10, 6)  # the holiday does not count
    assert {s.due_date for s in payable.shares.all()} == {expected}


def test_creation_is_idempotent():
    app = determined_award()
    first = payables_create_for_application(application=app)
    second = payables_create_for_application(application=app)
    assert [p.pk for p in first] == [p.pk for p in second]
    assert Payable.objects.count() == 1 and PayableShare.objects.count() == 2
    assert LedgerEntry.objects.count() == 2


def test_refused_unless_determined_with_an_amount():
    app = determined_award()
    app.status = Status.IN_NOTICE
    app.save(update_fields=["status"])
    with pytest.raises(DomainError, match="尚未确定支持"):
        payables_create_for_application(application=app)
    app.status, app.approved_amount_fen = Status.DETERMINED, None
    app.save(update_fields=["status", "approved_amount_fen"])
    with pytest.raises(DomainError, match="没有核定金额"):
        payables_create_for_application(application=app)
    assert not Payable.objects.exists()


def test_staged_clause_makes_instalments_that_wait_for_the_milestone(
    city_finance, district_finance
):
    clause = Clause.objects.get(code=CLAUSE_155_2)
    clause.payment_schedule = [
        {"share": 30, "when": "签约后"},
        {"share": 30, "when": "开工后"},
        {"share": 40, "when": "投产后"},
    ]
    clause.save(update_fields=["payment_schedule"])
    app = determined_award(amount_fen=1_000_001)
    payables = payables_create_for_application(application=app)
    assert [p.amount_fen for p in payables] == [300_000, 300_000, 400_001]
    assert sum(s.amount_fen for p in payables for s in p.shares.all()) == 1_000_001
    later = payables[1]
    assert later.needs_milestone and not later.schedulable
    assert all(s.due_date is None for s in later.shares.all())
    with pytest.raises(PermissionRefused):
        payable_confirm_milestone(payable=later, actor=district_finance)
    payable_confirm_milestone(payable=later, actor=city_finance, on=dt.date(2024, 3, 1))
    later.refresh_from_db()
    assert later.schedulable and later.milestone_confirmed_by == city_finance
    assert {s.due_date for s in later.shares.all()} == {add_workdays(dt.date(2024, 3, 1), 20)}


def test_task_and_sweep_are_idempotent():
    one = determined_award()
    two = determined_award()
    assert tasks.payables_create.apply(args=[one.pk]).get() == 1
    assert tasks.payables_create.apply(args=[one.pk]).get() == 1
    assert tasks.payables_sweep.apply().get() == 1  # only ``two`` was missing
    assert tasks.payables_sweep.apply().get() == 0
    assert Payable.objects.filter(application__in=[one, two]).count() == 2
