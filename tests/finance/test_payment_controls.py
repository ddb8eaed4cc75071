"""Payment facts (issue 16, 6.4): a paid date lies between the batch date and today; the batch
pays the payee account frozen at determination, and a later change of the enterprise's account
is paid only after a finance officer re-verifies it with re-authentication (audited)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.services import enterprise_update_profile
from finance.models import PayableShare, PayerLevel, PaymentBatchItem
from finance.services import (
    payables_create_for_application,
    payment_batch_apply_bank_return,
    payment_batch_create,
    payment_batch_mark_paid,
)
from portal.core.errors import DomainError
from portal.core.models import AuditRecord
from tests.factories.enterprises import enterprise_with_user
from tests.factories.finance import bank_return_file, determined_award

pytestmark = pytest.mark.usefixtures("library")
S = PayableShare.Status
OLD_ACCOUNT, NEW_ACCOUNT = "6217000010001234567", "6222020200112233445"


def _city_share(app):
    [payable] = payables_create_for_application(application=app)
    return payable.shares.get(payer_level=PayerLevel.CITY)


@pytest.fixture
def batched(city_finance):
    share = _city_share(determined_award())
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    share.refresh_from_db()
    return batch, share


# --- the paid date -------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["1900-01-01", "2023-04-03"])
def test_api_mark_paid_refuses_a_date_before_the_batch(batched, city_finance, api_client, day):
    batch, share = batched
    api_client.force_authenticate(city_finance)
    api_client.credentials(HTTP_X_REAUTH_PASSWORD="Test@12345!")
    url = reverse("api-finance-mark-paid", args=[batch.pk, share.pk])
    response = api_client.post(url, {"voucher_no": "V1", "paid_on": day}, format="json")
    assert response.status_code == 400
    assert "支付日期" in response.json()["errors"]["paid_on"]
    share.refresh_from_db()
    assert share.status == S.IN_BATCH and share.paid_on is None
    today = timezone.localdate().isoformat()
    ok = api_client.post(url, {"voucher_no": "V1", "paid_on": today}, format="json")
    assert ok.status_code == 200 and ok.json()["changed"] is True


def test_service_bounds_are_the_batch_day_and_today(batched, city_finance):
    batch, share = batched
    batch_day = timezone.localdate(batch.created_at)
    for day in (batch_day - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(DomainError, match="支付日期"):
            payment_batch_mark_paid(
                batch=batch, share=share, actor=city_finance, voucher_no="V", paid_on=day
            )
    assert payment_batch_mark_paid(
        batch=batch, share=share, actor=city_finance, voucher_no="V", paid_on=batch_day
    )


def test_page_mark_paid_refuses_1900(batched, city_finance, client, reauth):
    batch, share = batched
    client.force_login(city_finance)
    reauth(client)
    url = reverse("finance:batch_mark_paid", args=[batch.pk, share.pk])
    response = client.post(url, {"voucher_no": "V1", "paid_on": "1900-01-01"})
    assert "支付日期" in client.get(response["Location"]).content.decode()
    share.refresh_from_db()
    assert share.status == S.IN_BATCH


def test_bank_return_refuses_a_date_before_the_batch(batched, city_finance):
    batch, share = batched
    upload = bank_return_file([(OLD_ACCOUNT, "50000.01", "B1", "19000101", "交易成功")])
    with pytest.raises(DomainError) as caught:
        payment_batch_apply_bank_return(batch=batch, actor=city_finance, file=upload)
    assert "批次" in str(caught.value.errors)
    share.refresh_from_db()
    assert share.status == S.IN_BATCH


# --- the payee account ---------------------------------------------------------------------


def _award_with_owner(**kwargs):
    enterprise = enterprise_with_user(district_code="jinshui")
    owner = enterprise.members.get().user
    return determined_award(enterprise=enterprise, **kwargs), owner


def _change_bank(app, owner):
    enterprise_update_profile(
        enterprise=app.enterprise, actor=owner, data={"bank_account": NEW_ACCOUNT}
    )


def test_batch_pays_the_account_frozen_at_determination(city_finance, client):
    app, owner = _award_with_owner()
    share = _city_share(app)
    _change_bank(app, owner)  # after determination, without any re-verification
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    item = PaymentBatchItem.objects.get(batch=batch)
    assert item.bank_account == OLD_ACCOUNT
    client.force_login(city_finance)
    detail = client.get(reverse("api-finance-batch", args=[batch.pk])).json()
    assert detail["items"][0]["bank_account"] == OLD_ACCOUNT
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert "银行账户已变更" in page  # the officer is told the account changed since


def test_payables_made_late_still_freeze_the_account_of_the_determination_day(city_finance):
    app, owner = _award_with_owner(determined_at=timezone.now() - dt.timedelta(hours=2))
    _change_bank(app, owner)  # changed before the (late) payables task ran
    share = _city_share(app)
    assert share.payee_bank_account == OLD_ACCOUNT
    payment_batch_create(actor=city_finance, share_ids=[share.pk])
    assert PaymentBatchItem.objects.get(share=share).bank_account == OLD_ACCOUNT


def test_api_reverify_needs_reauth_and_is_audited(city_finance, api_client):
    app, owner = _award_with_owner()
    share = _city_share(app)
    _change_bank(app, owner)
    url = reverse("api-finance-payee-reverify", args=[share.pk])
    api_client.force_authenticate(city_finance)
    refused = api_client.post(url, {"note": "企业来函更换基本户"}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"]["code"] == "reauth_required"
    share.refresh_from_db()
    assert share.payee_bank_account == OLD_ACCOUNT
    api_client.credentials(HTTP_X_REAUTH_PASSWORD="Test@12345!")
    blank = api_client.post(url, {"note": ""}, format="json")
    assert blank.status_code == 400
    ok = api_client.post(url, {"note": "企业来函更换基本户"}, format="json")
    assert ok.status_code == 200 and ok.json()["payee_bank_account"] == NEW_ACCOUNT
    share.refresh_from_db()
    assert share.payee_bank_account == NEW_ACCOUNT
    event = app.events.get(action="payee_reverified")
    assert event.actor == city_finance and OLD_ACCOUNT in event.comment
    assert AuditRecord.objects.filter(kind="auth.reauth", actor=city_finance.username).exists()
    payment_batch_create(actor=city_finance, share_ids=[share.pk])
    assert PaymentBatchItem.objects.get(share=share).bank_account == NEW_ACCOUNT


def test_page_reverify_goes_through_reauth(city_finance, client, reauth):
    app, owner = _award_with_owner()
    share = _city_share(app)
    _change_bank(app, owner)
    client.force_login(city_finance)
    url = reverse("finance:payee_reverify", args=[share.pk])
    response = client.post(url, {"note": "企业来函更换基本户"})
    assert response.status_code == 302 and "reauth" in response["Location"]
    share.refresh_from_db()
    assert share.payee_bank_account == OLD_ACCOUNT
    reauth(client)
    response = client.post(url, {"note": "企业来函更换基本户"})
    assert "已核实" in client.get(response["Location"]).content.decode()
    share.refresh_from_db()
    assert share.payee_bank_account == NEW_ACCOUNT
