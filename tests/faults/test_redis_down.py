"""Redis down (issues #8, #9): pages, the API and the actions that save a case still work; the
tasks they could not send wait in the outbox and, once Redis is back, run in a real worker
exactly once, however often the outbox is flushed."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.models import Application, Notification
from applications.workflow import Status
from dashboards.models import CaseFact
from policies.loading import policy_library_load
from policies.models import Clause
from portal.accounts.models import Role
from portal.core.models import OutboxTask
from portal.core.tasks import outbox_flush
from tests.factories.accounts import UserFactory
from tests.factories.applications import DISTRICT_CLAUSE, open_window
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import pass_all, ready_draft, submitted_case
from tests.faults.private import (
    REDIS_SERVER,
    PrivateRedis,
    celery_on,
    mail_subjects,
    start_worker,
    stop_worker,
    wait_for,
    worker_env,
)
from tests.proactive.conftest import CLAUSES, add_figures, run_now

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed"),
]

Q1 = {("revenue", "2022Q1"): 10_000_000_000, ("revenue", "2023Q1"): 13_500_000_000}


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def enterprise_login(email: str):
    """An enterprise user (with an e-mail address, so notifications are mailed)."""
    user = UserFactory(role=Role.ENTERPRISE, email=email)
    return user, enterprise_with_user(user, district_code="jinshui")


def cases_to_act_on(district_reviewer):
    """A draft to submit, a case in district review to approve, a proposal to confirm."""
    policy_library_load()
    clause = open_window(DISTRICT_CLAUSE)
    submitter, _ = enterprise_login("submit@example.cn")
    draft = ready_draft(submitter, clause)
    applicant, _ = enterprise_login("approve@example.cn")
    in_review = submitted_case(applicant, clause)
    pass_all(in_review, district_reviewer)
    owner, enterprise = enterprise_login("confirm@example.cn")
    add_figures(enterprise, Q1)
    run_now(UserFactory(role=Role.POLICY_ADMIN), list(Clause.objects.filter(code__in=CLAUSES)))
    proposal = Application.objects.get(status=Status.PROPOSED)
    return (submitter, draft), (district_reviewer, in_review), (owner, proposal)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flush_twice_at_once() -> list[tuple[int, int]]:
    """Two flushes at the same moment (two beat ticks, or beat and an operator)."""
    start = threading.Barrier(2)

    def flush():
        try:
            start.wait(timeout=10)
            return outbox_flush(older_than_seconds=0)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        return [f.result() for f in [pool.submit(flush), pool.submit(flush)]]


@pytest.mark.django_db(transaction=True)
def test_redis_down_saves_cases_and_sends_their_tasks_once_when_back(district_reviewer, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the test database must be reachable from the worker process (PostgreSQL)")
    (submitter, draft), (reviewer, in_review), (owner, proposal) = cases_to_act_on(
        district_reviewer
    )
    earlier = set(Notification.objects.values_list("pk", flat=True))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    redis = PrivateRedis(tmp_path).start()
    worker = None
    try:
        with celery_on(redis.url):
            redis.stop()  # --- Redis is down ---------------------------------------------

            submitted = as_user(submitter).post(
                reverse("applications:submit", args=[draft.pk]), {"commitment": "on"}
            )
            assert submitted.status_code == 302
            assert submitted.url == reverse("applications:detail", args=[draft.pk])
            approved = as_user(reviewer).post(
                f"/api/v1/reviews/cases/{in_review.pk}/approve/", {}, "application/json"
            )
            assert approved.status_code == 200, approved.content.decode()
            assert approved.json()["status"] == Status.CITY_REVIEW
            confirmed = as_user(owner).post(
                reverse("proactive:proposal_confirm", args=[proposal.pk]), {"commitment": "on"}
            )
            assert confirmed.status_code == 302
            statuses = dict(
                Application.objects.filter(
                    pk__in=[draft.pk, in_review.pk, proposal.pk]
                ).values_list("pk", "status")
            )
            assert statuses == {
                draft.pk: Status.DISTRICT_REVIEW,
                in_review.pk: Status.CITY_REVIEW,
                proposal.pk: Status.CITY_REVIEW,
            }
            # pages and the API read as usual
            page = as_user(submitter).get(reverse("applications:detail", args=[draft.pk]))
            assert page.status_code == 200 and draft.number in page.content.decode()
            listed = as_user(submitter).get("/api/v1/applications/")
            assert listed.status_code == 200 and listed.json()["count"] == 1
            assert as_user(reviewer).get(reverse("reviews:queue")).status_code == 200

            # what the three actions enqueued is kept, unsent, with the reason
            waiting = list(OutboxTask.objects.filter(sent_at__isnull=True))
            assert Counter(row.task for row in waiting) == {
                "dashboards.tasks.case_changed": 3,
                "applications.tasks.send_notification_emails": 3,
            }
            assert all(row.last_error and row.attempts == 1 for row in waiting)
            notes = Notification.objects.exclude(pk__in=earlier)
            assert notes.count() == 3 and not notes.filter(emailed_at__isnull=False).exists()

            redis.start()  # --- Redis is back (same port, empty) ---------------------------
            worker = start_worker(worker_env(redis.url, mail_dir), tmp_path / "worker.log")
            flushed = flush_twice_at_once()
            assert sum(sent for sent, _ in flushed) == len(waiting), flushed

            def all_done() -> bool:
                assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
                facts = dict(CaseFact.objects.filter(pk__in=statuses).values_list("pk", "status"))
                return facts == statuses and not notes.filter(emailed_at__isnull=True).exists()

            assert wait_for(all_done, 90), (tmp_path / "worker.log").read_text()[-3000:]
            assert outbox_flush(older_than_seconds=0) == (0, 0)  # nothing left, nothing twice
            assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()

            # the same message delivered again (a redelivery) sends nothing more
            again = current_app.send_task(
                "applications.tasks.send_notification_emails",
                args=[list(notes.values_list("pk", flat=True))],
            )
            assert again.get(timeout=60) == 0
    finally:
        if worker is not None:
            stop_worker(worker)
        redis.stop()

    expected = {f"【{settings.PORTAL_NAME}】{note.title}" for note in notes}
    assert Counter(mail_subjects(mail_dir)) == dict.fromkeys(expected, 1)
