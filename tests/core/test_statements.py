"""Kept statements (portal.core.statements): the queryset's rows, read afresh, compiled once."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, Q, Value, When
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from applications.workflow import Status
from portal.core import statements
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.usefixtures("library")


def _values():
    """Dates, a boolean expression, an integer COALESCE, a CASE: every kind of converter."""
    return (
        Application.objects.annotate(
            amount=Coalesce("approved_amount_fen", "estimated_amount_fen"),
            late=ExpressionWrapper(Q(due_on__lt=dt.date(2023, 3, 1)), output_field=BooleanField()),
            mark=Case(
                When(status=Status.DISTRICT_REVIEW, then=Value("待审")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .values("id", "due_on", "submitted_at", "amount", "late", "mark", "enterprise__name")
        .order_by("id")
    )


class Builds:
    """``build`` for ``kept_rows`` that counts its calls."""

    def __init__(self, make=_values):
        self.make, self.calls = make, 0

    def __call__(self):
        self.calls += 1
        return self.make()


def test_kept_rows_are_the_querysets_rows_compiled_once_and_read_each_time():
    ApplicationFactory(status=Status.DISTRICT_REVIEW, due_on=dt.date(2023, 2, 1))
    changed = ApplicationFactory(
        status=Status.CITY_REVIEW, due_on=dt.date(2023, 4, 1), approved_amount_fen=123_456_789
    )
    build = Builds()
    assert statements.kept_rows("k", build) == list(_values())
    assert [r["late"] for r in list(_values())] == [True, False]
    assert isinstance(statements.kept_rows("k", build)[0]["due_on"], dt.date)

    Application.objects.filter(pk=changed.pk).update(
        status=Status.DISTRICT_REVIEW, approved_amount_fen=None, estimated_amount_fen=7
    )
    with CaptureQueriesContext(connection) as ctx:
        rows = statements.kept_rows("k", build)
    assert rows == list(_values())
    assert rows[1]["amount"] == 7 and rows[1]["mark"] == "待审"
    assert build.calls == 1
    assert len(ctx.captured_queries) == 1


def test_a_statement_is_compiled_again_after_a_minute(monkeypatch):
    ApplicationFactory()
    build = Builds()
    now = statements.time.monotonic()
    statements.kept_rows("k", build)
    monkeypatch.setattr(statements.time, "monotonic", lambda: now + statements.KEPT_SECONDS + 1)
    statements.kept_rows("k", build)
    statements.kept_rows("other key", build)
    assert build.calls == 3


def test_a_filter_that_matches_nothing_sends_no_query():
    ApplicationFactory()
    build = Builds(lambda: Application.objects.filter(id__in=[]).values("id"))
    with CaptureQueriesContext(connection) as ctx:
        assert statements.kept_rows("empty", build) == []
        assert statements.kept_rows("empty", build) == []
    assert ctx.captured_queries == [] and build.calls == 1


def test_the_least_recently_used_statements_go_first(monkeypatch):
    monkeypatch.setattr(statements, "KEPT_MAX", 2)
    build = Builds(lambda: Application.objects.values("id"))
    for key in ("a", "b", "a", "c"):
        statements.kept_rows(key, build)
    assert list(statements._kept) == ["a", "c"]
    assert build.calls == 3
