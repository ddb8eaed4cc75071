"""Enqueueing through the outbox (always after commit) and the kernel's own tasks."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

from celery import current_app, shared_task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task, *args: object, **kwargs: object) -> None:
    """Send ``task`` (a task, or its registered name) after the current transaction commits,
    through the outbox. A name lets a lower app start a higher app's task without importing it.

    The outbox row is written in the caller's transaction, so the task exists exactly when the
    change that caused it exists. A broker that is down does not fail the request that saved
    its data: the row stays unsent and ``outbox_flush`` sends it later.
    """
    from portal.core.models import OutboxTask

    name = task if isinstance(task, str) else task.name
    row = OutboxTask.objects.create(task=name, args=list(args), kwargs=kwargs)
    # robust: the change is committed and the row is kept; if sending fails even to record
    # the failure (the database went away right after the commit), the flush sends it later
    # and the request that saved the change still succeeds.
    transaction.on_commit(lambda: outbox_send(row.pk), robust=True)


def outbox_send(pk: int) -> bool:
    """Send one outbox row if still unsent; True when sent."""
    from portal.core.models import OutboxTask

    with transaction.atomic():
        row = OutboxTask.objects.select_for_update().filter(pk=pk, sent_at__isnull=True).first()
        if row is None:
            return False
        row.attempts += 1
        try:
            _deliver(row)
        except Exception as exc:  # broker down, or an eager task failed: keep it for the flush
            logger.warning("outbox task %s #%s not sent: %s", row.task, row.pk, exc)
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.save(update_fields=["attempts", "last_error"])
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def _deliver(row) -> None:
    if current_app.conf.task_always_eager:
        if row.task not in current_app.tasks:
            # a task module nobody imported yet in this process (a worker imports them all)
            current_app.loader.import_default_modules()
        # No broker: run in-process. The savepoint drops a failed task's partial writes.
        with transaction.atomic():
            result = current_app.tasks[row.task].apply(args=row.args, kwargs=row.kwargs)
            if result.failed():
                raise result.result
    else:
        # Nobody reads an outbox task's result. Asking for one makes this process subscribe
        # to the task's result channel before publishing; with Redis down that subscription
        # retries for about 20 seconds per task, holding the request that saved the change.
        current_app.send_task(row.task, args=row.args, kwargs=row.kwargs, ignore_result=True)


def outbox_flush(*, older_than_seconds: int = 10, limit: int = 500) -> tuple[int, int]:
    """Send unsent rows older than a few seconds (younger ones are still being sent on commit)."""
    from portal.core.models import OutboxTask

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pks = list(
        OutboxTask.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(outbox_send(pk) for pk in pks)
    return sent, len(pks) - sent


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def flush_outbox() -> int:
    return outbox_flush()[0]


@shared_task(acks_late=True, time_limit=30, soft_time_limit=25)
def record_heartbeat(note: str = "beat") -> int:
    from portal.core.models import Heartbeat

    beat = Heartbeat.objects.create(note=note[:200], worker=socket.gethostname())
    return beat.pk
