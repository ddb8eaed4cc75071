"""Enqueueing (always after commit) and the kernel's own tasks."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Callable, *args: object, **kwargs: object) -> None:
    """Send ``task`` after the current transaction commits, so a worker never sees uncommitted rows.

    A broker that is down must not fail the request that already saved its data: the error
    is logged and periodic jobs (which recompute from the database) pick the work up later.
    """

    def send() -> None:
        try:
            task.delay(*args, **kwargs)
        except Exception:  # the broker is out of reach; the saved data is what matters
            logger.exception("could not enqueue %s", getattr(task, "name", task))

    transaction.on_commit(send)


@shared_task(acks_late=True, time_limit=30, soft_time_limit=25)
def record_heartbeat(note: str = "beat") -> int:
    from portal.core.models import Heartbeat

    beat = Heartbeat.objects.create(note=note[:200], worker=socket.gethostname())
    return beat.pk
