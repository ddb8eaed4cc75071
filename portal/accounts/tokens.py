"""API tokens (issue 17): issued by their owner after the second factor, expiring, listed and
revocable by the owner, and every use audited under the token's name.

Why our own small model rather than DRF's ``Token`` or django-rest-knox: see README ("API
tokens"). The key is 43 random URL-safe characters, shown once; only its SHA-256 digest is
stored (a fast hash is enough for a random key of that length), so the database does not hold
usable keys. Clients send ``Authorization: Token <key>`` as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from portal.accounts.models import ApiToken
from portal.core.audit import audit_append
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.net import client_ip

PREFIX_LENGTH = 8
LAST_USED_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often


def max_days() -> int:
    return int(getattr(settings, "PORTAL_API_TOKEN_MAX_DAYS", 90))


def staff_needs_second_factor(user) -> bool:
    return bool(getattr(settings, "PORTAL_STAFF_2FA", False) and user.is_portal_staff)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _ref(token: ApiToken) -> dict:
    return {"object_ref": f"accounts.ApiToken:{token.pk}", "object_id": token.pk}


@transaction.atomic
def api_token_issue(
    *, user, name: str, days: int, verified: bool, ip: str = ""
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once). ``verified``: the request's session
    passed the second factor; staff need it when ``PORTAL_STAFF_2FA`` is on."""
    if staff_needs_second_factor(user) and not verified:
        raise PermissionRefused("工作人员须先完成二次验证（动态口令）才能签发接口令牌。")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写令牌用途。", errors={"name": "请填写令牌用途，如“统计系统对接”。"})
    if not 1 <= int(days) <= max_days():
        message = f"有效期应为 1 至 {max_days()} 天。"
        raise DomainError(message, errors={"days": message})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=key[:PREFIX_LENGTH],
        digest=_digest(key),
        verified=verified,
        expires_at=timezone.now() + dt.timedelta(days=int(days)),
    )
    audit_append(
        kind="auth.token_issued",
        actor=user.get_username(),
        summary=f"签发接口令牌 {token}",
        data={"token": token.prefix, "name": token.name, "days": int(days), "ip": ip},
        **_ref(token),
    )
    return token, key


def api_token_list(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


@transaction.atomic
def api_token_revoke(*, owner, token_id, actor=None, ip: str = "") -> ApiToken:
    """Revoke one of ``owner``'s tokens (another's id looks like a missing one); ``actor`` is
    the owner, or a system administrator revoking it from the admin."""
    actor = actor or owner
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=owner).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_append(
            kind="auth.token_revoked",
            actor=actor.get_username(),
            summary=f"吊销 {owner.get_username()} 的接口令牌 {token}",
            data={
                "token": token.prefix,
                "name": token.name,
                "owner": owner.get_username(),
                "ip": ip,
            },
            **_ref(token),
        )
    return token


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``: an active, unexpired token of an active user (for staff,
    issued after the second factor). Each authenticated request is audited with the token."""

    model = ApiToken
    FAILED = "令牌无效、已过期或已被吊销。"

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            user, token = found
            audit_append(
                kind="auth.token_used",
                actor=user.get_username(),
                summary=f"使用接口令牌 {token}",
                data={
                    "token": token.prefix,
                    "name": token.name,
                    "method": request.method,
                    "path": request.path,
                    "ip": client_ip(request._request),
                },
                **_ref(token),
            )
        return found

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=_digest(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(self.FAILED)
        if staff_needs_second_factor(token.user) and not token.verified:
            raise AuthenticationFailed("该令牌签发时未经二次验证，请在网页上重新签发。")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
