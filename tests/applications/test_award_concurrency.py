"""Two requests claiming one award at the same moment under different periods: the database's
unique constraint (enterprise, clause, award key) lets exactly one through (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from applications import selectors, services
from applications.models import Application
from policies.loading import policy_library_load
from portal.core.errors import DomainError
from tests.factories.applications import CITY_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="concurrent inserts against the unique constraint are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_same_award_claimed_twice_at_once_one_wins(monkeypatch):
    policy_library_load()
    clause = open_window(CITY_CLAUSE)
    user = enterprise_with_user(district_code="jinshui").members.get().user
    barrier = threading.Barrier(2)
    seen = threading.local()
    real = selectors.duplicate_of

    def both_see_none(application):
        found = real(application)
        if not getattr(seen, "waited", False):  # both checks pass before either inserts
            seen.waited = True
            barrier.wait()
        return found

    monkeypatch.setattr(selectors, "duplicate_of", both_see_none)
    outcomes: list[str] = []

    def create(period):
        try:
            services.application_create_draft(user=user, clause=clause, period=period, facts={})
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(p,)) for p in ("2023", "2023H1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == 1 and len(outcomes) == 2, outcomes
    assert "不能重复申报" in next(o for o in outcomes if o != "ok")
    assert Application.objects.filter(clause=clause).count() == 1
