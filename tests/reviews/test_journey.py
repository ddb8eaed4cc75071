"""The whole review journey through the pages, as the users would do it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application
from applications.workflow import Status
from portal.core.models import OutboxTask
from portal.core.workdays import add_workdays
from reviews.models import NoticeBatch
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import submitted_case

pytestmark = pytest.mark.django_db


def _pass_grid(application):
    from reviews.forms import check_rows

    return {f"{r['prefix']}-passed": "1" for r in check_rows(application)}


def test_district_city_notice_objection_close(clause, client, district_reviewer, city_reviewer):
    cases = []
    for _ in range(3):
        enterprise = enterprise_with_user(district_code="jinshui")
        cases.append(submitted_case(enterprise.members.first().user, clause))
    first, second, third = cases

    client.force_login(district_reviewer)
    queue = client.get(reverse("reviews:queue"))
    assert queue.context["page"].paginator.count == 3
    client.post(
        reverse("reviews:queue"),
        {"cases": [c.pk for c in cases], "assignee": district_reviewer.username},
    )
    for case in (first, second):
        client.post(reverse("reviews:checks", args=[case.pk]), _pass_grid(case))
        client.post(reverse("reviews:approve", args=[case.pk]), {"amount": "300000.00"})
    grid = {**_pass_grid(third), "m3-passed": "0", "m3-comment": "备案文件过期"}
    client.post(reverse("reviews:checks", args=[third.pk]), grid)
    client.post(reverse("reviews:return", args=[third.pk]), {})
    statuses = list(
        Application.objects.filter(pk__in=[c.pk for c in cases])
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == [Status.CITY_REVIEW, Status.CITY_REVIEW, Status.RETURNED]

    client.force_login(city_reviewer)
    assert client.get(reverse("reviews:queue")).context["page"].paginator.count == 2
    for case in (first, second):
        client.post(reverse("reviews:checks", args=[case.pk]), _pass_grid(case))
    response = client.post(
        reverse("reviews:approve", args=[first.pk]), {"amount": "250000", "reason_code": ""}
    )
    assert "须选择核减原因" in client.get(response["Location"]).content.decode()
    client.post(
        reverse("reviews:approve", args=[first.pk]), {"amount": "250000", "reason_code": "budget"}
    )
    client.post(reverse("reviews:approve", args=[second.pk]), {"amount": "300000"})
    first.refresh_from_db()
    assert (first.status, first.approved_amount_fen) == (Status.APPROVED, 25_000_000)

    client.post(
        reverse("reviews:notices"), {"cases": [first.pk, second.pk], "window_days": 5, "title": ""}
    )
    batch = NoticeBatch.objects.get()
    public = client.get(reverse("reviews:notice_public")).content.decode()
    assert "250,000.00" in public and "300,000.00" in public

    client.force_login(enterprise_with_user(district_code="erqi").members.get().user)
    entry = batch.entries.get(application=second)
    client.post(
        reverse("reviews:notice_object", args=[entry.pk]),
        {"name": "张三", "contact": "13900000000", "text": "该项目未开工"},
    )
    client.force_login(city_reviewer)
    objection = entry.objections.get()
    client.post(reverse("reviews:objection_accept", args=[objection.pk]), {"reason": "核查属实"})

    call_command("close_notices", "--today", add_workdays(batch.closes_on, 1).isoformat())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.DETERMINED
    assert second.status == Status.CITY_REVIEW
    assert OutboxTask.objects.filter(task="finance.tasks.payables_create", args=[first.pk]).exists()
