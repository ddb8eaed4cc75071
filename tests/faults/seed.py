"""Data for the PostgreSQL restart test, written into its private cluster by a subprocess:
enterprise users, each with ready drafts and a logged-in session.

    manage.py shell -c "from tests.faults.seed import main; main(4, 6)"

prints one line ``SEED {json}``: ``[{"session": key, "drafts": [id, ...]}, ...]``.
"""

from __future__ import annotations

import json

from django.test import Client

from policies.loading import policy_library_load
from portal.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.applications import DISTRICT_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import ready_draft


def main(users: int, drafts: int) -> None:
    policy_library_load()
    clause = open_window(DISTRICT_CLAUSE)
    seeded = []
    for n in range(users):
        user = UserFactory(role=Role.ENTERPRISE, email=f"restart{n}@example.cn")
        enterprise_with_user(user, district_code="jinshui")
        ids = [ready_draft(user, clause, period=str(2023 - i)).pk for i in range(drafts)]
        client = Client()
        client.force_login(user)
        seeded.append({"session": client.session.session_key, "drafts": ids})
    print("SEED " + json.dumps(seeded))


def report(ids: list[int]) -> None:
    """What the database holds for each case, for the test to check nothing is half-written:
    prints ``REPORT {json}``."""
    from applications.models import Application
    from portal.core.models import OutboxTask

    rows = {}
    for application in Application.objects.filter(pk__in=ids).prefetch_related("events"):
        pk = application.pk
        rows[pk] = {
            "status": application.status,
            "submitted": application.submitted_at is not None,
            "commitment": application.commitment_signed_at is not None,
            "submit_events": sum(e.action == "submit" for e in application.events.all()),
            "notifications": application.notifications.filter(title__endswith="提交申报").count(),
            "case_changed": OutboxTask.objects.filter(
                task="dashboards.tasks.case_changed", args=[pk]
            ).count(),
        }
    unsent = [
        f"{row.task}: {row.last_error[:300]}" for row in OutboxTask.objects.filter(sent_at=None)
    ]
    print("REPORT " + json.dumps({"cases": rows, "unsent": unsent}))
