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
