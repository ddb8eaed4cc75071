"""Re-authenticate a logged-in test client the way a person does: through the re-auth page
with the password (``portal.accounts.reauth``). The session is then stamped for
``PORTAL_REAUTH_SECONDS``, so the sensitive pages (mark paid, publish a rule) let it through."""

from __future__ import annotations

from django.urls import reverse

from portal.accounts.reauth import SESSION_KEY

PASSWORD = "Test@12345!"  # the factories' password (tests/factories/accounts.py)


def reauthenticate(client, password: str = PASSWORD, otp_token: str = "") -> None:
    data = {"password": password, "next": "/"}
    if otp_token:
        data["otp_token"] = otp_token
    response = client.post(reverse("accounts:reauth"), data)
    assert response.status_code in (200, 302), response.status_code
    assert SESSION_KEY in client.session, "the re-authentication was refused"
