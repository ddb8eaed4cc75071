"""The cached reference data: what the filter and the case list show, and the amber dates,
equal to reading each table (and the kernel's ``add_workdays``) directly."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.reference import (
    PAY_SOON_WORKDAYS,
    REVIEW_SOON_WORKDAYS,
    choices,
    soon_dates,
)
from policies.models import Clause, Policy
from portal.accounts.models import District
from portal.core.models import WorkdayOverride
from portal.core.workdays import add_workdays

pytestmark = pytest.mark.usefixtures("library")


def test_reference_data_equals_the_tables_in_two_queries():
    District.objects.filter(code="erqi").update(active=False)
    with CaptureQueriesContext(connection) as ctx:
        ref = choices(dt.date(2026, 3, 2))
    assert len(ctx.captured_queries) == 2
    assert ref.policies == list(
        Policy.objects.order_by("code").values("id", "code", "doc_number", "title")
    )
    active = District.objects.filter(active=True).order_by("sort_order", "code")
    assert ref.districts == list(active.values("id", "code", "name"))
    assert ref.district_names == dict(District.objects.values_list("id", "name"))
    assert "二七区" in ref.district_names.values()
    assert ref.clauses == {
        c.pk: (c.policy.doc_number, c.article) for c in Clause.objects.select_related("policy")
    }
    with CaptureQueriesContext(connection) as ctx:
        assert choices(dt.date(2026, 3, 2)) == ref
    assert ctx.captured_queries == []


def test_amber_dates_equal_add_workdays_around_holidays_and_overrides():
    WorkdayOverride.objects.create(day=dt.date(2026, 3, 7), is_workday=True, note="调休")
    WorkdayOverride.objects.create(day=dt.date(2026, 3, 10), is_workday=False, note="停电")
    start = dt.date(2025, 9, 20)  # through 国庆, 元旦, 春节 and the overrides
    for offset in range(200):
        today = start + dt.timedelta(days=offset)
        assert soon_dates(today) == {
            "review": add_workdays(today, REVIEW_SOON_WORKDAYS),
            "pay": add_workdays(today, PAY_SOON_WORKDAYS),
        }, today
