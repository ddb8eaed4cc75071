"""Closing a public notice from its page once its period has ended (the same work as the
nightly ``close_notices``), audited; refused before the end. The public notice's issuer."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.workflow import Status
from portal.core.errors import DomainError, PermissionRefused
from portal.core.models import AuditRecord, OutboxTask
from reviews import services
from reviews.models import NoticeBatch
from tests.factories.reviews import approved_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(clause, enterprise, enterprise_user, district_reviewer, city_reviewer):
    case = approved_case(enterprise_user, clause, district_reviewer, city_reviewer)
    batch = services.notice_batch_create(
        user=city_reviewer, application_ids=[case.pk], window_days=5
    )
    return batch, case


def test_before_its_end_a_notice_is_not_closed_and_the_page_says_when_it_can_be(
    notice, city_reviewer, client
):
    batch, case = notice
    with pytest.raises(DomainError, match="期满后"):
        services.notice_batch_close(batch_id=batch.pk, user=city_reviewer, today=batch.closes_on)
    client.force_login(city_reviewer)
    page = client.get(reverse("reviews:notices")).content.decode()
    assert "公示期满后" in page and reverse("reviews:notice_close", args=[batch.pk]) not in page
    response = client.post(reverse("reviews:notice_close", args=[batch.pk]), follow=True)
    assert "方可办结" in response.content.decode()
    case.refresh_from_db()
    batch.refresh_from_db()
    assert case.status == Status.IN_NOTICE and batch.closed_at is None
    assert not AuditRecord.objects.filter(kind="reviews.notice_closed").exists()


def test_after_its_end_the_city_reviewer_closes_it_from_the_page(notice, city_reviewer, client):
    batch, case = notice
    NoticeBatch.objects.filter(pk=batch.pk).update(
        opens_on=batch.opens_on - dt.timedelta(days=30),
        closes_on=batch.opens_on - dt.timedelta(days=1),
    )
    client.force_login(city_reviewer)
    ended = client.get(reverse("reviews:notices") + "?state=ended")
    assert ended.context["batches"].paginator.count == 1
    assert reverse("reviews:notice_close", args=[batch.pk]) in ended.content.decode()

    response = client.post(reverse("reviews:notice_close", args=[batch.pk]), follow=True)
    assert "已办结公示，确定支持 1 件" in response.content.decode()
    case.refresh_from_db()
    batch.refresh_from_db()
    assert case.status == Status.DETERMINED and batch.closed_at is not None
    record = AuditRecord.objects.get(kind="reviews.notice_closed")
    assert record.actor == city_reviewer.username
    assert record.object_id == batch.pk and record.data["determined"] == [case.pk]
    assert OutboxTask.objects.filter(task="finance.tasks.payables_create").count() == 1

    again = client.post(reverse("reviews:notice_close", args=[batch.pk]), follow=True)
    assert "已于" in again.content.decode() and "办结" in again.content.decode()
    assert OutboxTask.objects.filter(task="finance.tasks.payables_create").count() == 1
    assert (
        client.get(reverse("reviews:notices") + "?state=ended").context["batches"].paginator.count
        == 0
    )


def test_only_city_reviewers_close_a_notice(notice, leader, district_reviewer, client):
    batch, _case = notice
    for user in (leader, district_reviewer):
        with pytest.raises(PermissionRefused):
            services.notice_batch_close(
                batch_id=batch.pk, user=user, today=batch.closes_on + dt.timedelta(days=1)
            )
    client.force_login(leader)
    assert client.post(reverse("reviews:notice_close", args=[batch.pk])).status_code == 404
    assert "办结公示</button>" not in client.get(reverse("reviews:notices")).content.decode()


def test_the_public_notice_names_its_issuer_and_supervision_phone(notice, client, settings):
    body = client.get(reverse("reviews:notice_public")).content.decode()
    assert "发布单位：郑州市工业和信息化局" in body and "监督电话：0371-12345" in body
    settings.PORTAL_NOTICE_PUBLISHER = "郑州市金水区工业和信息化局"
    settings.PORTAL_NOTICE_PHONE = "0371-65500000"
    body = client.get(reverse("reviews:notice_public")).content.decode()
    assert "发布单位：郑州市金水区工业和信息化局" in body and "监督电话：0371-65500000" in body
