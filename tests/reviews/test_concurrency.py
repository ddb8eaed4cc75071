"""Two city reviewers approve the same case at once: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from applications.models import Application, ApplicationEvent
from applications.workflow import Action, Status
from policies.loading import policy_library_load
from portal.accounts.models import Role
from portal.core.errors import DomainError
from reviews import services
from tests.factories.accounts import UserFactory
from tests.factories.applications import DISTRICT_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import approve, pass_all, submitted_case

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks (select_for_update) between concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_city_reviewers_approve_at_once_one_wins(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    policy_library_load()
    enterprise = enterprise_with_user(district_code="jinshui")
    case = submitted_case(enterprise.members.first().user, open_window(DISTRICT_CLAUSE))
    approve(case, UserFactory(role=Role.DISTRICT_REVIEWER, district_code="jinshui"))
    reviewers = [UserFactory(username=f"city{i}", role=Role.CITY_REVIEWER) for i in range(2)]
    for reviewer in reviewers:
        pass_all(Application.objects.get(pk=case.pk), reviewer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(user):
        try:
            stale = Application.objects.get(pk=case.pk)  # what each reviewer saw on the page
            barrier.wait()
            services.review_approve(application=stale, user=user)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == 1 and len(outcomes) == 2, outcomes
    assert "该案件已由" in next(o for o in outcomes if o != "ok")
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert (
        ApplicationEvent.objects.filter(application=case, action=Action.CITY_APPROVE).count() == 1
    )
