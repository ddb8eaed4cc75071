"""Payment deadlines: one digest per treasury and day, to that treasury's officers only."""

import datetime as dt

import pytest

from applications.models import Notification
from finance.models import PayableShare, PayerLevel, PaymentReminder
from finance.services.reminders import payment_reminders_send
from finance.tasks import send_payment_reminders
from portal.core.money import from_fen
from tests.factories.finance import determined_award
from tests.finance.test_batches import shares_of

pytestmark = pytest.mark.usefixtures("library")
MONDAY = dt.date(2023, 3, 27)  # a working week: +3 working days is Thursday 30 March


def due(share: PayableShare, day: dt.date) -> None:
    share.due_date = day
    share.save(update_fields=["due_date"])


def test_each_treasury_gets_one_digest_a_day(city_finance, district_finance, erqi_finance):
    city, district = shares_of(determined_award(amount_fen=10_000_001, district_code="jinshui"))
    due(city, MONDAY - dt.timedelta(days=3))  # late
    due(district, MONDAY + dt.timedelta(days=3))  # Thursday: soon
    later_city, later_district = shares_of(determined_award(district_code="jinshui"))
    due(later_city, MONDAY + dt.timedelta(days=30))  # not yet
    due(later_district, MONDAY + dt.timedelta(days=30))

    assert payment_reminders_send(today=MONDAY) == 2
    [to_city] = Notification.objects.filter(user=city_finance)
    assert to_city.title == "市财政局：兑付到期提醒（已逾期 1 笔）"
    assert f"合计 {from_fen(city.amount_fen):,.2f} 元" in to_city.body
    [to_district] = Notification.objects.filter(user=district_finance)
    assert "03月30日前到期 1 笔" in to_district.title
    assert not Notification.objects.filter(user=erqi_finance).exists()  # another district

    assert payment_reminders_send(today=MONDAY) == 0  # a re-run sends nothing twice
    assert Notification.objects.count() == 2
    assert PaymentReminder.objects.filter(day=MONDAY).count() == 2
    assert payment_reminders_send(today=MONDAY + dt.timedelta(days=1)) == 2  # next day again


def test_paid_and_cancelled_shares_are_not_reminded(city_finance):
    city, district = shares_of(determined_award())
    for share, status in ((city, PayableShare.Status.CANCELLED), (district, "paid")):
        share.due_date, share.status = MONDAY, status
        if status == "paid":
            share.voucher_no, share.paid_on = "V1", MONDAY
        share.save()
    assert payment_reminders_send(today=MONDAY) == 0
    assert not Notification.objects.exists()


def test_the_task_is_the_service(city_finance):
    city, _ = shares_of(determined_award())
    due(city, dt.date(2000, 1, 3))
    assert send_payment_reminders.apply().get() == 1
    assert PaymentReminder.objects.get().payer_level == PayerLevel.CITY
