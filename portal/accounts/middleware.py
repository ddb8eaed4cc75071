"""等保: a password older than the profile's maximum age must be changed before anything else."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
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
