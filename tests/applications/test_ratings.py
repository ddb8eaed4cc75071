"""好差评: once, after 办结 or 不予支持; a 差评 opens a follow-up for the responsible office with
a working-day deadline, in its list and its messages; leaders see ratings by office."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent, Notification, ServiceRating
from applications.ratings import (
    application_rate,
    rating_follow_up_record,
    ratings_by_office,
)
from applications.workflow import Level, Status
from portal.accounts.models import Role
from portal.core.audit import audit_catch_up
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.models import AuditRecord
from portal.core.workdays import add_workdays
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory, EnterpriseMemberFactory

pytestmark = pytest.mark.usefixtures("library")


def _ended(enterprise_user, status=Status.PAID, *, rejected_by="", **fields):
    """An ended case of ``enterprise_user``'s enterprise (``rejected_by``: the level that said
    不予支持, on its timeline)."""
    app = ApplicationFactory(status=status, submitted_at=timezone.now(), **fields)
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    if rejected_by:
        ApplicationEvent.objects.create(
            application=app,
            action="reject",
            level=rejected_by,
            from_status=Status.CITY_REVIEW,
            to_status=Status.REJECTED,
        )
    return app


def test_a_good_rating_is_kept_once_with_an_event(enterprise_user):
    app = _ended(enterprise_user)
    rating = application_rate(application=app, user=enterprise_user, level="5", comment="办理很快")
    assert (rating.level, rating.comment, rating.outcome) == (5, "办理很快", Status.PAID)
    assert rating.office_name == "金水区工信局" and rating.follow_up_due is None
    event = ApplicationEvent.objects.get(application=app, action="rated")
    assert event.action_label == "服务评价：非常满意" and event.visible_to_enterprise
    with pytest.raises(DomainError, match="只能评价一次"):
        application_rate(application=app, user=enterprise_user, level="4")
    assert ServiceRating.objects.count() == 1


@pytest.mark.parametrize(
    ("level", "comment", "message"),
    [
        ("", "", "请选择评价等级"),
        ("6", "", "请选择评价等级"),
        ("满意", "", "请选择评价等级"),
        ("2", "  ", "请填写不满意的原因"),
        ("4", "很" * 501, "不能超过500字"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    enterprise_user, level, comment, message
):
    app = _ended(enterprise_user)
    with pytest.raises(DomainError, match=message):
        application_rate(application=app, user=enterprise_user, level=level, comment=comment)
    assert not ServiceRating.objects.exists()
    assert not ApplicationEvent.objects.filter(action="rated").exists()


def test_only_an_ended_case_and_only_its_enterprise(enterprise_user, district_reviewer):
    app = _ended(enterprise_user, status=Status.DETERMINED)
    with pytest.raises(DomainError, match="办结"):
        application_rate(application=app, user=enterprise_user, level=5)
    app.status = Status.PAID
    app.save()
    with pytest.raises(PermissionRefused):
        application_rate(application=app, user=district_reviewer, level=5)


def test_a_bad_rating_opens_a_follow_up_for_the_office_that_rejected(
    enterprise_user, district_reviewer, city_reviewer, client
):
    app = _ended(enterprise_user, status=Status.REJECTED, rejected_by=Level.CITY)
    rating = application_rate(
        application=app, user=enterprise_user, level=1, comment="驳回理由没有说清楚"
    )
    assert rating.office_name == "市工信局"
    assert rating.follow_up_due == add_workdays(timezone.localdate(), 15)
    assert Notification.objects.filter(user=city_reviewer, title__contains="差评").exists()
    assert not Notification.objects.filter(user=district_reviewer, title__contains="差评").exists()
    client.force_login(district_reviewer)
    assert "驳回理由没有说清楚" not in client.get("/reviews/ratings/").content.decode()
    with pytest.raises(NotFound):  # not in the district's list
        rating_follow_up_record(rating_id=rating.pk, user=district_reviewer, note="已回访")
    client.force_login(city_reviewer)
    page = client.get("/reviews/ratings/").content.decode()
    assert "驳回理由没有说清楚" in page and "登记回访整改" in page
    response = client.post(f"/reviews/ratings/{rating.pk}/follow-up/", {"note": ""})
    rating.refresh_from_db()
    assert rating.followed_up_at is None
    client.post(
        f"/reviews/ratings/{rating.pk}/follow-up/", {"note": "已电话回访，补充说明驳回依据"}
    )
    rating.refresh_from_db()
    assert rating.followed_up_by == city_reviewer and "补充说明" in rating.follow_up_note
    assert ApplicationEvent.objects.filter(application=app, action="rating_follow_up").exists()
    assert response.status_code == 302


def test_the_enterprise_rates_on_the_case_page_and_bad_input_keeps_what_it_typed(
    client, enterprise_user
):
    app = _ended(enterprise_user)
    client.force_login(enterprise_user)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "服务评价（好差评）" in page and "非常不满意" in page and 'aria-current="step"' in page
    response = client.post(f"/applications/{app.pk}/rating/", {"level": "2", "comment": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "请填写不满意的原因" in body
    assert not ServiceRating.objects.exists()
    response = client.post(f"/applications/{app.pk}/rating/", {"level": "4", "comment": "不错"})
    assert response.status_code == 302
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "评价：<strong>满意</strong>" in page
    audit_catch_up(ApplicationEvent)
    rated = ApplicationEvent.objects.get(application=app, action="rated")
    record = AuditRecord.objects.get(kind="applications.applicationevent", object_id=rated.pk)
    assert record.actor == enterprise_user.username


def test_the_api_rates_and_refuses_another_enterprise(client, enterprise_user):
    app = _ended(enterprise_user)
    client.force_login(enterprise_user)
    url = f"/api/v1/applications/{app.pk}/rating/"
    bad = client.post(url, {"level": 1}, content_type="application/json")
    assert bad.status_code == 400 and "不满意的原因" in bad.json()["errors"]["comment"]
    ok = client.post(url, {"level": 3, "comment": "一般"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["level_label"] == "基本满意"
    from portal.accounts.models import Role
    from tests.factories.accounts import UserFactory

    stranger = UserFactory(username="stranger", role=Role.ENTERPRISE)
    EnterpriseMemberFactory(user=stranger)
    client.force_login(stranger)
    assert client.post(url, {"level": 5}, content_type="application/json").status_code == 404
    assert client.get(url).status_code == 404


def test_leaders_see_ratings_by_office(client, enterprise_user, leader):
    app = _ended(enterprise_user)
    application_rate(application=app, user=enterprise_user, level=2, comment="等待太久")
    rows = ratings_by_office(leader)
    assert [(r.office, r.counts, r.open_follow_ups) for r in rows] == [("金水区工信局", {2: 1}, 1)]
    client.force_login(leader)
    page = client.get("/dashboards/ratings/").content.decode()
    assert "金水区工信局" in page and "差评待整改" in page
    assert rows[0].by_level == [0, 0, 0, 1, 0] and rows[0].satisfied_share == 0


def _bad_rating(district: str, *, rejected_by: str = ""):
    """A 差评 of an ended case of an enterprise of ``district``, through the service."""
    user = UserFactory(role=Role.ENTERPRISE)
    app = _ended(
        user,
        Status.REJECTED if rejected_by else Status.PAID,
        rejected_by=rejected_by,
        enterprise=EnterpriseFactory(district_code=district),
    )
    return application_rate(application=app, user=user, level=1, comment="办理太慢")


def _badge(client, user) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    [count] = [c for entry, _url, c in response.context["role_nav"] if entry.label == "差评回访"]
    return count, response.content.decode()


def test_the_menu_counts_the_offices_bad_ratings_awaiting_follow_up(
    client,
    district_reviewer,
    other_district_reviewer,
    city_reviewer,
    django_capture_on_commit_callbacks,
):
    first = _bad_rating("jinshui")
    _bad_rating("jinshui")
    _bad_rating("erqi")
    _bad_rating("jinshui", rejected_by=Level.CITY)  # the city's to answer
    count, body = _badge(client, district_reviewer)
    assert count == 2
    assert 'title="2 件待回访">2<span class="visually-hidden"> 件待回访</span>' in body
    assert _badge(client, other_district_reviewer)[0] == 1
    assert _badge(client, city_reviewer)[0] == 1

    # counted once per office, not on every page (the queue's budget has no room for it)
    client.force_login(district_reviewer)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("reviews:queue"))
    assert not [q for q in ctx.captured_queries if ServiceRating._meta.db_table in q["sql"]]

    # a follow-up and a new 差评 show at once
    with django_capture_on_commit_callbacks(execute=True):
        rating_follow_up_record(rating_id=first.pk, user=district_reviewer, note="已回访整改")
    assert _badge(client, district_reviewer)[0] == 1
    with django_capture_on_commit_callbacks(execute=True):
        _bad_rating("jinshui")
    assert _badge(client, district_reviewer)[0] == 2
    assert _badge(client, other_district_reviewer)[0] == 1


def test_no_badge_when_nothing_awaits_follow_up(client, district_reviewer):
    count, body = _badge(client, district_reviewer)
    assert count == 0 and "件待回访" not in body
