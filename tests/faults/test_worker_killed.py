"""A worker killed in the middle of a task (issue #9): the task runs again and its effect
happens once.

The task is the portal's own ``send_notification_emails`` on a batch of notifications. The
test holds a lock on one notification row, so the worker is caught for certain in the middle
of the batch (the rows before it mailed and committed, this one waiting) when it is killed.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, transaction

from applications.models import Notification
from applications.tasks import send_notification_emails
from portal.accounts.models import Role
from portal.core.tasks import enqueue
from tests.factories.accounts import UserFactory
from tests.faults.private import (
    REDIS_SERVER,
    PrivateRedis,
    celery_on,
    children_of,
    kill_group,
    mail_subjects,
    start_worker,
    stop_worker,
    wait_for,
    worker_env,
)

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed"),
]


def batch(user, label: str, size: int = 4) -> list[Notification]:
    return Notification.objects.bulk_create(
        [
            Notification(user=user, title=f"{label}通知 {i}", body=f"{label}第 {i} 条")
            for i in range(size)
        ]
    )


def send(notes: list[Notification]) -> None:
    with transaction.atomic():  # through the outbox, sent when this commits
        enqueue(send_notification_emails, [n.pk for n in notes])


@contextmanager
def row_locked(note: Notification):
    """Another session holds ``note``'s row: the task blocks there, in the middle."""
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    ) as locker:
        table = sql.Identifier(Notification._meta.db_table)
        locker.execute(
            sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(table), [note.pk]
        )
        yield
        locker.rollback()


def caught_mid_task(notes: list[Notification], at: int, log) -> bool:
    """The rows before ``at`` are mailed, and a session waits for the locked row."""

    def mid_task() -> bool:
        mailed = set(
            Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at__isnull=False)
            .values_list("pk", flat=True)
        )  # fmt: skip
        if mailed != {n.pk for n in notes[:at]}:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] >= 1

    assert wait_for(mid_task, 60), log.read_text()[-3000:]
    return True


def all_mailed(notes: list[Notification]) -> bool:
    return not Notification.objects.filter(
        pk__in=[n.pk for n in notes], emailed_at__isnull=True
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_task_runs_again_and_mails_each_notification_once(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the test database must be reachable from the worker process (PostgreSQL)")
    user = UserFactory(role=Role.ENTERPRISE, email="worker-lost@example.cn")
    first, second = batch(user, "第一批"), batch(user, "第二批")
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    redis = PrivateRedis(tmp_path).start()
    workers = []
    try:
        with celery_on(redis.url):
            # the production visibility timeout (an hour): nothing comes back by timeout here
            workers.append(start_worker(worker_env(redis.url, mail_dir), log))

            # 1. The pool process running the task dies; its parent lives. reject_on_worker_lost:
            #    the parent puts the message back and a new pool process runs the task again.
            with row_locked(first[2]):
                send(first)
                assert caught_mid_task(first, 2, log)
                (child,) = children_of(workers[0].pid)
                os.kill(child, signal.SIGKILL)
            assert wait_for(lambda: all_mailed(first), 60), log.read_text()[-3000:]

            # 2. The whole worker dies (SIGKILL to its process group). acks_late: the message
            #    is still unacknowledged in Redis, and another worker takes it after the
            #    visibility timeout (3 s here instead of the production hour).
            with row_locked(second[2]):
                send(second)
                assert caught_mid_task(second, 2, log)
                kill_group(workers[0])
            broker = redis.client()
            assert broker.hlen("unacked") == 1 and broker.llen("celery") == 0
            assert not all_mailed(second)
            env = worker_env(redis.url, mail_dir, PORTAL_TEST_VISIBILITY_TIMEOUT="3")
            workers.append(start_worker(env, log))
            assert wait_for(lambda: all_mailed(second), 60), log.read_text()[-3000:]
            assert wait_for(lambda: broker.hlen("unacked") == 0, 30)
    finally:
        for worker in workers:
            stop_worker(worker)
        redis.stop()

    expected = {f"【{settings.PORTAL_NAME}】{n.title}" for n in first + second}
    assert Counter(mail_subjects(mail_dir)) == dict.fromkeys(expected, 1)
