"""A leader whose account names a district reads finance for that district only: its cases'
shares, its bureau's batches, the backlog of awards without payables, 配套未到位."""

import pytest
from django.utils import timezone

from finance import selectors
from finance.models import PayerLevel
from finance.services.batches import payment_batch_create, payment_batch_mark_paid
from finance.services.payables import payables_create_for_application
from portal.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.finance import determined_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def erqi_leader(db):
    return UserFactory(username="erqi_leader", role=Role.LEADER, district_code="erqi")


def _paid_city_share(award, city_finance):
    [payable] = payables_create_for_application(application=award)
    share = payable.shares.get(payer_level=PayerLevel.CITY)
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    payment_batch_mark_paid(
        batch=batch, share=share, actor=city_finance, voucher_no="V1", paid_on=timezone.localdate()
    )
    return payable


def test_a_district_leader_reads_its_district_only(
    library, leader, erqi_leader, city_finance, district_finance
):
    jinshui = _paid_city_share(determined_award(district_code="jinshui"), city_finance)
    erqi = _paid_city_share(determined_award(district_code="erqi"), city_finance)
    jinshui_batch = payment_batch_create(
        actor=district_finance,
        share_ids=[jinshui.shares.get(payer_level=PayerLevel.DISTRICT).pk],
    )
    determined_award(district_code="jinshui", period="2024")  # no payable yet
    mine = {s.payable_id for s in selectors.share_list(user=erqi_leader)}
    assert mine == {erqi.pk}
    assert {s.payable_id for s in selectors.share_list(user=leader)} == {jinshui.pk, erqi.pk}
    # the city batch lists both districts' bank accounts; 金水区's batch is not 二七区's
    assert list(selectors.batch_list(user=erqi_leader)) == []
    assert selectors.batch_list(user=leader).count() == 3
    assert selectors.access_batch(leader, jinshui_batch.pk) == jinshui_batch
    assert [s.payable_id for s in selectors.unmatched_list(user=erqi_leader)] == [erqi.pk]
    assert selectors.unmatched_list(user=leader).count() == 2
    assert selectors.awards_without_payables(user=erqi_leader) == 0
    assert selectors.awards_without_payables(user=leader) == 1
    assert {r["payer"] for r in selectors.reconciliation(user=erqi_leader)} == {
        "市财政局",
        "二七区财政局",
    }
