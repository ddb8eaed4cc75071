"""Staff log in with a TOTP second factor (等保 level 3); enterprises do not need one."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.PORTAL_STAFF_2FA = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_staff_must_set_up_and_enter_a_code_before_any_page(client, city_reviewer):
    client.force_login(city_reviewer)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp"))
    assert client.get("/api/v1/me/").status_code == 403

    setup = client.get(reverse("accounts:otp"))
    assert "扫描" in setup.content.decode() and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=city_reviewer, confirmed=False)

    wrong = client.post(
        reverse("accounts:otp"),
        {"token": "000000" if current_code(device) != "000000" else "111111"},
    )
    assert "动态口令不正确" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()

    ok = client.post(reverse("accounts:otp"), {"token": current_code(device), "next": "/"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_enterprise_users_need_no_second_factor(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("home")).status_code == 200


def test_next_url_cannot_leave_the_site(client, finance_user_with_device):
    client.force_login(finance_user_with_device.user)
    response = client.post(
        reverse("accounts:otp"),
        {"token": current_code(finance_user_with_device), "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302 and response.url == "/"


@pytest.fixture
def finance_user_with_device(city_finance):
    return TOTPDevice.objects.create(user=city_finance, name="phone", confirmed=True)


# --- issue 17 item 4: the set-up secret belongs to the session that opened set-up ----------


def test_each_setup_session_gets_its_own_secret_and_only_the_enrolling_one_counts(city_reviewer):
    from django.test import Client

    from portal.core.models import AuditRecord

    first, second = Client(), Client()
    first.force_login(city_reviewer)
    second.force_login(city_reviewer)
    first_page = first.get(reverse("accounts:otp")).content.decode()
    second_page = second.get(reverse("accounts:otp")).content.decode()
    devices = list(TOTPDevice.objects.filter(user=city_reviewer, confirmed=False).order_by("pk"))
    assert len(devices) == 2, "two set-up sessions must not share one secret"
    first_device, second_device = devices
    assert first_device.key != second_device.key
    from portal.accounts.otp import secret_text

    assert secret_text(first_device) in first_page and secret_text(second_device) in second_page
    assert secret_text(second_device) not in first_page
    again_page = first.get(reverse("accounts:otp")).content.decode()
    assert secret_text(first_device) in again_page  # kept for the session while it sets up

    # the second session's code does not work in the first session (and vice versa)
    refused = first.post(reverse("accounts:otp"), {"token": current_code(second_device)})
    assert "动态口令不正确" in refused.content.decode()
    enrolled = second.post(reverse("accounts:otp"), {"token": current_code(second_device)})
    assert enrolled.status_code == 302

    # the first session's secret is gone: it can never pass OTP with what it saw
    assert not TOTPDevice.objects.filter(pk=first_device.pk).exists()
    confirmed = TOTPDevice.objects.get(user=city_reviewer, confirmed=True)
    assert confirmed.pk == second_device.pk
    assert "扫描" not in first.get(reverse("accounts:otp")).content.decode()
    again = first.post(reverse("accounts:otp"), {"token": current_code(first_device)})
    assert "动态口令不正确" in again.content.decode()

    kinds = list(
        AuditRecord.objects.filter(actor=city_reviewer.username).values_list("kind", flat=True)
    )
    assert "auth.otp_enrolled" in kinds
    assert kinds.count("auth.otp_failed") == 2
    enrolled = AuditRecord.objects.get(kind="auth.otp_enrolled")
    assert enrolled.data["device"] == second_device.pk


def test_a_code_posted_without_opening_setup_is_refused(client, city_reviewer):
    other = TOTPDevice.objects.create(user=city_reviewer, name="x", confirmed=False)
    client.force_login(city_reviewer)
    response = client.post(reverse("accounts:otp"), {"token": current_code(other)})
    assert "动态口令不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=city_reviewer, confirmed=True).exists()
