"""Periodic review jobs (Celery beat): thin, idempotent, time-limited."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def send_deadline_reminders() -> int:
    from reviews.services import deadline_reminders_send

    return deadline_reminders_send()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def lapse_overdue_corrections() -> int:
    from reviews.services import corrections_lapse

    return len(corrections_lapse())


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def close_notices() -> int:
    from reviews.services import notices_close

    return len(notices_close())
