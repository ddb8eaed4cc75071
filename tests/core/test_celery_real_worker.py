"""A real Celery worker process, on the real Redis, writing to the real (test) database."""

import os
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

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no real broker"),
]


def database_url_of_test_db() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_task_runs_in_a_real_worker_and_writes_to_the_database():
    if connection.vendor == "sqlite":
        pytest.skip("the test database must be reachable from another process (PostgreSQL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url_of_test_db(),
        DJANGO_SETTINGS_MODULE="portal.settings.test",
    )
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
