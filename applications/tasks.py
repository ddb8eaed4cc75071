"""Celery tasks of the case file: take ids, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_notification_emails(notification_ids: list[int]) -> int:
    from applications.services import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)
