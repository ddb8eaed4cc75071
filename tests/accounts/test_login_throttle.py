"""Issue 17 item 6: failed logins slow the username down (a growing delay, any address) instead
of locking it for everyone; the lock is keyed on the real client behind the proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts import login_delay

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The delay's clock, moved by hand."""
    state = {"now": 1_800_000_000.0}
    monkeypatch.setattr(login_delay, "now", lambda: state["now"])
    return state


def login(client: Client, username: str, password: str, address: str = ""):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, headers=headers
    )


def test_failures_grow_a_delay_that_the_real_user_waits_out(
    client, enterprise_user, password, clock
):
    name = enterprise_user.username
    for _ in range(3):
        assert "用户名或密码不正确" in login(client, name, "wrong").content.decode()
    # the fourth try comes too soon: refused without checking the password
    early = login(client, name, password)
    assert early.status_code == 200 and "请 1 秒后再试" in early.content.decode()
    assert "_auth_user_id" not in client.session
    from portal.core.models import AuditRecord

    assert AuditRecord.objects.get(kind="auth.login_delayed").data["wait"] == 1
    clock["now"] += 1
    login(client, name, "wrong")  # a fourth failure: now 2 seconds
    clock["now"] += 1
    assert "请 1 秒后再试" in login(client, name, password).content.decode()
    clock["now"] += 1
    assert login(client, name, password).status_code == 302  # waited: in, and forgotten
    assert login_delay.login_delay_remaining(name) == 0


def test_delay_is_capped_and_the_same_for_unknown_names(clock, settings):
    for _ in range(40):
        login_delay.login_failure_record("nobody-here")
    assert (
        login_delay.login_delay_remaining("nobody-here") == settings.PORTAL_LOGIN_DELAY_MAX_SECONDS
    )
    assert (
        login_delay.login_delay_remaining("NOBODY-here") == settings.PORTAL_LOGIN_DELAY_MAX_SECONDS
    )


def test_behind_the_proxy_a_strangers_failures_do_not_lock_the_real_user(
    settings, enterprise_user, password, clock
):
    settings.PORTAL_NUM_PROXIES = 1
    settings.PORTAL_LOGIN_DELAY_AFTER = 1000  # the per-address lock on its own
    name = enterprise_user.username
    attacker, user = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.1")  # the proxy
    for _ in range(12):
        login(attacker, name, "wrong", address="203.0.113.7")
    assert login(attacker, name, password, address="203.0.113.7").status_code == 429
    # a forged left-most entry does not help the attacker either
    assert login(attacker, name, password, address="198.51.100.9, 203.0.113.7").status_code == 429
    assert login(user, name, password, address="198.51.100.9").status_code == 302


def test_the_audit_log_and_drf_see_the_real_client(settings, enterprise_user, password):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    from portal.core.models import AuditRecord

    settings.PORTAL_NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = Client(REMOTE_ADDR="10.0.0.1")
    login(client, enterprise_user.username, password, address="1.2.3.4, 198.51.100.9")
    assert AuditRecord.objects.get(kind="auth.login").data["ip"] == "198.51.100.9"
    assert api_settings.NUM_PROXIES == 1
    from django.test import RequestFactory

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.9"}
    )
    throttle = type("T", (SimpleRateThrottle,), {"rate": "1/s"})()
    assert throttle.get_ident(request) == "198.51.100.9"


def test_num_proxies_comes_from_the_environment():
    from tests.core.test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.PORTAL_NUM_PROXIES, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE)",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        PORTAL_NUM_PROXIES="2",
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "2",
        "2",
        "portal.core.net.client_ip",
    ], result.stderr


def test_shared_cache_answers_like_an_empty_cache_while_redis_is_down():
    import time

    from portal.core.cache import TolerantRedisCache

    down = TolerantRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens there
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    started = time.monotonic()
    assert down.get("k", "fallback") == "fallback"
    assert down.get_many(["a", "b"]) == {}
    assert down.add("k", 1) is False
    down.set("k", 1)
    assert down.incr("k") == 0
    down.delete_many(["a"])
    assert time.monotonic() - started < 5


def test_login_still_works_with_the_shared_cache_down(settings, client, enterprise_user, password):
    from django.core.cache import caches

    from portal.core.cache import TolerantRedisCache

    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "portal.core.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    assert isinstance(caches["shared"], TolerantRedisCache)  # rebuilt from the new settings
    assert login(client, enterprise_user.username, "wrong").status_code == 200
    assert login(client, enterprise_user.username, password).status_code == 302
