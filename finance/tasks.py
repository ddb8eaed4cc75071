"""Celery tasks of finance: thin, idempotent (the unique constraint on payables decides)."""

from __future__ import annotations

import logging

from celery import shared_task

from portal.core.errors import DomainError

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def payables_create(application_id: int) -> int:
    """Create the payables of one determined award; a duplicate delivery creates nothing."""
    from applications.models import Application
    from finance.services import payables_create_for_application

    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return 0
    try:
        return len(payables_create_for_application(application=application))
    except DomainError as exc:  # not (or no longer) payable: nothing to retry
        logger.warning("payables for application %s not created: %s", application_id, exc)
        return 0


def payables_create_after_commit(application_id: int) -> None:
    """``links.PAYABLES_ON_DETERMINATION``: a determined case's payables are created by a task
    enqueued through the outbox with the determination (sent after commit)."""
    from portal.core.tasks import enqueue

    enqueue(payables_create, application_id)


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def payables_sweep(limit: int = 2000) -> int:
    """Create payables for every determined award that has none (a missed task, old data)."""
    from finance.services import payables_create_for_application
    from finance.services.payables import applications_without_payables

    created = 0
    for application in applications_without_payables()[:limit]:
        try:
            payables_create_for_application(application=application)
            created += 1
        except DomainError as exc:
            logger.warning("sweep: application %s skipped: %s", application.pk, exc)
    return created


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def send_payment_reminders() -> int:
    from finance.services.reminders import payment_reminders_send

    return payment_reminders_send()
