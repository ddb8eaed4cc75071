"""Objections at once (PostgreSQL): one account's limit holds across parallel requests, and two
reviewers triaging the same objection cannot both decide it."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from applications.models import Application
from applications.workflow import Status
from policies.loading import policy_library_load
from portal.accounts.models import Role
from portal.core.errors import DomainError
from reviews import services
from reviews.models import Objection
from tests.factories.accounts import UserFactory
from tests.factories.applications import DISTRICT_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import approved_case

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks (select_for_update) between concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]
TEXT = {"name": "张经理", "contact": "13900000000", "text": "该项目尚未开工"}


@pytest.fixture
def notice(transactional_db, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    policy_library_load()
    clause = open_window(DISTRICT_CLAUSE)
    district = UserFactory(role=Role.DISTRICT_REVIEWER, district_code="jinshui")
    city = UserFactory(username="city0", role=Role.CITY_REVIEWER)
    cases = [
        approved_case(enterprise_with_user().members.get().user, clause, district, city)
        for _ in range(3)
    ]
    return services.notice_batch_create(user=city, application_ids=[c.pk for c in cases])


def _at_once(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_objections_at_once(notice, settings):
    """One test: a second transactional test in a file finds the districts flushed (the
    serialized rollback does not restore them here; tests/enterprises/test_concurrency.py's
    second test fails the same way on PostgreSQL)."""
    _one_account_objecting_in_parallel_stays_within_its_limit(notice, settings)
    _two_reviewers_triage_the_same_objection_once(notice)


def _one_account_objecting_in_parallel_stays_within_its_limit(notice, settings):
    settings.PORTAL_OBJECTIONS_PER_DAY = 2
    objector = enterprise_with_user(district_code="erqi").members.get().user
    entries = list(notice.entries.order_by("id"))
    outcomes = _at_once(
        [lambda e=e: services.objection_file(user=objector, entry_id=e.pk, **TEXT) for e in entries]
    )
    assert outcomes.count("ok") == 2, outcomes
    assert Objection.objects.filter(user=objector).count() == 2


def _two_reviewers_triage_the_same_objection_once(notice):
    objector = enterprise_with_user(district_code="erqi").members.get().user
    entry = notice.entries.order_by("id").last()
    objection = services.objection_file(user=objector, entry_id=entry.pk, **TEXT)
    first = UserFactory(username="city0")
    second = UserFactory(username="city1", role=Role.CITY_REVIEWER)
    outcomes = _at_once(
        [
            lambda: services.objection_accept(
                objection_id=objection.pk, user=first, reason="核查属实"
            ),
            lambda: services.objection_dismiss(
                objection_id=objection.pk, user=second, reason="经核实已开工"
            ),
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    objection.refresh_from_db()
    case = Application.objects.get(pk=entry.application_id)
    if objection.status == Objection.Status.ACCEPTED:
        assert case.status == Status.CITY_REVIEW
    else:
        assert objection.status == Objection.Status.DISMISSED
        assert case.status == Status.IN_NOTICE
