"""Every periodic job names a registered task with a time limit and late acks."""

from celery import current_app
from django.conf import settings


def test_every_beat_entry_is_a_registered_task_with_limits():
    current_app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reviews.tasks.send_deadline_reminders",
        "reviews.tasks.lapse_overdue_corrections",
        "reviews.tasks.close_notices",
        "finance.tasks.send_payment_reminders",
        "proactive.tasks.expire_proposals",
        "proactive.tasks.recompute_proposals",
        "portal.core.tasks.flush_outbox",
    } <= names
    for name in names:
        task = current_app.tasks[name]
        assert task.time_limit and task.soft_time_limit < task.time_limit, name
        assert task.acks_late, name


def test_every_task_finishes_before_the_broker_would_deliver_it_again():
    """acks late: an unacknowledged message returns after the visibility timeout, so a task
    allowed to run longer than that would run twice while the first is still working."""
    current_app.loader.import_default_modules()
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = [t for name, t in current_app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) > 10
    for task in ours:
        assert task.time_limit and task.time_limit < visibility, task.name
