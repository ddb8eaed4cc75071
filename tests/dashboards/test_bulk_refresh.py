"""The bulk refresh (``cases_changed``: one task for a batch of cases written at once) keeps the
projection equal to a rebuild, like the per-case refresh, in a number of statements that does
not grow with the cases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application
from applications.workflow import Status
from dashboards.models import CaseFact
from dashboards.projection import (
    calendar_ensure,
    case_fact_refresh,
    fact_of,
    summary_rebuild,
)
from dashboards.tasks import cases_changed
from tests.dashboards.test_figures import generated, maintained  # noqa: F401 (fixture)
from tests.dashboards.test_projection import buckets, rollups
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.usefixtures("library")


def projection() -> dict:
    facts = {f.application_id: fact_of(f.application_id) for f in CaseFact.objects.all()}
    return {"facts": facts, "buckets": buckets(), "rollups": rollups(), **maintained()}


def test_a_bulk_refresh_from_empty_equals_a_rebuild_in_a_few_statements(generated):  # noqa: F811
    calendar_ensure()  # built once, on the first refresh
    with CaptureQueriesContext(connection) as queries:
        assert cases_changed(generated) == len(generated)
    # per slice of 500 cases, not per case (SQLite inserts the facts 45 rows at a time)
    assert len(queries) < 40 < len(generated)
    incremental = projection()
    assert incremental["buckets"] and incremental["rollups"] and incremental["filed"]
    assert cases_changed(generated) == 0  # a duplicate delivery changes nothing
    summary_rebuild()
    assert projection() == incremental


def test_bulk_moves_equal_a_rebuild_and_the_per_case_refresh(generated):  # noqa: F811
    summary_rebuild()
    cases = list(Application.objects.order_by("pk"))
    other = EnterpriseFactory(district_code="erqi")
    first, second, third, fourth, fifth = cases[:5]
    Application.objects.filter(pk=first.pk).update(enterprise=other, district=other.district)
    Application.objects.filter(pk=second.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=700), enterprise=other
    )
    Application.objects.filter(pk=third.pk).update(status=Status.DRAFT)
    Application.objects.filter(pk=fourth.pk).update(status=Status.WITHDRAWN)
    Application.objects.filter(pk=fifth.pk).update(district=other.district)
    moved = [c.pk for c in (first, second, third, fourth, fifth)]
    # untouched cases in the batch change nothing; the moved ones are applied together
    assert cases_changed([*moved, *(c.pk for c in cases[5:40])]) == len(moved)
    incremental = projection()
    for pk in moved:  # the per-case refresh agrees
        assert case_fact_refresh(application_id=pk) is False
    summary_rebuild()
    assert projection() == incremental
