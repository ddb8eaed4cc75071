"""The client's address, behind the production reverse proxy.

Behind a proxy every request's ``REMOTE_ADDR`` is the proxy's own address, so whatever is
keyed on it (the login lockout, throttles, the audit's ``ip``) would treat every client as one.
``PORTAL_NUM_PROXIES`` (environment, default 0) says how many proxies we run in front of the
application; the client is then the address that many entries from the right of
``X-Forwarded-For`` (each proxy appends the address it received from). Entries further left
were written by the client and are not trusted. The same rule as DRF's ``NUM_PROXIES``, which
the settings set from the same variable.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "PORTAL_NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
