"""Pages and API: the enterprise's path end to end, and 404 for anything not yours."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.workflow import Status
from tests.factories.applications import EXE_BYTES, GOOD_FACTS, pdf


@pytest.fixture
def ent_client(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    return client


def test_enterprise_files_a_case_through_the_pages(ent_client, clause):
    response = ent_client.get(reverse("applications:new"))
    assert response.status_code == 200 and clause.title in response.content.decode()
    response = ent_client.post(
        reverse("applications:new"),
        {"clause": clause.pk, "period": "2023", "subject": "城东智能装备项目"},
    )
    application = Application.objects.get()
    assert response.url == reverse("applications:edit", args=[application.pk])

    facts = {k: ("on" if v is True else v) for k, v in GOOD_FACTS[clause.code].items()}
    ent_client.post(reverse("applications:edit", args=[application.pk]), facts)
    application.refresh_from_db()
    assert application.estimated_amount_fen == application.calculation.amount_fen

    page = ent_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "尚未上传材料" in page and "20 MB" in page
    upload = reverse("applications:material_upload", args=[application.pk])
    bad = ent_client.post(
        upload, {"item": clause.materials[0], "file": pdf("a.pdf", EXE_BYTES)}, follow=True
    )
    assert "可执行程序" in bad.content.decode()
    for item in clause.materials:
        ent_client.post(upload, {"item": item, "file": pdf()})
    ent_client.post(reverse("applications:submit", args=[application.pk]), {"commitment": "on"})
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW

    detail = ent_client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "审核中" in detail and "提交申报" in detail
    listing = ent_client.get(reverse("applications:list")).content.decode()
    assert application.number in listing

    ent_client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": "暂不申报"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_refusal_reasons_shown_on_the_edit_page(ent_client, enterprise, clause):
    enterprise.verification_status = "pending"
    enterprise.save()
    ent_client.post(
        reverse("applications:new"),
        {"clause": clause.pk, "period": "2023", "subject": "城东智能装备项目"},
    )
    application = Application.objects.get()
    page = ent_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "核验" in page and "尚未上传材料" in page


def test_other_enterprise_gets_404(client, submitted, other_enterprise_user):
    client.force_login(other_enterprise_user)
    material = submitted.materials.first()
    urls = [
        reverse("applications:detail", args=[submitted.pk]),
        reverse("applications:edit", args=[submitted.pk]),
        reverse("applications:material", args=[submitted.pk, material.pk]),
        f"/api/v1/applications/{submitted.pk}/",
        f"/api/v1/applications/{submitted.pk}/events/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/applications/999999/").status_code == 404
    assert client.get("/api/v1/applications/").json()["count"] == 0


def test_material_served_only_through_the_case(
    client, submitted, enterprise_user, district_reviewer, other_district_reviewer
):
    material = submitted.materials.first()
    url = reverse("applications:material", args=[submitted.pk, material.pk])
    client.force_login(enterprise_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(district_reviewer)
    assert client.get(url).status_code == 200
    client.force_login(other_district_reviewer)
    assert client.get(url).status_code == 404


def test_staff_list_is_scoped(
    client, submitted, district_reviewer, other_district_reviewer, city_reviewer
):
    for user, count in ((district_reviewer, 1), (other_district_reviewer, 0), (city_reviewer, 1)):
        client.force_login(user)
        assert client.get("/api/v1/applications/").json()["count"] == count


def test_notifications_page_marks_read(
    client, submitted, enterprise_user, district_reviewer, clause
):
    from applications import services

    services.application_return_for_correction(
        application=submitted,
        user=district_reviewer,
        items=[{"kind": "material", "target": clause.materials[0], "message": "请补盖公章"}],
    )
    client.force_login(enterprise_user)
    page = client.get(reverse("applications:notifications")).content.decode()
    assert "未读" in page and "请补盖公章" in page
    client.post(reverse("applications:notifications"))
    assert enterprise_user.notifications.filter(read_at__isnull=True).count() == 0


def test_a_message_opens_the_case_where_its_reader_works_on_it(
    client, submitted, enterprise_user, district_reviewer
):
    from applications.models import Notification

    for user in (enterprise_user, district_reviewer):
        Notification.objects.create(user=user, application=submitted, title="到期提醒")
    client.force_login(district_reviewer)
    page = client.get(reverse("applications:notifications")).content.decode()
    assert reverse("reviews:case", args=[submitted.pk]) in page
    assert reverse("applications:detail", args=[submitted.pk]) not in page
    client.force_login(enterprise_user)
    page = client.get(reverse("applications:notifications")).content.decode()
    assert reverse("applications:detail", args=[submitted.pk]) in page
    assert reverse("reviews:case", args=[submitted.pk]) not in page


def test_api_end_to_end(ent_client, clause):
    response = ent_client.post(
        "/api/v1/applications/",
        {"clause": clause.code, "period": "2023", "subject": "城东智能装备项目", "facts": {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = ent_client.patch(
        f"/api/v1/applications/{pk}/",
        {"facts": GOOD_FACTS[clause.code]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["estimated_amount"].endswith(".00")
    refused = ent_client.post(
        f"/api/v1/applications/{pk}/submit/",
        {"commitment_accepted": True},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "尚未上传材料" in refused.json()["errors"]["detail"]
    bad = ent_client.post(
        f"/api/v1/applications/{pk}/materials/",
        {"item": clause.materials[0], "file": pdf("x.pdf", EXE_BYTES)},
    )
    assert bad.status_code == 400 and "可执行程序" in bad.json()["errors"]["file"]
    for item in clause.materials:
        ok = ent_client.post(f"/api/v1/applications/{pk}/materials/", {"item": item, "file": pdf()})
        assert ok.status_code == 201
    response = ent_client.post(
        f"/api/v1/applications/{pk}/submit/",
        {"commitment_accepted": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == Status.DISTRICT_REVIEW
    duplicate = ent_client.post(
        "/api/v1/applications/",
        {"clause": clause.code, "period": "2023", "subject": "城东 智能装备项目"},
        content_type="application/json",
    )
    assert (
        duplicate.status_code == 400
        and response.json()["number"] in duplicate.json()["errors"]["detail"]
    )
    events = ent_client.get(f"/api/v1/applications/{pk}/events/").json()["results"]
    assert any(e["action"] == "submit" for e in events)
    no_reason = ent_client.post(
        f"/api/v1/applications/{pk}/withdraw/", {}, content_type="application/json"
    )
    assert no_reason.status_code == 400 and "comment" in no_reason.json()["errors"]
    response = ent_client.post(
        f"/api/v1/applications/{pk}/withdraw/",
        {"reason": "暂不申报"},
        content_type="application/json",
    )
    assert response.json()["status"] == Status.WITHDRAWN
    assert ent_client.get("/api/v1/notifications/").json()["count"] >= 2
    assert ent_client.get("/api/v1/applications/?status=withdrawn").json()["count"] == 1
