"""A real Celery worker process, on the real Redis, writing to the real (test) database."""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.core.models import Heartbeat
from portal.core.tasks import record_heartbeat
from tests.realworkers import real_worker_env

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no real broker"),
]


@pytest.mark.django_db(transaction=True)
def test_task_runs_in_a_real_worker_and_writes_to_the_database(real_broker):
    if connection.vendor == "sqlite":
        pytest.skip("the test database must be reachable from another process (PostgreSQL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = real_worker_env()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    note = f"real-worker-{queue}"
    try:
        record_heartbeat.apply_async(args=[note], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Heartbeat.objects.filter(note=note).exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.3)
        beat = Heartbeat.objects.get(note=note)
        assert beat.worker  # written by the worker process, which records its host name
    finally:
        worker.terminate()
        worker.wait(timeout=20)
