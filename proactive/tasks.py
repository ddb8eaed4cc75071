"""免申即享 tasks: take ids, call one service; idempotent, so a redelivery changes nothing."""

from __future__ import annotations

from celery import shared_task


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


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def process_match_chunk(chunk_id: int) -> int:
    from proactive import services

    chunk = services.match_chunk_process(chunk_id=chunk_id)
    if chunk is not None:
        services.match_run_finish(run_id=chunk.run_id)
    return chunk.proposed if chunk else 0


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def expire_proposals() -> int:
    from proactive import services

    return services.proposals_expire()
