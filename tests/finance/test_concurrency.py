"""Twenty "mark paid" requests on one share at the same moment: exactly one payment (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from finance.models import LedgerEntry, PayableShare, PayerLevel, PaymentBatch
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from policies.loading import policy_library_load
from portal.accounts.models import Role
from portal.core.errors import DomainError
from tests.factories.accounts import UserFactory
from tests.factories.finance import determined_award

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="row locks (select_for_update) between concurrent transactions are tested on "
        "PostgreSQL; SQLite serialises writers, so the race cannot happen there",
    ),
    pytest.mark.django_db(transaction=True),
]


THREADS = 20


def test_twenty_concurrent_mark_paid_make_one_payment():
    policy_library_load()
    officer = UserFactory(username="city_fin_race", role=Role.FINANCE)
    [payable] = payables_create_for_application(application=determined_award())
    share = payable.shares.get(payer_level=PayerLevel.CITY)
    batch = payment_batch_create(actor=officer, share_ids=[share.pk])
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []

    def mark(voucher: str):
        try:
            stale_batch = PaymentBatch.objects.get(pk=batch.pk)
            stale_share = PayableShare.objects.get(pk=share.pk)  # what each request loaded
            barrier.wait()
            outcomes.append(
                payment_batch_mark_paid(
                    batch=stale_batch,
                    share=stale_share,
                    actor=officer,
                    voucher_no=voucher,
                    paid_on=timezone.localdate(),
                )
            )
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    # half repeat the same confirmation (idempotent), half try another voucher (refused)
    vouchers = ["V-SAME" if i % 2 else f"V-{i}" for i in range(THREADS)]
    threads = [threading.Thread(target=mark, args=(v,)) for v in vouchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == THREADS, outcomes
    assert outcomes.count(True) == 1, outcomes
    assert all(o is False or o is True or "不能重复支付" in o for o in outcomes), outcomes
    assert LedgerEntry.objects.filter(share=share, kind=LedgerEntry.Kind.PAID).count() == 1
    share.refresh_from_db()
    assert share.status == PayableShare.Status.PAID
