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


def test_the_demo_proposal_waits_for_qiye_on_its_home(client):
    from django.urls import reverse

    from applications.models import Notification
    from demo.cases import demo_proposal_load
    from portal.accounts.models import User

    policy_library_load()
    demo_users_load()
    demo_enterprises_load()
    proposal = demo_proposal_load()
    assert proposal.status == Status.PROPOSED and proposal.clause.code == "zzw-2022-155/1"
    assert proposal.estimated_amount_fen == 20_000_000  # 200,000.00 元 from qiye's own figures
    assert Notification.objects.filter(user__username="qiye", application=proposal).exists()
    assert demo_proposal_load() is None
    client.force_login(User.objects.get(username="qiye"))
    shown = {f.label: f.count for f in client.get(reverse("home")).context["bench"].figures}
    assert shown["免申即享待确认"] == 1
