"""Due dates count Chinese working days (2023 Spring Festival: 01-21..27 off, 01-28/29 worked)."""

import datetime as dt

import pytest

from applications.deadlines import due_on_for, step_days
from applications.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "status", "due"),
    [
        # Friday 2023-01-20, then the holiday 01-21..27; Sat 01-28 and Sun 01-29 are worked
        (dt.date(2023, 1, 20), Status.DISTRICT_REVIEW, dt.date(2023, 2, 1)),
        (dt.date(2023, 1, 19), Status.DISTRICT_REVIEW, dt.date(2023, 1, 31)),
        (dt.date(2023, 1, 20), Status.CITY_REVIEW, dt.date(2023, 2, 8)),
        (dt.date(2023, 1, 20), Status.RETURNED, dt.date(2023, 2, 8)),
        (dt.date(2023, 1, 20), Status.IN_NOTICE, dt.date(2023, 2, 1)),
        (dt.date(2023, 1, 20), Status.APPROVED, None),
    ],
)
def test_due_dates_across_the_2023_spring_festival(start, status, due):
    assert due_on_for(status, start=start) == due


def test_deadlines_come_from_settings_with_a_per_policy_override(settings, library):
    from policies.models import Clause

    clause = Clause.objects.get(code="zzw-2022-155/5")
    settings.PORTAL_REVIEW_DEADLINES = {
        "city_review": 7,
        "by_policy": {"zzw-2022-155": {"city_review": 3}},
    }
    assert step_days("city_review") == 7
    assert step_days("city_review", clause) == 3
    assert step_days("district_review", clause) == 5
