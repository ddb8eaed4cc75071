"""Public notice: batch, real-name objection, closing the window (command and task); the
objection rules themselves are in test_objections.py."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.workflow import Action, Status
from portal.core.models import OutboxTask
from portal.core.workdays import add_workdays
from reviews import selectors, services
from reviews.models import NoticeBatch, NoticeEntry, Objection
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


# --- the 公示管理 page: nothing ticked at first, 全部发布 names its count -------------------


def _page(client, city_reviewer, data=None):
    client.force_login(city_reviewer)
    if data is None:
        return client.get(reverse("reviews:notices"))
    return client.post(reverse("reviews:notices"), {"window_days": 5, "title": "", **data})


def test_the_page_ticks_no_case_and_offers_publishing_all_by_its_count(
    three_approved, city_reviewer, client
):
    response = _page(client, city_reviewer)
    body = response.content.decode()
    assert [c.pk for c in response.context["candidates"]] == [c.pk for c in three_approved]
    assert body.count('name="cases"') == 3 and " checked" not in body
    assert "已选 <strong data-pick-count>0</strong> 件，共 3 件待公示" in body
    assert "全部发布（3件）" in body and "全选</button>" in body and "全不选</button>" in body


def test_publishing_nothing_ticked_is_refused_and_writes_nothing(
    three_approved, city_reviewer, client
):
    response = _page(client, city_reviewer, {"publish": "selected"})
    assert response.status_code == 200
    assert "请选择要公示的案件。" in response.content.decode()
    assert not NoticeBatch.objects.exists() and not NoticeEntry.objects.exists()
    for case in three_approved:
        case.refresh_from_db()
        assert case.status == Status.APPROVED
        assert not case.events.filter(action=Action.PUBLISH_NOTICE).exists()


def test_only_the_ticked_cases_are_published(three_approved, city_reviewer, client):
    first, second, third = three_approved
    listed = [c.pk for c in three_approved]
    response = _page(
        client,
        city_reviewer,
        {"publish": "selected", "cases": [first.pk, third.pk], "listed": listed},
    )
    assert response.status_code == 302
    assert set(NoticeBatch.objects.get().entries.values_list("application_id", flat=True)) == {
        first.pk,
        third.pk,
    }
    second.refresh_from_db()
    assert second.status == Status.APPROVED


def test_publishing_all_takes_the_cases_the_list_showed(
    three_approved, city_reviewer, client, clause, district_reviewer
):
    listed = [c.pk for c in three_approved]
    # approved after the reviewer read the page: not in the list the button named
    late_user = enterprise_with_user(district_code="jinshui").members.first().user
    late = approved_case(late_user, clause, district_reviewer, city_reviewer)
    response = _page(client, city_reviewer, {"publish": "all", "listed": listed})
    assert response.status_code == 302
    entries = NoticeBatch.objects.get().entries.values_list("application_id", flat=True)
    assert sorted(entries) == sorted(listed)
    late.refresh_from_db()
    assert late.status == Status.APPROVED


def test_a_refused_form_keeps_the_ticks(three_approved, city_reviewer, client):
    first = three_approved[0]
    response = _page(
        client, city_reviewer, {"publish": "selected", "cases": [first.pk], "window_days": 0}
    )
    body = response.content.decode()
    assert response.status_code == 200 and not NoticeBatch.objects.exists()
    assert f'value="{first.pk}" data-pick-item checked' in body and body.count(" checked") == 1
    assert "已选 <strong data-pick-count>1</strong> 件" in body


@pytest.mark.parametrize("listed", [["x"], ["99999999999999999999"], ["0"], []])
def test_publishing_all_refuses_a_list_that_is_not_of_cases(
    three_approved, city_reviewer, client, listed
):
    response = _page(client, city_reviewer, {"publish": "all", "listed": listed})
    assert response.status_code == 200 and not NoticeBatch.objects.exists()
    body = response.content.decode()
    assert ("请选择要公示的案件。" if not listed else "未找到，或您无权查看。") in body
    for case in three_approved:
        case.refresh_from_db()
        assert case.status == Status.APPROVED
