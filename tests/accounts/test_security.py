"""Login lockout, password rules and password age (等保 profile by default)."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_login_delay(settings):
    """The username-wide delay off, to test the per-address lock on its own."""
    settings.PORTAL_LOGIN_DELAY_AFTER = 1000


def test_ten_failures_lock_the_account_for_this_address(
    client, enterprise_user, password, no_login_delay
):
    url = reverse("accounts:login")
    for _ in range(10):
        client.post(url, {"username": enterprise_user.username, "password": "wrong"})
    locked = client.post(url, {"username": enterprise_user.username, "password": password})
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_success_before_the_limit_resets_the_count(
    client, enterprise_user, password, no_login_delay
):
    url = reverse("accounts:login")
    for _ in range(9):
        client.post(url, {"username": enterprise_user.username, "password": "wrong"})
    assert (
        client.post(url, {"username": enterprise_user.username, "password": password}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("candidate", "fragment"),
    [("abc12345", "符号"), ("Ab!1", "太短"), ("password1!", None), ("Zz@20261123", None)],
)
def test_dengbao_profile_rules(candidate, fragment):
    if fragment is None and candidate == "Zz@20261123":
        validate_password(candidate)
        return
    with pytest.raises(ValidationError) as exc:
        validate_password(candidate)
    if fragment:
        assert fragment in " ".join(exc.value.messages)


def test_asvs_profile_has_no_composition_rule_but_needs_length():
    from portal.settings.password_profiles import PROFILES

    validators = PROFILES["asvs"]["validators"]
    from django.contrib.auth.password_validation import get_password_validators

    checks = get_password_validators(validators)
    validate_password("correct horse battery staple", password_validators=checks)
    with pytest.raises(ValidationError):
        validate_password("Sh0rt!pass", password_validators=checks)


def test_expired_password_must_be_changed_first(client, enterprise_user):
    enterprise_user.password_changed_at = timezone.now() - dt.timedelta(days=91)
    enterprise_user.save()
    client.force_login(enterprise_user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")


def test_changing_password_logs_out_other_sessions(client, enterprise_user, password):
    from django.test import Client

    other = Client()
    other.force_login(enterprise_user)
    client.force_login(enterprise_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "N3w!Passw0rd",
            "new_password2": "N3w!Passw0rd",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session kept
    assert other.get(reverse("home")).status_code == 302  # the other one logged out
