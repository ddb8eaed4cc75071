"""Staff second factor: set up a TOTP authenticator once, then enter its code at each login.

Set-up (issue 17): the secret shown belongs to the session that opened the set-up page, not
to the account. Each session gets a fresh secret (an unconfirmed device whose id is kept in
that session); a code is checked only against this session's device, and when one session
enrols, the other sessions' unconfirmed devices are deleted, so a secret seen elsewhere (say by
someone who had the password) can never pass. Enrolment and every wrong code are audited.
"""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.audit import audit_append
from portal.core.net import client_ip

DEVICE_NAME = "手机动态口令"
SETUP_KEY = "_otp_setup"  # the session's own set-up: {"user": pk, "device": pk}


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _session_device(request) -> TOTPDevice | None:
    setup = request.session.get(SETUP_KEY) or {}
    if setup.get("user") != request.user.pk:
        return None
    return TOTPDevice.objects.filter(
        pk=setup.get("device"), user=request.user, confirmed=False
    ).first()


def setup_device(request) -> TOTPDevice:
    """This session's unconfirmed device: a fresh secret the first time the session opens the
    set-up page, the same one when it reloads it; never a secret another session saw."""
    device = _session_device(request)
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
        request.session[SETUP_KEY] = {"user": request.user.pk, "device": device.pk}
    return device


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four, for typing into an authenticator app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def otp_check(request, token: str) -> bool:
    """Verify ``token`` against the user's device (or, before enrolment, this session's set-up
    device, which it then confirms); marks the session. Failures are audited."""
    user = request.user
    token = "".join(token.split())
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = _session_device(request)
    if device is None or not token.isdigit() or not device.verify_token(token):
        _audit(request, "auth.otp_failed", device, enrolling=enrolling)
        return False
    if enrolling and not _enrol(user, device):
        _audit(request, "auth.otp_failed", device, enrolling=enrolling, reason="enrolled_elsewhere")
        return False
    if enrolling:
        request.session.pop(SETUP_KEY, None)
        _audit(request, "auth.otp_enrolled", device)
    otp_login(request, device)
    return True


@transaction.atomic
def _enrol(user, device: TOTPDevice) -> bool:
    """Confirm ``device`` unless another session enrolled first; drop every other set-up."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one at a time
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    return True


def _audit(request, kind: str, device: TOTPDevice | None, **extra) -> None:
    audit_append(
        kind=kind,
        actor=request.user.get_username(),
        object_ref=f"otp_totp.TOTPDevice:{device.pk}" if device else "",
        object_id=device.pk if device else None,
        data={"ip": client_ip(request), "device": device.pk if device else None, **extra},
    )
