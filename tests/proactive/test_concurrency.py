"""Two workers on two chunks of one run do not wait for each other (PostgreSQL row locks)."""

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from proactive import services
from proactive.models import MatchChunk, MatchRun
from proactive.services import matching
from tests.proactive.conftest import generated_enterprises

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks between concurrent transactions are tested on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_chunk_in_progress_does_not_block_another_chunk_of_the_same_run(
    policy_admin, clauses, monkeypatch
):
    generated_enterprises(6)
    run = MatchRun.objects.create(period="2023Q1", created_by=policy_admin, chunk_size=3)
    run.clauses.set(clauses)  # not match_run_start: its coordinator would run at once (eager)
    first, second = services.match_run_plan(run_id=run.pk)
    inside, release = threading.Event(), threading.Event()
    propose = matching._propose

    def slow_propose(chunk, *args):
        if chunk.pk == first:  # the first worker holds its chunk's transaction open
            inside.set()
            release.wait(timeout=30)
        propose(chunk, *args)

    monkeypatch.setattr(matching, "_propose", slow_propose)

    def work():
        try:
            services.match_chunk_process(chunk_id=first)
        finally:
            connection.close()  # this thread's own connection

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert inside.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # the chunk lock used to join the run (ordering) and lock its row too
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            services.match_chunk_process(chunk_id=second)  # raises if it has to wait
        assert MatchChunk.objects.get(pk=second).status == MatchChunk.Status.DONE
    finally:
        release.set()
        worker.join(timeout=30)
    assert MatchChunk.objects.get(pk=first).status == MatchChunk.Status.DONE
