"""Re-authentication before the most sensitive acts (marking money paid, publishing a rule).

A logged-in user proves again, with the password (and, for staff when ``PORTAL_STAFF_2FA`` is
on, the authenticator's code), that they are at the keyboard. The proof lasts
``PORTAL_REAUTH_SECONDS`` (default 300) and lives in the session, bound to the user. A login
does not count: the re-authentication is an explicit confirmation just before the act.

- Pages: ``@recent_auth_required`` (or ``reauth_redirect`` inside a view) sends the user to
  ``/accounts/reauth/?next=...``. A POST cannot be replayed behind the user's back, so its
  fields (not files) are kept in the session and, after the password, shown again on a
  "continue" page whose button submits them; nothing typed is lost.
- API: ``RecentAuthRequired`` (a DRF permission) accepts a session re-authenticated within the
  window, or the headers ``X-Reauth-Password`` (and ``X-Reauth-OTP``) on the request itself
  (token clients have no session); otherwise 403 with ``code: reauth_required``.

Every attempt is written to the audit log (``auth.reauth`` / ``auth.reauth_failed``); a wrong
password goes through ``authenticate()``, so it counts towards the axes lockout like a failed
login does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import BasePermission

from portal.accounts.login_delay import delay_message, login_delay_remaining
from portal.accounts.otp import confirmed_device
from portal.core.audit import audit_append
from portal.core.net import client_ip

SESSION_KEY = "_reauth"
PENDING_KEY = "_reauth_pending"
PASSWORD_HEADER = "X-Reauth-Password"  # noqa: S105 - a header name
OTP_HEADER = "X-Reauth-OTP"
NOT_KEPT = frozenset({"csrfmiddlewaretoken", "password", "token", "otp_token"})


def reauth_window() -> int:
    return int(getattr(settings, "PORTAL_REAUTH_SECONDS", 300))


def reauth_needs_otp(user) -> bool:
    return bool(getattr(settings, "PORTAL_STAFF_2FA", False) and user.is_portal_staff)


def reauth_is_recent(request: HttpRequest) -> bool:
    """Has this session's user re-authenticated within the window?"""
    stamp = request.session.get(SESSION_KEY) or {}
    user = request.user
    if not user.is_authenticated or stamp.get("user") != user.pk:
        return False
    return 0 <= time.time() - stamp.get("at", 0) <= reauth_window()


@dataclass(frozen=True)
class ReauthResult:
    ok: bool
    error: str = ""
    reason: str = ""  # password | otp | locked


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def reauth_confirm(
    *, request: HttpRequest, password: str, otp_token: str = "", channel: str, remember: bool
) -> ReauthResult:
    """Check the password (through ``authenticate``: axes counts failures and refuses a locked
    account) and, when required, the TOTP code; record the outcome in the audit log. With
    ``remember`` a success is stamped on the session for ``reauth_window()`` seconds."""
    user = request.user
    result = _check(request, user, password, otp_token)
    data = {"ip": _client_ip(request), "channel": channel}
    if result.ok:
        if remember:
            request.session[SESSION_KEY] = {"user": user.pk, "at": int(time.time())}
        audit_append(kind="auth.reauth", actor=user.get_username(), data=data)
    else:
        audit_append(
            kind="auth.reauth_failed",
            actor=user.get_username(),
            data={**data, "reason": result.reason},
        )
    return result


def _check(request: HttpRequest, user, password: str, otp_token: str) -> ReauthResult:
    wait = login_delay_remaining(user.get_username())
    if wait:  # the username-wide delay after failures, as on the login page
        return ReauthResult(False, delay_message(wait), "delayed")
    # ``reauth`` marks the attempt for the audit feed (recorded here, with its reason, rather
    # than as a failed login); axes and the backends ignore the extra credential.
    found = authenticate(request, username=user.get_username(), password=password, reauth=True)
    if getattr(request, "axes_locked_out", False):
        return ReauthResult(False, "尝试次数过多，账号已暂时锁定，请稍后再试。", "locked")
    if found is None or found.pk != user.pk:
        return ReauthResult(False, "密码不正确，请重新输入（密码区分大小写）。", "password")
    if reauth_needs_otp(user):
        device = confirmed_device(user)
        token = "".join((otp_token or "").split())
        if device is None or not token.isdigit() or not device.verify_token(token):
            return ReauthResult(
                False, "动态口令不正确或已过期，请输入验证器上当前显示的 6 位数字。", "otp"
            )
    return ReauthResult(True)


# --- pages ---------------------------------------------------------------------------------


def reauth_url(next_url: str) -> str:
    return f"{reverse('accounts:reauth')}?{urlencode({'next': next_url})}"


def reauth_redirect(
    request: HttpRequest, *, action: str, back: str = "", show: Mapping[str, str] | None = None
) -> HttpResponse:
    """Send the user to the re-authentication page, then to ``back`` (the page the act starts
    from; for a GET, the page itself). A POST's fields are kept for the "continue" page;
    ``show`` names the fields (name -> label) that page lists so the user sees what is sent."""
    back = back or (request.get_full_path() if request.method == "GET" else "/")
    if request.method == "POST":
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_KEPT
            for value in values
        ]
        request.session[PENDING_KEY] = {
            "url": request.path,
            "action": action,
            "fields": fields,
            "show": [(show[name], value) for name, value in fields if name in (show or {})],
            "had_files": bool(request.FILES),
            "back": back,
            "at": int(time.time()),
        }
    messages.info(request, f"“{action}”前需要验证身份：请再次输入密码。")
    return redirect(reauth_url(back))


def reauth_pending_take(request: HttpRequest) -> dict | None:
    """The submission the re-authentication interrupted, once (and only while fresh)."""
    pending = request.session.pop(PENDING_KEY, None)
    if not pending or time.time() - pending.get("at", 0) > reauth_window():
        return None
    return pending


def recent_auth_required(
    action: str,
    *,
    back: Callable[..., str] | None = None,
    show: Mapping[str, str] | None = None,
):
    """View decorator: without a recent re-authentication, go through the re-auth page first.

    ``back(request, *args, **kwargs)`` gives the page to return to (a POST-only view's form
    page). Put it inside the role/permission decorators so a refused role is told why, not
    asked for a password.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not reauth_is_recent(request):
                target = back(request, *args, **kwargs) if back else ""
                return reauth_redirect(request, action=action, back=target, show=show)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- API -----------------------------------------------------------------------------------


class RecentAuthRequired(BasePermission):
    """A session re-authenticated within the window, or the password (and TOTP code) in the
    request headers; otherwise 403 ``{"errors": {"detail": ..., "code": "reauth_required"}}``
    (``reauth_failed`` when the headers were wrong)."""

    def has_permission(self, request, view) -> bool:
        django_request = request._request
        password = request.headers.get(PASSWORD_HEADER)
        if password is None:
            if reauth_is_recent(django_request):
                return True
            self.message = {
                "detail": (
                    f"此操作需要重新验证身份：请在请求头 {PASSWORD_HEADER} 中提供当前用户的密码"
                    f"（工作人员启用动态口令时，另在 {OTP_HEADER} 中提供动态口令），"
                    f"或先在网页 {reverse('accounts:reauth')} 验证（{reauth_window() // 60} 分钟内有效）。"
                ),
                "code": "reauth_required",
            }
            return False
        result = reauth_confirm(
            request=django_request,
            password=password,
            otp_token=request.headers.get(OTP_HEADER, ""),
            channel="api",
            remember=False,  # stateless: a token client proves it on each sensitive request
        )
        if not result.ok:
            self.message = {"detail": result.error, "code": "reauth_failed"}
        return result.ok


REAUTH_HEADERS = [
    OpenApiParameter(
        PASSWORD_HEADER,
        str,
        OpenApiParameter.HEADER,
        description="当前用户的密码（未在网页上重新验证身份时必填；仅用于本次请求）。",
    ),
    OpenApiParameter(
        OTP_HEADER,
        str,
        OpenApiParameter.HEADER,
        description="动态口令（启用工作人员二次验证时必填）。",
    ),
]
REAUTH_403 = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="未重新验证身份（errors.code = reauth_required）、密码或动态口令不正确"
    "（reauth_failed），或无权操作。",
)
