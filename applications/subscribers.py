"""What the case file does when cases change (subscribed in ``ApplicationsConfig.ready``).

The messages are the case file's own rows: a step the enterprise can see becomes a message to
each of its members, written with the step (``WITH_CHANGE``). Every message is e-mailed by a
task enqueued through the outbox, one per ``EMAIL_BATCH`` (each is an SMTP round trip; the
task's time limit is 120 s), sent after commit.
"""

from __future__ import annotations

from portal.core import events
from portal.core.tasks import enqueue

EMAIL_BATCH = 200


def step_notify(event: events.CaseTransitioned) -> None:
    if not event.visible_to_enterprise:
        return
    from applications.models import ApplicationEvent
    from applications.services import application_notify_step

    row = ApplicationEvent.objects.select_related(
        "application", "application__enterprise", "application__clause"
    ).get(pk=event.event_id)
    application_notify_step(application=row.application, event=row)


def messages_email(event: events.MessagesCreated) -> None:
    from applications.tasks import send_notification_emails

    ids = list(event.notification_ids)
    for start in range(0, len(ids), EMAIL_BATCH):
        enqueue(send_notification_emails, ids[start : start + EMAIL_BATCH])


def cases_follow_enterprise(event: events.EnterpriseMoved) -> None:
    """The enterprise's cases move with it, in its transaction (an event on each case)."""
    from django.contrib.auth import get_user_model

    from applications.bulk import applications_move_district
    from enterprises.models import Enterprise
    from portal.accounts.models import District

    actor = get_user_model().objects.filter(pk=event.actor_id).first() if event.actor_id else None
    applications_move_district(
        enterprise=Enterprise.objects.get(pk=event.enterprise_id),
        actor=actor,
        district=District.objects.get(pk=event.district_id),
    )


def connect() -> None:
    events.subscribe(events.CaseTransitioned, step_notify, phase=events.Phase.WITH_CHANGE)
    events.subscribe(events.MessagesCreated, messages_email, phase=events.Phase.WITH_CHANGE)
    events.subscribe(
        events.EnterpriseMoved, cases_follow_enterprise, phase=events.Phase.WITH_CHANGE
    )
