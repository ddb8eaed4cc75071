"""Controls around the amount (issue 16, 6.2 and 6.3) and the one-level-per-person rule
(issue 17, 10), through the services, the API and the pages."""

import pytest
from django.urls import reverse

from applications import services as app_services
from applications.workflow import Status
from portal.accounts.models import Role
from portal.core.errors import DomainError, PermissionRefused
from reviews import services
from reviews.models import MaterialCheck
from tests.factories.accounts import UserFactory
from tests.factories.applications import pdf
from tests.factories.reviews import all_checks, approve, pass_all

pytestmark = pytest.mark.django_db

CONTRACT = "投资合同（协议）"


def _colleague(username="jinshui2"):
    return UserFactory(username=username, role=Role.DISTRICT_REVIEWER, district_code="jinshui")


def _raised(case, value="6000000000", evidence=""):
    checks = all_checks(case)
    for check in checks:
        if check["target"] == "contract_investment":
            check["verified_value"] = value
            check["evidence"] = evidence
    return checks


def _api_error(response) -> str:
    return str(response.json()["errors"])


# --- 6.3: approval needs every material and fact of the current round checked --------------


def test_api_approval_without_checks_is_refused_and_lists_what_is_unchecked(
    case, client, district_reviewer, clause
):
    client.force_login(district_reviewer)
    url = f"/api/v1/reviews/cases/{case.pk}/"
    response = client.post(url + "approve/", {}, "application/json")
    assert response.status_code == 400
    text = _api_error(response)
    assert "尚未审核" in text and CONTRACT in text and "合同投资额" in text
    case.refresh_from_db()
    assert case.status == Status.DISTRICT_REVIEW

    some = [c for c in all_checks(case) if c["target"] != CONTRACT]
    assert client.post(url + "checks/", {"checks": some}, "application/json").status_code == 201
    response = client.post(url + "approve/", {}, "application/json")
    assert response.status_code == 400
    text = _api_error(response)
    assert CONTRACT in text and "合同投资额" not in text  # only what is still unchecked
    client.post(url + "checks/", {"checks": all_checks(case)}, "application/json")
    assert client.post(url + "approve/", {}, "application/json").status_code == 200


def test_city_must_check_again_the_district_checks_do_not_count(
    case, client, district_reviewer, city_reviewer
):
    approve(case, district_reviewer)
    client.force_login(city_reviewer)
    response = client.post(f"/api/v1/reviews/cases/{case.pk}/approve/", {}, "application/json")
    assert response.status_code == 400 and "尚未审核" in _api_error(response)
    case.refresh_from_db()
    assert case.status == Status.CITY_REVIEW


def test_page_approval_without_checks_is_refused(case, client, district_reviewer):
    client.force_login(district_reviewer)
    response = client.post(reverse("reviews:approve", args=[case.pk]), {"amount": "300000"})
    page = client.get(response["Location"]).content.decode()
    assert "尚未审核" in page and CONTRACT in page
    case.refresh_from_db()
    assert case.status == Status.DISTRICT_REVIEW


def test_after_correction_the_corrected_items_are_checked_again(
    case, district_reviewer, enterprise_user, clause
):
    failed = {CONTRACT: "合同缺少盖章页"}
    services.review_checks_record(
        application=case, user=district_reviewer, checks=all_checks(case, failed=failed)
    )
    services.review_return(application=case, user=district_reviewer)
    case.refresh_from_db()
    app_services.material_upload(
        application=case, user=enterprise_user, item=CONTRACT, file=pdf("盖章.pdf")
    )
    app_services.application_resubmit(application=case, user=enterprise_user)
    case.refresh_from_db()
    with pytest.raises(DomainError, match=r"尚未审核.*投资合同"):
        services.review_approve(application=case, user=district_reviewer)
    pass_all(case, district_reviewer)
    services.review_approve(application=case, user=district_reviewer)
    case.refresh_from_db()
    assert case.status == Status.CITY_REVIEW


# --- 6.2: a verified value may lower a figure; raising it needs evidence and a second person -


def test_api_raising_a_fact_needs_the_evidence_named(case, client, district_reviewer):
    client.force_login(district_reviewer)
    url = f"/api/v1/reviews/cases/{case.pk}/"
    response = client.post(url + "checks/", {"checks": _raised(case)}, "application/json")
    assert response.status_code == 400 and "依据" in _api_error(response)
    assert not MaterialCheck.objects.filter(application=case).exists()
    assert client.get(url).json()["ceiling"] == "300000.00"


def test_api_raise_takes_effect_only_after_another_reviewer_confirms(
    case, client, district_reviewer, city_reviewer
):
    colleague = _colleague()
    url = f"/api/v1/reviews/cases/{case.pk}/"
    client.force_login(district_reviewer)
    response = client.post(
        url + "checks/", {"checks": _raised(case, evidence=CONTRACT)}, "application/json"
    )
    assert response.status_code == 201
    raised = next(r for r in response.json() if r["target"] == "contract_investment")
    assert raised["raises"] and raised["evidence"] == CONTRACT and raised["confirmed_by"] is None
    detail = client.get(url).json()
    assert detail["ceiling"] == "300000.00"  # not in force before the second person
    assert detail["raised_facts"][0]["state"] == "pending"
    refused = client.post(url + "approve/", {"amount": "2000000"}, "application/json")
    assert refused.status_code == 400
    refused = client.post(url + "approve/", {}, "application/json")
    assert refused.status_code == 400 and "复核" in _api_error(refused)
    confirm = f"{url}checks/{raised['id']}/confirm/"
    own = client.post(confirm, {}, "application/json")
    assert own.status_code in (400, 403) and "另一名" in _api_error(own)
    assert client.get(url).json()["ceiling"] == "300000.00"

    client.force_login(colleague)
    assert client.post(confirm, {}, "application/json").status_code == 200
    assert client.get(url).json()["ceiling"] == "2000000.00"
    assert client.post(url + "approve/", {}, "application/json").status_code == 200
    event = case.events.get(action="fact_raise_confirmed")
    assert event.actor == colleague

    client.force_login(city_reviewer)  # the next level sees the raise, flagged
    detail = client.get(url).json()
    fact = detail["raised_facts"][0]
    assert fact["state"] == "confirmed" and fact["level"] == "district"
    assert (fact["declared"], fact["verified"]) == ("1200000000", "6000000000")
    assert fact["reviewer"] and fact["confirmed_by"] and fact["evidence"] == CONTRACT
    page = client.get(reverse("reviews:case", args=[case.pk])).content.decode()
    assert 'class="raised"' in page and "上调" in page and CONTRACT in page


def test_lowering_a_fact_needs_no_second_person(case, district_reviewer):
    services.review_checks_record(
        application=case, user=district_reviewer, checks=_raised(case, value="600000000")
    )
    services.review_approve(application=case, user=district_reviewer)
    case.refresh_from_db()
    assert case.events.get(action="district_approve").data["ceiling"] == "100000.00"


def test_a_lower_figure_that_raises_the_award_is_a_raise_too(case, district_reviewer):
    facts = {**case.facts, "signed_and_started_q1_2023": False}
    case.facts = facts
    case.save(update_fields=["facts"])
    checks = all_checks(case)
    for check in checks:
        if check["target"] == "signed_and_started_q1_2023":
            check["verified_value"] = True  # not a number: raises the award from 0
    with pytest.raises(DomainError, match="依据"):
        services.review_checks_record(application=case, user=district_reviewer, checks=checks)


def test_page_raise_without_evidence_is_refused_and_with_it_waits(case, client, district_reviewer):
    from reviews.forms import check_rows

    rows = {r["target"]: r["prefix"] for r in check_rows(case)}
    grid = {f"{p}-passed": "1" for p in rows.values()}
    grid[f"{rows['contract_investment']}-value"] = "6000000000"
    client.force_login(district_reviewer)
    response = client.post(reverse("reviews:checks", args=[case.pk]), grid)
    assert "依据" in client.get(response["Location"]).content.decode()
    assert not MaterialCheck.objects.filter(application=case).exists()
    grid[f"{rows['contract_investment']}-evidence"] = CONTRACT
    client.post(reverse("reviews:checks", args=[case.pk]), grid)
    raised = MaterialCheck.objects.get(application=case, target="contract_investment")
    assert raised.raises and raised.evidence == CONTRACT
    client.force_login(_colleague())
    response = client.post(reverse("reviews:confirm_raise", args=[case.pk, raised.pk]))
    assert "已复核确认" in client.get(response["Location"]).content.decode()
    raised.refresh_from_db()
    assert raised.confirmed_by is not None


# --- issue 17, 10: one level per person also for claim, assign and checks --------------------


def _district_worker_becomes_city(case, district_reviewer):
    """``district_reviewer`` claims and checks at district level; a colleague approves; then
    ``district_reviewer`` is moved to the city bureau."""
    services.review_claim(application=case, user=district_reviewer)
    pass_all(case, district_reviewer)
    approve(case, _colleague())
    district_reviewer.role, district_reviewer.district = Role.CITY_REVIEWER, None
    district_reviewer.save()
    case.refresh_from_db()
    return district_reviewer


def test_a_district_actor_may_not_claim_check_or_assign_at_city_level(
    case, district_reviewer, city_reviewer
):
    moved = _district_worker_becomes_city(case, district_reviewer)
    with pytest.raises(PermissionRefused, match="同一人员"):
        services.review_claim(application=case, user=moved)
    with pytest.raises(PermissionRefused, match="同一人员"):
        pass_all(case, moved)
    with pytest.raises(PermissionRefused, match="同一人员"):
        services.review_assign(application=case, user=moved, assignee=city_reviewer)
    with pytest.raises(DomainError, match="另一级"):
        services.review_assign(application=case, user=city_reviewer, assignee=moved)
    assert moved not in list(__import__("reviews").selectors.reviewers_for(case))


def test_api_and_page_refuse_the_other_level(case, client, district_reviewer):
    moved = _district_worker_becomes_city(case, district_reviewer)
    client.force_login(moved)
    url = f"/api/v1/reviews/cases/{case.pk}/"
    detail = client.get(url).json()
    assert not detail["can_act"] and "同一人员" in detail["refusal"]
    response = client.post(url + "claim/", {}, "application/json")
    assert response.status_code == 403
    response = client.post(url + "checks/", {"checks": all_checks(case)}, "application/json")
    assert response.status_code == 403
    page = client.get(reverse("reviews:case", args=[case.pk]))
    assert "同一人员" in page.content.decode()
    client.post(reverse("reviews:claim", args=[case.pk]))
    assert not case.events.filter(action="claimed", actor=moved, level="city").exists()


def test_a_city_raise_needs_a_second_city_reviewer_too(case, district_reviewer, city_reviewer):
    approve(case, district_reviewer)
    checks = _raised(case, evidence=CONTRACT)
    services.review_checks_record(application=case, user=city_reviewer, checks=checks)
    with pytest.raises(DomainError, match="复核"):
        services.review_approve(application=case, user=city_reviewer, amount="2000000")
    raised = MaterialCheck.objects.get(application=case, raises=True)
    with pytest.raises(PermissionRefused, match="另一名"):
        services.review_fact_raise_confirm(application=case, user=city_reviewer, check_id=raised.pk)
    with pytest.raises(PermissionRefused):  # not a reviewer of this step
        services.review_fact_raise_confirm(
            application=case, user=district_reviewer, check_id=raised.pk
        )
    second = UserFactory(username="city_two", role=Role.CITY_REVIEWER)
    services.review_fact_raise_confirm(application=case, user=second, check_id=raised.pk)
    services.review_approve(application=case, user=city_reviewer, amount="2000000")
    case.refresh_from_db()
    assert case.approved_amount_fen == 200_000_000
    event = case.events.get(action="city_approve")
    assert event.data["raised_facts"][0]["confirmed_by"] == str(second)
