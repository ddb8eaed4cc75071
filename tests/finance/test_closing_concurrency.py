"""The city's and the district's treasury record the last two payments of one award at the
same moment: the case is closed (已拨付（办结）) exactly once, with one message (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.models import ApplicationEvent, Notification
from applications.workflow import Action, Status
from finance.models import PayableShare, PayerLevel, PaymentBatch
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from policies.loading import policy_library_load
from portal.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import EnterpriseMemberFactory
from tests.factories.finance import determined_award

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="row locks between concurrent transactions are tested on PostgreSQL; SQLite "
        "serialises writers, so the race cannot happen there",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_treasuries_paying_the_last_shares_at_once_close_the_case_once(attempt):
    policy_library_load()
    city_officer = UserFactory(username=f"city_fin_{attempt}", role=Role.FINANCE)
    district_officer = UserFactory(
        username=f"js_fin_{attempt}", role=Role.FINANCE, district_code="jinshui"
    )
    app = determined_award()
    member = EnterpriseMemberFactory(enterprise=app.enterprise)
    [payable] = payables_create_for_application(application=app)
    work = []
    for officer, level in (
        (city_officer, PayerLevel.CITY),
        (district_officer, PayerLevel.DISTRICT),
    ):
        share = payable.shares.get(payer_level=level)
        batch = payment_batch_create(actor=officer, share_ids=[share.pk])
        work.append((officer, batch.pk, share.pk))
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def pay(officer, batch_id, share_id):
        try:
            batch = PaymentBatch.objects.get(pk=batch_id)
            share = PayableShare.objects.get(pk=share_id)
            barrier.wait()
            payment_batch_mark_paid(
                batch=batch,
                share=share,
                actor=officer,
                voucher_no=f"V-{share_id}",
                paid_on=timezone.localdate(),
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=args) for args in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    app.refresh_from_db()
    assert app.status == Status.PAID
    assert ApplicationEvent.objects.filter(application=app, action=Action.PAY_COMPLETE).count() == 1
    assert Notification.objects.filter(user=member.user, title__contains="办结").count() == 1
