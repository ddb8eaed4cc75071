"""Concurrent appends to the audit chain: none fails, none forks (PostgreSQL).

A writer that waited for a row lock on the chain's last record used to read the head it
saw before the first writer's commit and fail on a duplicate sequence number (the load test
found logins answering 500 this way)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from portal.core.audit import audit_append, audit_verify
from portal.core.models import AuditRecord

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not ON_POSTGRES, reason="SQLite serialises writers: the race cannot happen there"
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 16


def test_sixteen_concurrent_appends_all_land_in_one_chain():
    audit_append(kind="test", data={"i": "first"})
    barrier = threading.Barrier(THREADS)
    failures: list[Exception] = []

    def append(i: int) -> None:
        try:
            barrier.wait()
            audit_append(kind="test", actor=f"writer{i}", data={"i": i})
        except Exception as exc:  # every failure is the finding
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures, failures
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS + 2))
    report = audit_verify()
    assert report.ok and report.checked == THREADS + 1
