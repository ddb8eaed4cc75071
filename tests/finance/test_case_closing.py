"""After the last share is paid the case reaches 已拨付（办结） through its transition table,
the timeline shows each payment, and the enterprise gets the amount and the vouchers."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent, Notification
from applications.steps import case_steps, policy_timing
from applications.workflow import NEXT_STEPS, Action, Status
from finance.models import PayableShare, PayerLevel
from finance.selectors import application_payment_status
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
    share_cancel,
)
from tests.factories.enterprises import EnterpriseMemberFactory
from tests.factories.finance import determined_award

pytestmark = pytest.mark.usefixtures("library")
TODAY = timezone.localdate()


def _shares(app):
    [payable] = payables_create_for_application(application=app)
    found = {s.payer_level: s for s in payable.shares.all()}
    return found[PayerLevel.CITY], found[PayerLevel.DISTRICT]


def _pay(share, actor, voucher):
    batch = payment_batch_create(actor=actor, share_ids=[share.pk])
    payment_batch_mark_paid(
        batch=batch, share=share, actor=actor, voucher_no=voucher, paid_on=TODAY
    )


def test_the_last_payment_closes_the_case_with_an_event_and_a_message(
    city_finance, district_finance, enterprise_user
):
    app = determined_award(amount_fen=30_000_000)
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    city, district = _shares(app)

    _pay(city, city_finance, "CZ-001")
    app.refresh_from_db()
    assert app.status == Status.DETERMINED  # the district's half is still open
    assert not Notification.objects.filter(user=enterprise_user, title__contains="办结").exists()

    _pay(district, district_finance, "JS-002")
    app.refresh_from_db()
    assert app.status == Status.PAID
    closing = ApplicationEvent.objects.get(application=app, action=Action.PAY_COMPLETE)
    assert (closing.from_status, closing.to_status, closing.actor) == (
        Status.DETERMINED,
        Status.PAID,
        district_finance,
    )
    assert "300,000.00 元" in closing.comment and "CZ-001" in closing.comment
    message = Notification.objects.get(
        user=enterprise_user, application=app, title__contains="办结"
    )
    assert "300,000.00 元" in message.body
    assert "CZ-001" in message.body and "JS-002" in message.body
    payments = ApplicationEvent.objects.filter(application=app, action="payment_paid")
    assert [e.visible_to_enterprise for e in payments] == [True, True]
    assert "150,000.00 元" in payments[0].comment and "CZ-001" in payments[0].comment
    assert "等待财政部门拨付资金" not in NEXT_STEPS[app.status]


def test_paying_a_share_again_does_not_close_twice(city_finance, district_finance):
    app = determined_award()
    city, district = _shares(app)
    _pay(city, city_finance, "A1")
    _pay(district, district_finance, "B1")
    batch = district.batch_items.get().batch
    assert not payment_batch_mark_paid(
        batch=batch, share=district, actor=district_finance, voucher_no="B1", paid_on=TODAY
    )
    assert ApplicationEvent.objects.filter(application=app, action=Action.PAY_COMPLETE).count() == 1


def test_a_cancelled_rest_closes_when_the_rest_is_paid(city_finance, district_finance):
    app = determined_award()
    city, district = _shares(app)
    _pay(city, city_finance, "A1")
    share_cancel(share=district, actor=district_finance, reason="区县配套不再安排")
    app.refresh_from_db()
    assert app.status == Status.PAID


def test_nothing_paid_yet_is_not_closed_by_a_cancel(city_finance, district_finance):
    app = determined_award()
    _city, district = _shares(app)
    share_cancel(share=district, actor=district_finance, reason="撤销")
    app.refresh_from_db()
    assert app.status == Status.DETERMINED


def _labels(steps):
    return {s.name: s.state for s in steps}


def test_steps_follow_the_money(city_finance, district_finance):
    app = determined_award()
    city, district = _shares(app)
    payment = application_payment_status(app)
    steps = case_steps(app, events=app.events.order_by("created_at"), payment=payment)
    assert [s.name for s in steps] == [
        "申报",
        "区县初审",
        "市级复审",
        "公示",
        "确定",
        "拨付",
        "办结",
    ]
    here = [s for s in steps if s.current]
    assert [s.name for s in here] == ["拨付"]
    assert here[0].holder == "市财政局、金水区财政局"
    assert here[0].due == city.due_date and here[0].remaining is not None
    assert _labels(steps)["确定"] == "done"
    _pay(city, city_finance, "A1")
    _pay(district, district_finance, "B1")
    app.refresh_from_db()
    steps = case_steps(
        app, events=app.events.order_by("created_at"), payment=application_payment_status(app)
    )
    assert [s.name for s in steps if s.current] == ["办结"]
    assert _labels(steps)["拨付"] == "done"


def test_an_award_determined_after_the_policy_target_is_late_against_it():
    """155号第17条: 应拨尽拨 by 2023-03-31; an award determined now is late whatever its own
    working-day due date says."""
    app = determined_award()
    city, _ = _shares(app)
    assert city.due_date > TODAY  # its own clock: 20 working days ahead
    assert city.policy_target.day == dt.date(2023, 3, 31)
    assert city.is_late_against_policy()
    timing = policy_timing(app, payment=application_payment_status(app))
    assert timing.late and "2023年03月31日" in timing.message and "第17条" in timing.message


def test_an_award_determined_and_paid_before_the_target_is_not_late(city_finance):
    app = determined_award(determined_at=timezone.make_aware(dt.datetime(2023, 2, 1, 10)))
    city, _ = _shares(app)
    city.status, city.voucher_no, city.paid_on = PayableShare.Status.PAID, "V", dt.date(2023, 3, 1)
    assert not city.is_late_against_policy(today=TODAY)
    city.paid_on = dt.date(2023, 4, 3)
    assert city.is_late_against_policy(today=TODAY)


def test_the_share_list_flags_lateness_against_the_policy(client, city_finance):
    app = determined_award()
    _shares(app)
    client.force_login(city_finance)
    page = client.get("/finance/shares/").content.decode()
    assert "政策时限 2023-03-31" in page and "超过政策兑付时限" in page
    rows = client.get("/api/v1/finance/shares/").json()["results"]
    assert rows[0]["policy_target"] == "2023-03-31" and rows[0]["late_against_policy"] is True


def test_the_leader_overdue_list_flags_an_award_late_against_its_policy(client, leader):
    """Determined now, due 20 working days ahead by its own clock, yet in the red list: 155号
    wanted its money paid by 2023-03-31."""
    from dashboards.projection import summary_rebuild

    app = determined_award()
    city, _ = _shares(app)
    assert city.due_date > TODAY
    summary_rebuild()
    client.force_login(leader)
    response = client.get("/dashboards/")
    red = response.context["o"].breaches["pay_red"]
    assert [r.application_id for r in red] == [app.pk]
    assert "超过政策兑付时限：2023年03月31日前应拨尽拨" in response.content.decode()


def test_the_data_migration_closes_cases_already_fully_paid():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("finance.migrations.0005_close_fully_paid_cases")
    done, half = determined_award(), determined_award(district_code="erqi")
    for app, paid in ((done, (PayerLevel.CITY, PayerLevel.DISTRICT)), (half, (PayerLevel.CITY,))):
        _shares(app)
        PayableShare.objects.filter(payable__application=app, payer_level__in=paid).update(
            status=PayableShare.Status.PAID, voucher_no="OLD-1", paid_on=TODAY
        )
    migration.forwards(apps, None)
    done.refresh_from_db()
    half.refresh_from_db()
    assert (done.status, half.status) == (Status.PAID, Status.DETERMINED)
    event = ApplicationEvent.objects.get(application=done, action=Action.PAY_COMPLETE)
    assert (event.from_status, event.to_status, event.data["migrated"]) == (
        Status.DETERMINED,
        Status.PAID,
        True,
    )
    assert "300,000.00" not in event.comment and "100,000.01 元" in event.comment
    migration.forwards(apps, None)  # again: nothing more
    assert ApplicationEvent.objects.filter(action=Action.PAY_COMPLETE).count() == 1
