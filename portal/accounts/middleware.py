"""等保: a password older than the profile's maximum age must be changed before anything else."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/health/")


class PasswordAgeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        max_age = getattr(settings, "PORTAL_PASSWORD_MAX_AGE_DAYS", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and user.password_expired(max_age)
        ):
            messages.warning(request, f"您的密码已超过 {max_age} 天未修改，请先修改密码。")
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)


OTP_EXEMPT_PREFIXES = ("/accounts/otp/", "/accounts/logout/", "/static/", "/health/")


class StaffSecondFactorMiddleware:
    """Staff sessions must pass a TOTP check (等保 level 3) before any page or session API call.

    Token-authenticated API clients are authenticated by DRF after this middleware; a staff
    member's token is issued only from a session that passed this check, and refused if it
    was not (portal/accounts/tokens.py).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "PORTAL_STAFF_2FA", False)
            and user is not None
            and user.is_authenticated
            and user.is_portal_staff
            and not user.is_verified()
            and not request.path.startswith(OTP_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"errors": {"detail": "请先完成二次验证（动态口令）。"}}, status=403
                )
            return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return self.get_response(request)


SESSION_TOUCHED_KEY = "_idle_touched"
SESSION_TOUCH_EVERY_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Idle timeout without a session write on every request.

    A session expires ``SESSION_COOKIE_AGE`` after it was last saved. Instead of saving it on
    every request (``SESSION_SAVE_EVERY_REQUEST``: one UPDATE per page, API call and poll), an
    active session is re-saved when more than a minute has passed since its last save, so it
    expires between ``SESSION_COOKIE_AGE`` minus a minute and ``SESSION_COOKIE_AGE`` after the
    last request. Placed after ``SessionMiddleware``, which does the saving.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # only a logged-in session that exists: never creates one for an anonymous visitor or
        # from a stale cookie
        if session is not None and session.session_key and session.get(SESSION_KEY):
            now = int(time.time())
            if now - session.get(SESSION_TOUCHED_KEY, 0) >= SESSION_TOUCH_EVERY_SECONDS:
                session[SESSION_TOUCHED_KEY] = now  # modified: SessionMiddleware saves it
        return response
