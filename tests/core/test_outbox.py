"""Tasks go through the outbox: saved with the change, sent after commit, resent when the broker was down."""

import pytest
from celery import current_app

from portal.core.models import Heartbeat, OutboxTask
from portal.core.tasks import enqueue, outbox_flush, record_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_task_is_sent_after_commit_and_marked(eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(record_heartbeat, "after-commit")
        assert not Heartbeat.objects.filter(note="after-commit").exists()  # nothing before commit
    for callback in callbacks:
        callback()
    assert Heartbeat.objects.filter(note="after-commit").count() == 1
    row = OutboxTask.objects.get()
    assert row.sent_at is not None and row.attempts == 1


def test_broker_down_keeps_the_task_and_flush_sends_it_once(
    eager, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(row):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("portal.core.tasks._deliver", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(record_heartbeat, "later")
    row = OutboxTask.objects.get()
    assert row.sent_at is None and "Connection refused" in row.last_error
    assert not Heartbeat.objects.filter(note="later").exists()

    monkeypatch.undo()
    assert outbox_flush(older_than_seconds=0) == (1, 0)
    assert outbox_flush(older_than_seconds=0) == (0, 0)  # already sent: nothing twice
    assert Heartbeat.objects.filter(note="later").count() == 1


def test_a_rolled_back_change_leaves_no_task(eager, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue(record_heartbeat, "never")
        raise RuntimeError("the change failed")
    assert not OutboxTask.objects.exists()
    assert not Heartbeat.objects.exists()
