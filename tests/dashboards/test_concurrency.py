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
from dashboards.projection import case_fact_refresh, summary_rebuild
from policies.loading import policy_library_load
from policies.models import Clause
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


def test_bulk_and_per_case_refreshes_of_the_same_cases_at_once_equal_a_rebuild():
    from dashboards.projection import case_facts_refresh
    from portal.accounts.models import District
    from tests.dashboards.test_projection import buckets, rollups

    policy_library_load()
    for code, name in (("jinshui", "金水区"), ("erqi", "二七区")):  # after another test's flush
        District.objects.get_or_create(code=code, defaults={"name": name, "kind": "district"})
    enterprises = [EnterpriseFactory(district_code=c) for c in ("jinshui", "erqi", "jinshui")]
    clauses = list(Clause.objects.order_by("pk")[:4])
    now = timezone.now()
    ids = [
        ApplicationFactory(
            enterprise=enterprise,
            clause=clause,
            status=Status.PROPOSED if n % 2 else Status.DISTRICT_REVIEW,
            submitted_at=now - dt.timedelta(days=31 * n),
        ).pk
        for enterprise in enterprises
        for n, clause in enumerate(clauses)
    ]
    jobs = [
        lambda: case_facts_refresh(application_ids=ids),
        lambda: case_facts_refresh(application_ids=ids[::-2]),
        lambda: case_facts_refresh(application_ids=ids[4:]),
        *(lambda pk=pk: case_fact_refresh(application_id=pk) for pk in ids[2:7]),
    ]
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def work(job) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # a deadlock would surface here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    incremental = {"buckets": buckets(), "rollups": rollups(), **maintained()}
    assert incremental["buckets"] and incremental["filed"]
    summary_rebuild()
    assert {"buckets": buckets(), "rollups": rollups(), **maintained()} == incremental
