"""Fixtures shared by every test: one per role, and a header saying what the suite runs on."""

from __future__ import annotations

import sqlite3

import pytest
from django.conf import settings

from portal.accounts.models import Role
from tests.factories.accounts import UserFactory

PASSWORD = "Test@12345!"


def pytest_report_header(config) -> list[str]:
    from django.db import connection

    vendor = connection.vendor
    if vendor == "sqlite":
        version = sqlite3.sqlite_version
    else:
        from pytest_django.plugin import blocking_manager_key

        try:
            # the server itself, before the test database exists; pytest-django blocks
            # database access outside tests, so unblock it for this one query
            with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
                cursor.execute("SELECT version()")
                version = cursor.fetchone()[0]
        except Exception as exc:  # the header must not hide the real failure that follows
            version = f"unreachable: {exc}"
    broker = settings.CELERY_BROKER_URL
    eager = " (eager: tasks run in-process)" if settings.CELERY_TASK_ALWAYS_EAGER else ""
    return [f"database: {vendor} {version}", f"celery broker: {broker}{eager}"]


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """Every transactional test (threads, live server, real workers) restores the database's
    initial rows after its flush: the districts come from a data migration, and a flush
    without this would leave the tests after it with none (and recreate content types under
    new ids). pytest-django applies it to transactional tests only."""
    return True


def pytest_configure(config) -> None:
    _flush_past_append_only_triggers()


def _flush_past_append_only_triggers() -> None:
    """The audit and event tables refuse TRUNCATE on PostgreSQL (portal/core/audit.py), and a
    transactional test's teardown empties every table with one; the test database's owner lets
    its own flush through by switching triggers off for that transaction only."""
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush
    if getattr(original, "past_triggers", False):
        return

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            original(self, sql_list)

    execute_sql_flush.past_triggers = True
    DatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Reference data (queue and dashboard names, ids) and compiled statements are kept per
    process; ids differ from test to test (a transactional test's flush renumbers them), so
    every test starts empty."""
    from django.core.cache import cache, caches

    from policies.definitions import definitions_forget
    from portal.core import statements
    from reviews.selectors import forget_queues

    cache.clear()
    caches["shared"].clear()
    forget_queues()
    statements.forget()
    definitions_forget()  # clauses defined in the database of an earlier test
    yield
    cache.clear()
    caches["shared"].clear()
    forget_queues()
    statements.forget()
    definitions_forget()


@pytest.fixture
def real_broker(settings):
    """Send tasks to the real broker (REDIS_URL) instead of running them in-process; skips
    with the reason when there is no broker. Worker processes a test starts need the
    environment ``real_worker_env()``."""
    from celery import current_app

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no real broker")
    current_app.conf.task_always_eager = False
    yield
    current_app.conf.task_always_eager = True


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def reauth():
    """``reauth(client)``: re-authenticate a logged-in client through the real re-auth page
    (needed before marking paid or publishing a rule)."""
    from tests.reauth import reauthenticate

    return reauthenticate


@pytest.fixture
def enterprise_user(db):
    return UserFactory(username="ent_user", role=Role.ENTERPRISE)


@pytest.fixture
def district_reviewer(db):
    return UserFactory(username="jinshui_rev", role=Role.DISTRICT_REVIEWER, district_code="jinshui")


@pytest.fixture
def other_district_reviewer(db):
    return UserFactory(username="erqi_rev", role=Role.DISTRICT_REVIEWER, district_code="erqi")


@pytest.fixture
def city_reviewer(db):
    return UserFactory(username="city_rev", role=Role.CITY_REVIEWER)


@pytest.fixture
def city_finance(db):
    return UserFactory(username="city_fin", role=Role.FINANCE)


@pytest.fixture
def district_finance(db):
    return UserFactory(username="jinshui_fin", role=Role.FINANCE, district_code="jinshui")


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=Role.LEADER)


@pytest.fixture
def policy_admin(db):
    return UserFactory(username="policy_admin", role=Role.POLICY_ADMIN)


@pytest.fixture
def sys_admin(db):
    return UserFactory(username="sysadmin", role=Role.SYS_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def library(db):
    """The whole policy library, loaded from policies/data as `make run` does."""
    from policies.loading import policy_library_load

    return policy_library_load()
