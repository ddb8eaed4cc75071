"""Two reviewers approving the same case at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from applications import services
from applications.models import Application, ApplicationEvent
from applications.workflow import Action, Status
from policies.loading import policy_library_load
from portal.accounts.models import Role
from portal.core.errors import DomainError
from tests.factories.accounts import UserFactory
from tests.factories.applications import DISTRICT_CLAUSE, ApplicationFactory, open_window
from tests.factories.enterprises import enterprise_with_user

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks (select_for_update) between concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_reviewers_approve_at_once_one_wins():
    policy_library_load()
    enterprise = enterprise_with_user(district_code="jinshui")
    case = ApplicationFactory(
        enterprise=enterprise, clause=open_window(DISTRICT_CLAUSE), status=Status.CITY_REVIEW
    )
    reviewers = [UserFactory(username=f"city{i}", role=Role.CITY_REVIEWER) for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            stale = Application.objects.get(pk=case.pk)  # what each reviewer saw on the page
            barrier.wait()
            services.application_transition(
                application=stale, user=user, action=Action.CITY_APPROVE
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == 1 and len(outcomes) == 2, outcomes
    assert "该案件已由" in next(o for o in outcomes if o != "ok")
    assert (
        ApplicationEvent.objects.filter(application=case, action=Action.CITY_APPROVE).count() == 1
    )
    assert Application.objects.get(pk=case.pk).status == Status.APPROVED
