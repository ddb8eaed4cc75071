"""核验: only the enterprise's own district reviewer; every transition leaves an event."""

import pytest
from django.urls import reverse

from enterprises import selectors, services
from enterprises.models import Enterprise, EnterpriseEvent
from portal.core.errors import DomainError, PermissionRefused
from tests.factories.enterprises import EnterpriseFactory, enterprise_with_user

pytestmark = pytest.mark.django_db
S = Enterprise.Status


def test_district_reviewer_verifies_and_the_event_records_actor_from_and_to(
    pending_enterprise, district_reviewer
):
    enterprise = services.enterprise_verify(enterprise=pending_enterprise, actor=district_reviewer)
    assert enterprise.verification_status == S.VERIFIED and enterprise.verified_at
    event = enterprise.events.get(type=EnterpriseEvent.Type.VERIFIED)
    assert event.actor == district_reviewer
    assert (event.from_status, event.to_status) == (S.PENDING, S.VERIFIED)


def test_reviewer_of_another_district_is_refused_and_nothing_changes(
    pending_enterprise, other_district_reviewer
):
    with pytest.raises(PermissionRefused) as exc:
        services.enterprise_verify(enterprise=pending_enterprise, actor=other_district_reviewer)
    assert "金水区" in exc.value.message
    pending_enterprise.refresh_from_db()
    assert pending_enterprise.verification_status == S.PENDING
    assert not pending_enterprise.events.filter(type=EnterpriseEvent.Type.VERIFIED).exists()


@pytest.mark.parametrize("role", ["city_reviewer", "leader", "policy_admin", "sys_admin"])
def test_other_roles_cannot_verify(request, pending_enterprise, role):
    with pytest.raises(PermissionRefused):
        services.enterprise_verify(
            enterprise=pending_enterprise, actor=request.getfixturevalue(role)
        )


def test_enterprise_cannot_verify_itself(pending_enterprise):
    user = pending_enterprise.members.get().user
    with pytest.raises(PermissionRefused):
        services.enterprise_verify(enterprise=pending_enterprise, actor=user)


def test_verifying_twice_is_a_clear_400(pending_enterprise, district_reviewer):
    services.enterprise_verify(enterprise=pending_enterprise, actor=district_reviewer)
    with pytest.raises(DomainError) as exc:
        services.enterprise_verify(enterprise=pending_enterprise, actor=district_reviewer)
    assert exc.value.status_code == 400 and "已核验" in exc.value.message


def test_reject_needs_a_reason_then_resubmit_returns_to_pending(
    pending_enterprise, district_reviewer
):
    with pytest.raises(DomainError) as exc:
        services.enterprise_reject_verification(
            enterprise=pending_enterprise, actor=district_reviewer, reason="  "
        )
    assert "原因" in exc.value.errors["reason"]
    rejected = services.enterprise_reject_verification(
        enterprise=pending_enterprise, actor=district_reviewer, reason="法定代表人与执照不符"
    )
    assert rejected.verification_status == S.REJECTED
    assert rejected.verification_reason == "法定代表人与执照不符"
    event = rejected.events.get(type=EnterpriseEvent.Type.REJECTED)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        district_reviewer,
        S.PENDING,
        S.REJECTED,
        "法定代表人与执照不符",
    )
    owner = pending_enterprise.members.get().user
    again = services.enterprise_resubmit_verification(enterprise=rejected, actor=owner)
    assert again.verification_status == S.PENDING
    assert again.events.filter(type=EnterpriseEvent.Type.RESUBMITTED, actor=owner).exists()


def test_queue_lists_only_the_reviewers_district_pending_enterprises(
    district_reviewer, other_district_reviewer, city_reviewer
):
    mine = EnterpriseFactory(pending=True, district_code="jinshui")
    EnterpriseFactory(district_code="jinshui")  # verified
    theirs = EnterpriseFactory(pending=True, district_code="erqi")
    assert list(selectors.verification_queue(district_reviewer)) == [mine]
    assert list(selectors.verification_queue(other_district_reviewer)) == [theirs]
    assert not selectors.verification_queue(city_reviewer).exists()


def test_queue_page_and_verify_button(client, district_reviewer, pending_enterprise):
    client.force_login(district_reviewer)
    body = client.get(reverse("enterprises:verification_queue")).content.decode()
    assert pending_enterprise.name in body and pending_enterprise.credit_code in body
    response = client.post(
        reverse("enterprises:verify", args=[pending_enterprise.pk]), {"back": "queue"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("enterprises:verification_queue")
    assert "已核验通过" in response.content.decode()
    pending_enterprise.refresh_from_db()
    assert pending_enterprise.verification_status == S.VERIFIED


def test_reject_page_without_reason_shows_the_error_and_changes_nothing(
    client, district_reviewer, pending_enterprise
):
    client.force_login(district_reviewer)
    response = client.post(
        reverse("enterprises:reject", args=[pending_enterprise.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "请填写核验未通过的原因" in response.content.decode()
    pending_enterprise.refresh_from_db()
    assert pending_enterprise.verification_status == S.PENDING


def test_other_district_reviewer_gets_404_on_page_and_api(
    client, other_district_reviewer, pending_enterprise
):
    client.force_login(other_district_reviewer)
    assert (
        client.get(reverse("enterprises:detail", args=[pending_enterprise.pk])).status_code == 404
    )
    assert (
        client.post(reverse("enterprises:verify", args=[pending_enterprise.pk])).status_code == 404
    )
    response = client.post(f"/api/v1/enterprises/{pending_enterprise.pk}/verify/")
    assert response.status_code == 404 and set(response.json()) == {"errors"}
    pending_enterprise.refresh_from_db()
    assert pending_enterprise.verification_status == S.PENDING


def test_city_reviewer_sees_but_cannot_verify(client, city_reviewer, pending_enterprise):
    client.force_login(city_reviewer)
    page = client.get(reverse("enterprises:detail", args=[pending_enterprise.pk]))
    verify_url = reverse("enterprises:verify", args=[pending_enterprise.pk])
    assert page.status_code == 200 and verify_url not in page.content.decode()
    response = client.post(f"/api/v1/enterprises/{pending_enterprise.pk}/verify/")
    assert response.status_code == 403
    assert "区县" in response.json()["errors"]["detail"]


def test_api_verify_and_reject(client, district_reviewer):
    first = EnterpriseFactory(pending=True)
    second = EnterpriseFactory(pending=True)
    client.force_login(district_reviewer)
    response = client.post(f"/api/v1/enterprises/{first.pk}/verify/")
    assert response.status_code == 200 and response.json()["verification_status"] == "verified"
    response = client.post(
        f"/api/v1/enterprises/{second.pk}/reject/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = client.post(
        f"/api/v1/enterprises/{second.pk}/reject/",
        {"reason": "账户名称不符"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["verification_reason"] == "账户名称不符"


def test_queue_page_is_refused_to_other_roles_with_a_reason(client, enterprise_user, city_reviewer):
    for user in (enterprise_user, city_reviewer):
        client.force_login(user)
        response = client.get(reverse("enterprises:verification_queue"))
        assert response.status_code == 403 and "区县" in response.content.decode()


def test_enterprise_sees_rejection_reason_and_can_resubmit(
    client, district_reviewer, enterprise_user
):
    enterprise = enterprise_with_user(enterprise_user, pending=True)
    services.enterprise_reject_verification(
        enterprise=enterprise, actor=district_reviewer, reason="营业执照名称不一致"
    )
    client.force_login(enterprise_user)
    body = client.get(reverse("enterprises:profile")).content.decode()
    assert "核验未通过" in body and "营业执照名称不一致" in body and "重新提交核验" in body
    client.post(reverse("enterprises:resubmit"))
    enterprise.refresh_from_db()
    assert enterprise.verification_status == S.PENDING


def test_the_verification_table_names_each_moves_roles_and_event():
    from enterprises import workflow
    from enterprises.models import Enterprise, EnterpriseEvent
    from portal.accounts.models import Role

    S, T = Enterprise.Status, EnterpriseEvent.Type
    assert {(m.source, m.target): (set(m.roles), m.event) for m in workflow.VERIFICATION_MOVES} == {
        (S.PENDING, S.VERIFIED): ({Role.DISTRICT_REVIEWER}, T.VERIFIED),
        (S.PENDING, S.REJECTED): ({Role.DISTRICT_REVIEWER}, T.REJECTED),
        (S.REJECTED, S.PENDING): ({Role.ENTERPRISE}, T.RESUBMITTED),
    }
