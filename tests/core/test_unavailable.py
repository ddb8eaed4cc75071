"""A database that is down gives a Chinese "please retry" (503), JSON under /api/, wherever the
error is raised: in a view, or in a middleware loading the session. Other errors stay 500.
(The same against a real PostgreSQL restart: tests/faults/test_postgres_restart.py.)"""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

RETRY = "服务暂时不可用，请稍后重试"


@pytest.fixture
def client_in(enterprise_user):
    client = Client(raise_request_exception=False)
    client.force_login(enterprise_user)
    return client


def down(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def test_a_view_losing_the_database_says_retry(client_in, monkeypatch):
    monkeypatch.setattr("dashboards.views.entries_for", down)
    response = client_in.get("/")
    assert response.status_code == 503
    assert RETRY in response.content.decode()
    assert response["Retry-After"]


def test_a_middleware_losing_the_database_says_retry(client_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", down)
    page = client_in.get("/applications/")
    assert page.status_code == 503 and RETRY in page.content.decode()
    api = client_in.get("/api/v1/applications/")
    assert api.status_code == 503
    assert api.json() == {"errors": {"detail": "服务暂时不可用，请稍后重试。"}}


def test_a_dropped_connection_is_the_same(client_in, monkeypatch):
    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", dropped)
    assert client_in.get("/api/v1/applications/").status_code == 503


def test_the_503_is_logged_without_personal_data(client_in, monkeypatch, caplog):
    monkeypatch.setattr("dashboards.views.entries_for", down)
    client_in.get("/?name=张三")
    logged = [r.getMessage() for r in caplog.records if r.name == "portal.core.views"]
    assert logged == ["database unavailable: GET / (OperationalError)"]


def test_other_errors_stay_500(client_in, monkeypatch):
    def bug(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("dashboards.views.entries_for", bug)
    response = client_in.get("/")
    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()
