"""Two tabs submit the rating of one case at the same moment: one rating, one refusal
("只能评价一次"), one event (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.models import ApplicationEvent, ServiceRating
from applications.ratings import application_rate
from applications.workflow import Status
from policies.loading import policy_library_load
from portal.accounts.models import Role
from portal.core.errors import DomainError
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseMemberFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="row locks between concurrent transactions are tested on PostgreSQL; SQLite "
        "serialises writers, so the race cannot happen there",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_ratings_at_once_keep_one():
    policy_library_load()
    user = UserFactory(username="rate_race", role=Role.ENTERPRISE)
    app = ApplicationFactory(status=Status.PAID, submitted_at=timezone.now())
    EnterpriseMemberFactory(enterprise=app.enterprise, user=user)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def rate(level: int):
        try:
            barrier.wait()
            outcomes.append(application_rate(application=app, user=user, level=level, comment="好"))
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(level,)) for level in (5, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(isinstance(o, ServiceRating) for o in outcomes) == [False, True], outcomes
    assert any(isinstance(o, str) and "只能评价一次" in o for o in outcomes), outcomes
    assert ServiceRating.objects.filter(application=app).count() == 1
    assert ApplicationEvent.objects.filter(application=app, action="rated").count() == 1
