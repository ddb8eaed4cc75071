"""Issue 17 item 5: API tokens are issued by their owner after the second factor, expire, are
listed and revocable by the owner (page and API), and each use is audited naming the token."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import ApiToken
from portal.accounts.tokens import api_token_issue
from portal.core.errors import PermissionRefused
from portal.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.PORTAL_STAFF_2FA = True


def verified_client(user) -> Client:
    """A session that passed the TOTP check, as after a real login."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:otp"), {"token": f"{totp.token():06d}", "next": "/"})
    assert response.status_code == 302
    return client


def bearer(key: str) -> dict:
    return {"Authorization": f"Token {key}"}


def test_tokens_cannot_be_minted_in_the_admin(client, sys_admin):
    client.force_login(sys_admin)
    sys_admin_client = verified_client(sys_admin)
    assert sys_admin_client.get("/admin/authtoken/tokenproxy/add/").status_code == 404
    assert sys_admin_client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_staff_without_the_second_factor_cannot_get_a_token(client, city_reviewer):
    client.force_login(city_reviewer)  # password only
    response = client.post(reverse("accounts:tokens"), {"name": "对接", "days": 30})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp"))
    assert not ApiToken.objects.exists()
    with pytest.raises(PermissionRefused):
        api_token_issue(user=city_reviewer, name="x", days=30, verified=False)


def test_owner_issues_uses_lists_and_revokes_a_token_on_the_page(city_reviewer):
    client = verified_client(city_reviewer)
    page = client.post(reverse("accounts:tokens"), {"name": "统计系统对接", "days": 30})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=city_reviewer)
    key = page.context["new_key"]
    assert key in page.content.decode() and "只显示这一次" in page.content.decode()
    assert key.startswith(token.prefix) and key not in str(token.__dict__)  # only a digest kept
    assert token.verified and token.expires_at > timezone.now() + dt.timedelta(days=29)

    api = Client()
    me = api.get("/api/v1/me/", headers=bearer(key))
    assert me.status_code == 200 and me.json()["username"] == city_reviewer.username
    used = AuditRecord.objects.filter(kind="auth.token_used").last()
    assert used.actor == city_reviewer.username
    assert used.object_ref == f"accounts.ApiToken:{token.pk}"
    assert used.data["token"] == token.prefix and used.data["path"] == "/api/v1/me/"
    assert "统计系统对接" in used.summary

    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "统计系统对接" in listing and token.prefix in listing and key not in listing

    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert api.get("/api/v1/me/", headers=bearer(key)).status_code == 403
    assert AuditRecord.objects.filter(kind="auth.token_revoked", object_id=token.pk).exists()
    assert AuditRecord.objects.filter(kind="auth.token_issued", object_id=token.pk).exists()


def test_an_expired_token_is_refused(city_reviewer):
    token, key = api_token_issue(user=city_reviewer, name="x", days=1, verified=True)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/v1/me/", headers=bearer(key)).status_code == 403


def test_a_staff_token_issued_without_the_second_factor_is_refused(settings, city_reviewer):
    settings.PORTAL_STAFF_2FA = False
    _, key = api_token_issue(user=city_reviewer, name="x", days=1, verified=False)
    assert Client().get("/api/v1/me/", headers=bearer(key)).status_code == 200
    settings.PORTAL_STAFF_2FA = True
    assert Client().get("/api/v1/me/", headers=bearer(key)).status_code == 403


def test_token_api_lists_issues_and_revokes_only_the_owners_tokens(city_reviewer, leader):
    client = verified_client(city_reviewer)
    created = client.post("/api/v1/tokens/", {"name": "报表", "days": 7}, "application/json")
    assert created.status_code == 201, created.content.decode()
    key, token_id = created.json()["key"], created.json()["id"]
    listed = client.get("/api/v1/tokens/").json()
    assert [t["id"] for t in listed["results"]] == [token_id]
    assert "key" not in listed["results"][0]

    # a token cannot mint another one (the second factor is proved in a session)
    minted = Client().post(
        "/api/v1/tokens/", {"name": "y", "days": 7}, "application/json", headers=bearer(key)
    )
    assert minted.status_code == 403

    others, _ = api_token_issue(user=leader, name="领导的", days=7, verified=True)
    assert client.delete(f"/api/v1/tokens/{others.pk}/").status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}/").status_code == 204
    assert Client().get("/api/v1/me/", headers=bearer(key)).status_code == 403
    others.refresh_from_db()
    assert others.revoked_at is None


def test_an_administrator_revokes_a_token_in_the_admin_and_is_named(sys_admin, leader):
    token, key = api_token_issue(user=leader, name="领导看板", days=7, verified=True)
    admin_client = verified_client(sys_admin)
    response = admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    record = AuditRecord.objects.get(kind="auth.token_revoked", object_id=token.pk)
    assert record.actor == sys_admin.username and record.data["owner"] == leader.username
    assert Client().get("/api/v1/me/", headers=bearer(key)).status_code == 403
