"""Re-authentication before marking money paid (pages and API): the password (and the TOTP code
for staff with 2FA) within PORTAL_REAUTH_SECONDS, nothing typed lost, every attempt audited,
failures counted by the login lockout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from finance.models import LedgerEntry, PayableShare, PayerLevel
from finance.services import payables_create_for_application, payment_batch_create
from policies.loading import policy_library_load
from portal.accounts.reauth import PENDING_KEY, SESSION_KEY
from portal.core.models import AuditRecord
from tests.factories.finance import bank_return_file, determined_award

pytestmark = pytest.mark.django_db
PAID = {"voucher_no": "PZ-2023-0042", "paid_on": timezone.localdate().isoformat()}


@pytest.fixture
def in_batch(city_finance):
    """The city's share of an award, in a batch of the city finance bureau."""
    policy_library_load()
    application = determined_award(
        district_code="jinshui", determined_at=dt.datetime(2023, 2, 10, 10, tzinfo=dt.UTC)
    )
    [payable] = payables_create_for_application(application=application)
    share = payable.shares.get(payer_level=PayerLevel.CITY)
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    return batch, share


def paid_url(batch, share) -> str:
    return reverse("finance:batch_mark_paid", args=[batch.pk, share.pk])


def is_paid(share) -> bool:
    share.refresh_from_db()
    return share.status == PayableShare.Status.PAID


def audit_kinds(user) -> list[str]:
    return list(
        AuditRecord.objects.filter(actor=user.username, kind__startswith="auth.reauth")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- pages ---------------------------------------------------------------------------------


def test_mark_paid_goes_through_the_password_and_nothing_typed_is_lost(
    client, in_batch, city_finance, password
):
    batch, share = in_batch
    client.force_login(city_finance)
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert "需要验证身份" in page  # said before the officer types anything

    asked = client.post(paid_url(batch, share), PAID)
    batch_page = reverse("finance:batch", args=[batch.pk])
    assert asked.status_code == 302
    assert (
        asked["Location"]
        == f"{reverse('accounts:reauth')}?next=%2Ffinance%2Fbatches%2F{batch.pk}%2F"
    )
    assert not is_paid(share)

    form = client.get(asked["Location"])
    assert form.status_code == 200 and "登记已支付" in form.content.decode()
    wrong = client.post(reverse("accounts:reauth"), {"password": "wrong", "next": batch_page})
    assert wrong.status_code == 200 and "密码不正确" in wrong.content.decode()
    assert SESSION_KEY not in client.session

    confirmed = client.post(reverse("accounts:reauth"), {"password": password, "next": batch_page})
    assert confirmed.status_code == 200  # the "continue" page with what was typed
    body = confirmed.content.decode()
    assert "PZ-2023-0042" in body and "凭证号" in body and "继续提交" in body
    assert 'name="csrfmiddlewaretoken"' in body and not is_paid(share)
    assert PENDING_KEY not in client.session  # offered once

    pending = confirmed.context["pending"]
    done = client.post(pending["url"], dict(pending["fields"]))
    assert done.status_code == 302 and done["Location"] == batch_page
    assert is_paid(share) and share.voucher_no == "PZ-2023-0042"
    assert LedgerEntry.objects.filter(share=share, kind="paid").count() == 1
    assert audit_kinds(city_finance) == ["auth.reauth_failed", "auth.reauth"]
    failed = AuditRecord.objects.get(kind="auth.reauth_failed")
    assert failed.data["reason"] == "password" and failed.data["channel"] == "web"
    # a failed re-authentication is not also recorded as a failed login
    assert not AuditRecord.objects.filter(kind="auth.login_failed").exists()


def test_without_a_pending_submission_the_page_goes_back_to_next(client, city_finance, password):
    client.force_login(city_finance)
    response = client.post(
        reverse("accounts:reauth"), {"password": password, "next": "/finance/batches/"}
    )
    assert response.status_code == 302 and response["Location"] == "/finance/batches/"
    evil = client.post(
        reverse("accounts:reauth"), {"password": password, "next": "https://evil.example.com/"}
    )
    assert evil.status_code == 302 and evil["Location"] == "/"


def test_the_proof_expires_after_the_window(client, in_batch, city_finance, reauth, settings):
    batch, share = in_batch
    settings.PORTAL_REAUTH_SECONDS = 300
    client.force_login(city_finance)
    reauth(client)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "at": session[SESSION_KEY]["at"] - 301}
    session.save()
    response = client.post(paid_url(batch, share), PAID)
    assert response.status_code == 302 and "/accounts/reauth/" in response["Location"]
    assert not is_paid(share)
    reauth(client)
    assert client.post(paid_url(batch, share), PAID).status_code == 302
    assert is_paid(share)


def test_a_login_is_not_a_reauthentication(client, city_finance, in_batch, password):
    batch, share = in_batch
    client.post(
        reverse("accounts:login"), {"username": city_finance.username, "password": password}
    )
    response = client.post(paid_url(batch, share), PAID)
    assert response.status_code == 302 and "/accounts/reauth/" in response["Location"]
    assert not is_paid(share)


def test_a_bank_return_file_must_be_chosen_again(client, in_batch, city_finance, password):
    batch, share = in_batch
    client.force_login(city_finance)
    account = share.payable.application.enterprise.bank_account
    upload = bank_return_file(
        [(account, "50000.01", "B77", timezone.localdate().strftime("%Y%m%d"), "交易成功")]
    )
    url = reverse("finance:batch_upload_return", args=[batch.pk])
    assert client.post(url, {"file": upload}).status_code == 302
    assert not is_paid(share)
    back = client.post(reverse("accounts:reauth"), {"password": password, "next": "/"})
    assert back.status_code == 302 and back["Location"] == reverse("finance:batch", args=[batch.pk])
    page = client.get(back["Location"]).content.decode()
    assert "请重新选择文件" in page


def test_failed_reauthentications_count_towards_the_lockout(
    client, city_finance, password, settings
):
    settings.PORTAL_LOGIN_DELAY_AFTER = 1000  # the per-address lock on its own
    client.force_login(city_finance)
    url = reverse("accounts:reauth")
    for _ in range(10):
        client.post(url, {"password": "wrong", "next": "/"})
    locked = client.post(url, {"password": password, "next": "/"})
    assert locked.status_code == 429 and "已暂时锁定" in locked.content.decode()
    assert SESSION_KEY not in client.session
    assert audit_kinds(city_finance)[-1] == "auth.reauth_failed"
    assert AuditRecord.objects.filter(kind="auth.reauth_failed").last().data["reason"] == "locked"
    # the same lockout as the login page's
    login = Client().post(
        reverse("accounts:login"), {"username": city_finance.username, "password": password}
    )
    assert login.status_code == 429


def test_staff_with_2fa_also_enter_their_code(client, in_batch, city_finance, password, settings):
    settings.PORTAL_STAFF_2FA = True
    device = TOTPDevice.objects.create(user=city_finance, name="phone", confirmed=True)
    client.force_login(city_finance)
    client.post(reverse("accounts:otp"), {"token": code_of(device), "next": "/"})  # the login's
    device.refresh_from_db()
    device.last_t = -1  # a code is used once; let the test use this time step's code again
    device.save()

    form = client.get(reverse("accounts:reauth")).content.decode()
    assert 'name="otp_token"' in form
    no_code = client.post(reverse("accounts:reauth"), {"password": password, "otp_token": "12"})
    assert no_code.status_code == 200 and SESSION_KEY not in client.session
    assert AuditRecord.objects.filter(kind="auth.reauth_failed").last().data["reason"] == "otp"
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(
        reverse("accounts:reauth"),
        {"password": password, "otp_token": code_of(device), "next": "/"},
    )
    assert ok.status_code == 302 and SESSION_KEY in client.session


def test_enterprise_users_need_no_code(client, enterprise_user, password, settings):
    settings.PORTAL_STAFF_2FA = True
    client.force_login(enterprise_user)
    assert 'name="otp_token"' not in client.get(reverse("accounts:reauth")).content.decode()
    response = client.post(reverse("accounts:reauth"), {"password": password, "next": "/"})
    assert response.status_code == 302 and SESSION_KEY in client.session


# --- API -----------------------------------------------------------------------------------


def api_paid_url(batch, share) -> str:
    return reverse("api-finance-mark-paid", args=[batch.pk, share.pk])


def test_api_without_reauthentication_is_403_with_a_code(in_batch, city_finance):
    batch, share = in_batch
    api = APIClient()
    api.force_authenticate(city_finance)
    response = api.post(api_paid_url(batch, share), PAID, format="json")
    assert response.status_code == 403
    errors = response.json()["errors"]
    assert errors["code"] == "reauth_required" and "X-Reauth-Password" in errors["detail"]
    assert "重新验证身份" in errors["detail"] and not is_paid(share)


def test_api_password_header(in_batch, city_finance, password):
    batch, share = in_batch
    api = APIClient()
    api.force_authenticate(city_finance)
    wrong = api.post(
        api_paid_url(batch, share), PAID, format="json", HTTP_X_REAUTH_PASSWORD="wrong"
    )
    assert wrong.status_code == 403 and wrong.json()["errors"]["code"] == "reauth_failed"
    assert not is_paid(share)
    ok = api.post(api_paid_url(batch, share), PAID, format="json", HTTP_X_REAUTH_PASSWORD=password)
    assert ok.status_code == 200 and ok.json()["changed"] is True and is_paid(share)
    assert audit_kinds(city_finance) == ["auth.reauth_failed", "auth.reauth"]
    assert AuditRecord.objects.filter(kind="auth.reauth").get().data["channel"] == "api"
    # stateless: the header proves it for that request only
    again = api.post(api_paid_url(batch, share), PAID, format="json")
    assert again.status_code == 403


def test_api_header_needs_the_code_when_2fa_is_on(in_batch, city_finance, password, settings):
    settings.PORTAL_STAFF_2FA = True
    batch, share = in_batch
    device = TOTPDevice.objects.create(user=city_finance, name="phone", confirmed=True)
    api = APIClient()
    api.force_authenticate(city_finance)
    url = api_paid_url(batch, share)
    no_code = api.post(url, PAID, format="json", HTTP_X_REAUTH_PASSWORD=password)
    assert no_code.status_code == 403 and no_code.json()["errors"]["code"] == "reauth_failed"
    device.refresh_from_db()
    device.throttle_reset()
    ok = api.post(
        url, PAID, format="json", HTTP_X_REAUTH_PASSWORD=password, HTTP_X_REAUTH_OTP=code_of(device)
    )
    assert ok.status_code == 200 and is_paid(share)


def test_a_session_reauthenticated_on_the_page_may_use_the_api(
    client, in_batch, city_finance, reauth
):
    batch, share = in_batch
    client.force_login(city_finance)
    url = api_paid_url(batch, share)
    assert client.post(url, PAID, content_type="application/json").status_code == 403
    reauth(client)
    response = client.post(url, PAID, content_type="application/json")
    assert response.status_code == 200 and is_paid(share)


def test_other_roles_are_refused_for_their_role_not_asked_for_a_password(
    client, in_batch, city_reviewer
):
    batch, share = in_batch
    client.force_login(city_reviewer)
    assert client.post(paid_url(batch, share), PAID).status_code == 403
    api = APIClient()
    api.force_authenticate(city_reviewer)
    response = api.post(api_paid_url(batch, share), PAID, format="json")
    assert response.status_code == 403 and "code" not in response.json()["errors"]
