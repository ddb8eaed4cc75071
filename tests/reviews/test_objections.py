"""Objections to a public notice: a verified identity, audited under the account, triaged by a
city reviewer before the case leaves the notice, limited per account (page and API alike)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applications.models import ApplicationEvent
from applications.workflow import Action, Status
from portal.core.audit import audit_catch_up
from portal.core.errors import DomainError, PermissionRefused
from portal.core.models import AuditRecord
from portal.core.workdays import add_workdays
from reviews import services
from reviews.models import NoticeEntry, Objection
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import approved_case

pytestmark = pytest.mark.django_db

TEXT = {"name": "张经理", "contact": "13900000000", "text": "该项目尚未开工"}


@pytest.fixture
def entry(clause, enterprise, enterprise_user, district_reviewer, city_reviewer):
    case = approved_case(enterprise_user, clause, district_reviewer, city_reviewer)
    batch = services.notice_batch_create(user=city_reviewer, application_ids=[case.pk])
    return batch.entries.get()


@pytest.fixture
def objector(db):
    """A user of another, verified enterprise (二七区)."""
    return (
        enterprise_with_user(district_code="erqi", name="郑州异议人科技有限公司").members.get().user
    )


@pytest.fixture
def unverified(db):
    """Registered a minute ago, not yet verified by its district."""
    return enterprise_with_user(name="郑州示范机械制造有限公司", pending=True).members.get().user


def _status(entry) -> str:
    entry.application.refresh_from_db()
    return entry.application.status


def _file(user, entry, **kwargs):
    return services.objection_file(user=user, entry_id=entry.pk, **{**TEXT, **kwargs})


# --- who may object --------------------------------------------------------------------


def test_an_unverified_enterprise_cannot_object_under_any_name(entry, unverified, client):
    with pytest.raises(PermissionRefused, match="尚未通过核验"):
        _file(unverified, entry, name="张经理（郑州示范机械制造有限公司）")
    client.force_login(unverified)
    url = reverse("reviews:notice_object", args=[entry.pk])
    page = client.get(url)
    assert "尚未通过核验" in page.content.decode() and 'name="text"' not in page.content.decode()
    client.post(url, TEXT)
    api = APIClient()
    api.force_authenticate(unverified)
    response = api.post(reverse("api-review-objection", args=[entry.pk]), TEXT, format="json")
    assert response.status_code == 403 and "核验" in response.json()["errors"]["detail"]
    assert not Objection.objects.exists() and _status(entry) == Status.IN_NOTICE


@pytest.mark.parametrize(
    "who",
    ["anonymous", "orphan", "staff"],
)
def test_anonymous_an_account_without_enterprise_and_staff_are_refused(entry, who, leader):
    user = {
        "anonymous": AnonymousUser(),
        "orphan": UserFactory(username="citizen"),  # an enterprise login with no enterprise
        "staff": leader,
    }[who]
    with pytest.raises(PermissionRefused) as refused:
        _file(user, entry)
    assert refused.value.message  # a reason in Chinese
    assert not Objection.objects.exists()


# --- filing keeps the case in the notice, under the objector's identity ------------------


def test_an_objection_is_filed_under_the_account_and_the_case_stays(entry, objector, client):
    client.force_login(objector)
    page = client.get(reverse("reviews:notice_object", args=[entry.pk])).content.decode()
    assert "郑州异议人科技有限公司" in page  # the identity it will carry
    client.post(reverse("reviews:notice_object", args=[entry.pk]), TEXT)
    objection = Objection.objects.get()
    assert (objection.user, objection.enterprise) == (
        objector,
        objector.enterprise_membership.enterprise,
    )
    assert objection.status == Objection.Status.PENDING
    assert _status(entry) == Status.IN_NOTICE
    entry.refresh_from_db()
    assert entry.removed_at is None
    event = entry.application.events.get(action="objection_filed")
    assert event.actor == objector and not event.visible_to_enterprise
    audit_catch_up(ApplicationEvent)
    record = AuditRecord.objects.get(kind="applications.applicationevent", object_id=event.pk)
    assert record.actor == objector.username


def test_the_window_closes_without_determining_a_case_under_objection(
    entry, objector, city_reviewer
):
    _file(objector, entry)
    after = add_workdays(entry.batch.closes_on, 1)
    call_command("close_notices", "--today", after.isoformat())
    assert _status(entry) == Status.IN_NOTICE
    entry.batch.refresh_from_db()
    assert entry.batch.closed_at is None

    objection = Objection.objects.get()
    with pytest.raises(DomainError, match="理由"):
        services.objection_dismiss(objection_id=objection.pk, user=city_reviewer, reason=" ")
    services.objection_dismiss(
        objection_id=objection.pk, user=city_reviewer, reason="经现场核实项目已开工"
    )
    objection.refresh_from_db()
    assert (objection.status, objection.decided_by) == (Objection.Status.DISMISSED, city_reviewer)
    assert _status(entry) == Status.IN_NOTICE
    dismissed = entry.application.events.get(action="objection_dismissed")
    assert dismissed.actor == city_reviewer and "现场核实" in dismissed.comment

    call_command("close_notices", "--today", after.isoformat())
    assert _status(entry) == Status.DETERMINED
    entry.batch.refresh_from_db()
    assert entry.batch.closed_at is not None


def test_an_accepted_objection_takes_the_case_out_under_the_reviewer(
    entry, objector, city_reviewer, client
):
    objection = _file(objector, entry)
    client.force_login(city_reviewer)
    notices = client.get(reverse("reviews:notices")).content.decode()
    assert "郑州异议人科技有限公司" in notices and "异议成立，撤出公示" in notices
    client.post(
        reverse("reviews:objection_accept", args=[objection.pk]), {"reason": "投资凭证不实"}
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED
    assert _status(entry) == Status.CITY_REVIEW
    entry.refresh_from_db()
    assert entry.removed_at is not None
    moved = entry.application.events.get(action=Action.OBJECT)
    assert moved.actor == city_reviewer and "投资凭证不实" in moved.comment
    again = client.post(reverse("reviews:objection_dismiss", args=[objection.pk]), {"reason": "x"})
    assert again.status_code == 302 and objection.status == Objection.Status.ACCEPTED


def test_only_a_city_reviewer_triages(entry, objector, district_reviewer, leader, client):
    objection = _file(objector, entry)
    for user in (district_reviewer, leader, objector):
        with pytest.raises(DomainError):
            services.objection_accept(objection_id=objection.pk, user=user, reason="成立")
        client.force_login(user)
        response = client.post(
            reverse("reviews:objection_accept", args=[objection.pk]), {"reason": "成立"}
        )
        assert response.status_code == 404
    assert _status(entry) == Status.IN_NOTICE


def test_triage_through_the_api(entry, objector, city_reviewer):
    objection = _file(objector, entry)
    api = APIClient()
    api.force_authenticate(city_reviewer)
    listed = api.get(reverse("api-review-objections") + "?status=pending").json()
    assert [o["id"] for o in listed["results"]] == [objection.pk]
    assert listed["results"][0]["objector_enterprise"] == "郑州异议人科技有限公司"
    url = reverse("api-review-objection-accept", args=[objection.pk])
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"reason": "核查属实"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert _status(entry) == Status.CITY_REVIEW


# --- limited per account ------------------------------------------------------------------


def test_objections_are_limited_per_account(
    settings, clause, objector, district_reviewer, city_reviewer
):
    settings.PORTAL_OBJECTIONS_PER_DAY = 2
    cases = []
    for _ in range(3):
        user = enterprise_with_user(district_code="jinshui").members.get().user
        cases.append(approved_case(user, clause, district_reviewer, city_reviewer))
    batch = services.notice_batch_create(user=city_reviewer, application_ids=[c.pk for c in cases])
    first, second, third = NoticeEntry.objects.filter(batch=batch).order_by("id")
    _file(objector, first)
    with pytest.raises(DomainError, match="正在核查中"):
        _file(objector, first)
    api = APIClient()
    api.force_authenticate(objector)
    ok = api.post(reverse("api-review-objection", args=[second.pk]), TEXT, format="json")
    assert ok.status_code == 201
    refused = api.post(reverse("api-review-objection", args=[third.pk]), TEXT, format="json")
    assert refused.status_code == 400 and "上限" in refused.json()["errors"]["detail"]
    assert Objection.objects.filter(user=objector).count() == 2
    # a day later the account may object again
    Objection.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert _file(objector, third).pk
