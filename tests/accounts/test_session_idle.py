"""The 30-minute idle timeout: an active session is re-saved at most once a minute, an idle one
expires, and a request does not write the session when it was saved less than a minute ago."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_session_is_resaved_only_after_a_minute_and_expires_when_idle(client, leader):
    client.force_login(leader)
    home = reverse("home")
    client.get(home)  # the first request stamps the session
    first = _session(client).expire_date
    with CaptureQueriesContext(connection) as ctx:
        client.get(home)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert _session(client).expire_date == first

    later = timezone.now() + timedelta(seconds=61)
    with (
        mock.patch("portal.accounts.middleware.time.time", return_value=later.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        client.get(home)
    assert _session(client).expire_date >= first + timedelta(seconds=60)

    # idle past the timeout: the stored session has expired and the user is logged out
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
