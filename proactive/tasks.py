"""免申即享 tasks: take ids, call one service; idempotent, so a redelivery changes nothing."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


def _queue_of(task) -> str | None:
    """The queue this task came from: chunks follow their coordinator (tests use own queues)."""
    info = getattr(task.request, "delivery_info", None) or {}
    return info.get("routing_key") or None


@shared_task(bind=True, acks_late=True, time_limit=600, soft_time_limit=540)
def start_match_run(self, run_id: int) -> int:
    """Coordinator: plan the chunks once, enqueue every unfinished one (resume = run again)."""
    from proactive import services

    chunk_ids = services.match_run_plan(run_id=run_id)
    queue = _queue_of(self)
    for chunk_id in chunk_ids:
        process_match_chunk.apply_async(args=[chunk_id], queue=queue)
    if not chunk_ids:
        services.match_run_finish(run_id=run_id)
    return len(chunk_ids)


@shared_task(
    acks_late=True,
    time_limit=600,
    soft_time_limit=540,
    autoretry_for=(OperationalError, InterfaceError),  # a passing database fault
    retry_backoff=5,
    max_retries=5,
)
def process_match_chunk(chunk_id: int) -> int:
    from proactive import services

    try:
        chunk = services.match_chunk_process(chunk_id=chunk_id)
    except Exception as exc:
        _record_failure(chunk_id, exc)
        raise
    if chunk is not None:
        services.match_run_finish(run_id=chunk.run_id)
    return chunk.proposed if chunk else 0


def _record_failure(chunk_id: int, exc: Exception) -> None:
    from proactive import services

    try:
        services.match_chunk_record_failure(chunk_id=chunk_id, error=f"{type(exc).__name__}: {exc}")
    except Exception:  # the database itself is down: the retry or the resume still comes
        logger.exception("could not record the failure of match chunk %s", chunk_id)


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def run_gov_import(job_id: int) -> str:
    """A large department file: parse, check and write it (idempotent: a finished job and an
    already imported file change nothing)."""
    from proactive import services

    job = services.gov_import_job_run(job_id=job_id)
    return job.status if job else ""


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def expire_proposals() -> int:
    from proactive import services

    return services.proposals_expire()


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def recompute_proposals() -> dict:
    from dataclasses import asdict

    from proactive import services

    return asdict(services.proposals_recompute())
