"""DRF throttles counted in the shared cache (all processes), by the client's real address
(``REST_FRAMEWORK["NUM_PROXIES"]`` from ``PORTAL_NUM_PROXIES``), and usable from a plain
Django view (the web registration form is throttled like the API's)."""

from __future__ import annotations

from types import SimpleNamespace

from rest_framework.throttling import ScopedRateThrottle

from portal.core.cache import shared_cache


class SharedScopedRateThrottle(ScopedRateThrottle):
    @property
    def cache(self):
        return shared_cache()


def throttle_wait(request, scope: str) -> int | None:
    """For a Django view: None when ``request`` may go on, else the seconds to wait (the same
    counter as the API views with this ``throttle_scope``)."""
    throttle = SharedScopedRateThrottle()
    if throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        return None
    return max(1, int(throttle.wait() or 1))
