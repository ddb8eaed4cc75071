import pytest

from applications.models import Application
from applications.workflow import Status
from demo.cases import demo_cases_load
from demo.enterprises import demo_enterprises_load
from demo.services import demo_users_load, demo_windows_open
from policies.loading import policy_library_load

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_the_review_states_and_load_twice():
    policy_library_load()
    demo_users_load()
    demo_enterprises_load()
    demo_windows_open()
    assert len(demo_cases_load()) == 7
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            Status.DISTRICT_REVIEW,
            Status.RETURNED,
            Status.CITY_REVIEW,
            Status.APPROVED,
            Status.IN_NOTICE,
            Status.IN_NOTICE,  # its notice ended yesterday: to close from the notices page
            Status.DETERMINED,
        ]
    )
    returned = Application.objects.get(status=Status.RETURNED)
    assert returned.corrections.count() == 2
    assert demo_cases_load() == []
    assert Application.objects.count() == 7
