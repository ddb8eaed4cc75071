"""Workers refreshing cases of one enterprise at the same moment: the enterprise's month pairs
end up as a rebuild computes them, because its ``FiledEnterprise`` row serializes them
(PostgreSQL; SQLite serializes every writer anyway)."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.workflow import Status
from policies.loading import policy_library_load
from policies.models import Clause
from portal.dashboards.projection import case_fact_refresh, summary_rebuild
from tests.dashboards.test_figures import maintained
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks between concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def refresh_all_at_once(ids: list[int]) -> None:
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def work(pk: int) -> None:
        try:
            barrier.wait(timeout=30)
            case_fact_refresh(application_id=pk)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(pk,)) for pk in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def test_cases_of_one_enterprise_filed_at_once_count_it_once():
    policy_library_load()
    enterprise = EnterpriseFactory(district_code="jinshui")
    clauses = list(Clause.objects.order_by("pk")[:8])
    now = timezone.now()
    months_ago = [0, 1, 0, 1, 2, 5, 3, 4]  # two months first, then four new ones at once
    cases = [
        ApplicationFactory(
            enterprise=enterprise,
            clause=clause,
            status=Status.DISTRICT_REVIEW,
            submitted_at=now - dt.timedelta(days=31 * ago),
        )
        for ago, clause in zip(months_ago, clauses, strict=True)
    ]
    refresh_all_at_once([c.pk for c in cases[:4]])  # the enterprise's first cases
    refresh_all_at_once([c.pk for c in cases[4:]])  # new months, once its row exists
    incremental = maintained()
    summary_rebuild()
    assert maintained() == incremental
    # the enterprise's first month, counted once city-wide and once in its district
    firsts = {p for p in incremental["pairs"] if p[3] == dt.date(1970, 1, 1)}
    assert {(p[0], p[4]) for p in firsts} == {("city", 1), ("district", 1)}
