"""A growing delay after failed logins for one username, from any address (issue 17).

The lock of django-axes is keyed on the username *and* the client's address, so a stranger
failing from elsewhere cannot lock the real user out; this delay is the username-wide brake
instead of a lock: after ``PORTAL_LOGIN_DELAY_AFTER`` failures (default 3) each further try
has to wait 1, 2, 4, ... seconds after the last failure, at most ``PORTAL_LOGIN_DELAY_MAX_SECONDS``
(default 60). Guessing slows down exponentially while the real user waits a minute at worst.
Every name gets the same treatment, existing or not (no way to probe which names exist).
The counters live in the shared cache (Redis with ``REDIS_URL``: all processes count
together) and are forgotten an hour after the last failure or at a successful login.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings

from portal.core.cache import shared_cache

WINDOW_SECONDS = 3600


def now() -> float:
    return time.time()


def _keys(username: str) -> tuple[str, str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{digest}", f"login-last-failure:{digest}"


def delay_for(failures: int) -> int:
    after = int(getattr(settings, "PORTAL_LOGIN_DELAY_AFTER", 3))
    cap = int(getattr(settings, "PORTAL_LOGIN_DELAY_MAX_SECONDS", 60))
    if failures < after:
        return 0
    return min(2 ** min(failures - after, 30), cap)


def login_delay_remaining(username: str) -> int:
    """Seconds this username must still wait before its password is checked again."""
    if not username:
        return 0
    count_key, last_key = _keys(username)
    found = shared_cache().get_many([count_key, last_key])
    wait = delay_for(int(found.get(count_key) or 0))
    if not wait:
        return 0
    remaining = float(found.get(last_key) or 0) + wait - now()
    return max(0, int(remaining + 0.999))


def login_failure_record(username: str) -> None:
    if not username:
        return
    cache = shared_cache()
    count_key, last_key = _keys(username)
    cache.add(count_key, 0, WINDOW_SECONDS)
    try:
        cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, WINDOW_SECONDS)
    cache.touch(count_key, WINDOW_SECONDS)
    cache.set(last_key, now(), WINDOW_SECONDS)


def login_success_record(username: str) -> None:
    shared_cache().delete_many(list(_keys(username)))


def delay_message(seconds: int) -> str:
    return f"该账号近期登录失败次数较多，请 {seconds} 秒后再试（密码区分大小写）。"
