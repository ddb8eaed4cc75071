"""Public notice: batch, real-name objection, closing the window (command and task); the
objection rules themselves are in test_objections.py."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.workflow import Action, Status
from portal.core.models import OutboxTask
from portal.core.workdays import add_workdays
from reviews import selectors, services
from reviews.models import NoticeEntry, Objection
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import approved_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_approved(clause, enterprise, enterprise_user, district_reviewer, city_reviewer):
    cases = [approved_case(enterprise_user, clause, district_reviewer, city_reviewer)]
    for _ in range(2):
        other = enterprise_with_user(district_code="jinshui")
        user = other.members.first().user
        cases.append(approved_case(user, clause, district_reviewer, city_reviewer))
    return cases


def test_objection_takes_one_case_out_and_the_rest_is_determined(
    three_approved, city_reviewer, client
):
    batch = services.notice_batch_create(
        user=city_reviewer, application_ids=[c.pk for c in three_approved], window_days=5
    )
    assert batch.closes_on == add_workdays(batch.opens_on, 5)
    for case in three_approved:
        case.refresh_from_db()
        assert case.status == Status.IN_NOTICE and case.due_on == batch.closes_on

    public = client.get(reverse("reviews:notice_public"))
    assert public.status_code == 200 and "郑政文〔2022〕155号" in public.content.decode()
    assert client.get(reverse("reviews:notice_public") + "?format=xlsx").status_code == 200

    objected = three_approved[0]
    entry = NoticeEntry.objects.get(application=objected)
    anonymous = client.post(
        reverse("reviews:notice_object", args=[entry.pk]),
        {"name": "王某", "contact": "13800000000", "text": "投资额不实"},
    )
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    with pytest.raises(Exception, match="登录"):
        from django.contrib.auth.models import AnonymousUser

        services.objection_file(
            user=AnonymousUser(), entry_id=entry.pk, name="王某", contact="1", text="x"
        )

    objector = enterprise_with_user(district_code="erqi").members.get().user  # verified
    client.force_login(objector)
    response = client.post(
        reverse("reviews:notice_object", args=[entry.pk]),
        {"name": "王某", "contact": "13800000000", "text": "投资额不实"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.user, objection.name) == (objector, "王某")
    objected.refresh_from_db()
    assert objected.status == Status.IN_NOTICE  # until a city reviewer triages it
    services.objection_accept(objection_id=objection.pk, user=city_reviewer, reason="属实")
    objected.refresh_from_db()
    assert objected.status == Status.CITY_REVIEW
    assert objected not in [e.application for e in selectors.notice_public_entries()]

    call_command("close_notices", "--today", batch.closes_on.isoformat())  # still open that day
    assert {c.status for c in _fresh(three_approved[1:])} == {Status.IN_NOTICE}

    after = add_workdays(batch.closes_on, 1)
    call_command("close_notices", "--today", after.isoformat())
    assert {c.status for c in _fresh(three_approved[1:])} == {Status.DETERMINED}
    objected.refresh_from_db()
    assert objected.status == Status.CITY_REVIEW
    tasks = OutboxTask.objects.filter(task="finance.tasks.payables_create")
    assert sorted(t.args[0] for t in tasks) == sorted(c.pk for c in three_approved[1:])
    determine = three_approved[1].events.get(action=Action.DETERMINE)
    assert determine.actor.username == "system" and not determine.actor.has_usable_password()

    call_command("close_notices", "--today", after.isoformat())  # idempotent
    assert tasks.count() == 2
    batch.refresh_from_db()
    assert batch.closed_at is not None


def _fresh(cases):
    for case in cases:
        case.refresh_from_db()
    return cases


def test_only_approved_cases_go_into_a_notice(case, city_reviewer, district_reviewer):
    with pytest.raises(Exception, match="只有复审通过的案件可以公示"):
        services.notice_batch_create(user=city_reviewer, application_ids=[case.pk])
    with pytest.raises(Exception, match="市工信局"):
        services.notice_batch_create(user=district_reviewer, application_ids=[case.pk])


def test_objection_after_the_window_is_refused(three_approved, city_reviewer):
    batch = services.notice_batch_create(
        user=city_reviewer, application_ids=[three_approved[0].pk], window_days=5
    )
    entry = batch.entries.get()
    objector = enterprise_with_user(district_code="erqi").members.get().user
    with pytest.raises(Exception, match="不在公示期内"):
        services.objection_file(
            user=objector,
            entry_id=entry.pk,
            name="某",
            contact="1",
            text="x",
            today=add_workdays(batch.closes_on, 1),
        )
