"""A run over a few thousand enterprises on real Celery workers; one is SIGKILLed half-way."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from applications.models import Application, ApplicationEvent
from demo import synthetic
from enterprises.models import Enterprise
from policies import engine
from policies.loading import policy_library_load
from policies.models import Calculation, Clause
from portal.accounts.models import Role
from portal.core.money import to_fen
from proactive import services
from proactive.facts import facts_for_enterprises
from proactive.models import MatchChunk, MatchRun
from proactive.tasks import start_match_run
from tests.factories.accounts import UserFactory
from tests.realworkers import real_worker_env

ROOT = Path(__file__).resolve().parents[2]
COUNT = 3000

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no real broker"),
]


def start_worker(queue: str) -> subprocess.Popen:
    env = real_worker_env()
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "-c", "2",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches the pool children too
    )  # fmt: skip


def stop(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)  # warm shutdown; a stuck one is killed
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def expected(clauses) -> dict[tuple[int, int], int]:
    enterprises = list(Enterprise.objects.all())
    found = {}
    for eid, facts in facts_for_enterprises(enterprises, year=2023).items():
        for clause in clauses:
            try:
                result = engine.calculate(clause.code, facts)
            except engine.EngineError:
                continue
            if result.eligible and result.amount > 0:
                found[(eid, clause.pk)] = to_fen(result.amount)
    return found


@pytest.mark.django_db(transaction=True)
def test_killed_worker_and_resume_give_the_uninterrupted_result(real_broker):
    if connection.vendor == "sqlite":
        pytest.skip("the test database must be reachable from another process (PostgreSQL)")
    policy_library_load()
    clauses = list(Clause.objects.filter(code__in=["zzw-2022-155/1", "zzw-2022-155/2"]))
    admin = UserFactory(role=Role.POLICY_ADMIN)
    synthetic.generate(COUNT)
    queue = f"test-proactive-{uuid.uuid4().hex[:8]}"
    first = start_worker(queue)
    run = services.match_run_start(
        actor=admin,
        clause_ids=[c.pk for c in clauses],
        period="2023Q1",
        chunk_size=100,
        queue=queue,
    )
    start_match_run.apply_async(args=[run.pk], queue=queue)  # started twice: no duplicate
    done = MatchChunk.objects.filter(run=run, status="done")
    try:
        assert wait_for(lambda: done.count() >= 5, 120), "the first worker did not start"
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=20)
    killed_at = done.count()
    second = start_worker(queue)
    try:
        start_match_run.apply_async(args=[run.pk], queue=queue)  # the resume action
        assert wait_for(
            lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE, 180
        ), f"run not finished: {done.count()}/{run.chunks.count()} chunks"
    finally:
        stop(second)
    assert killed_at < run.chunks.count()
    got = {
        (a.enterprise_id, a.clause_id): a.estimated_amount_fen for a in Application.objects.all()
    }
    assert Application.objects.count() == len(got)  # no duplicate case
    assert got == expected(clauses)  # nothing missing, amounts to the fen
    assert Calculation.objects.count() == len(got)  # no orphan or doubled calculation
    assert ApplicationEvent.objects.filter(action="propose").count() == len(got)
