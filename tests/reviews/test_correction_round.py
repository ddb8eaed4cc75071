"""补正 round 2 (issue 18 item 5): the reviewer sees 本轮补正事项 with the file or value before
and after, the corrected items are marked, and they must be checked again before approval."""

import pytest
from django.urls import reverse

from applications import services as app_services
from applications.workflow import Status
from portal.core.errors import DomainError
from reviews import services
from tests.core.test_page_words import _read
from tests.factories.applications import pdf
from tests.factories.reviews import all_checks

pytestmark = pytest.mark.django_db

CONTRACT = "投资合同（协议）"


@pytest.fixture
def resubmitted(case, enterprise_user, district_reviewer):
    """Returned for the contract and the investment figure, corrected, resubmitted."""
    assert CONTRACT in case.clause.materials
    failed = {CONTRACT: "缺少盖章页", "contract_investment": "与合同金额不一致"}
    services.review_checks_record(
        application=case, user=district_reviewer, checks=all_checks(case, failed=failed)
    )
    services.review_return(application=case, user=district_reviewer)
    app_services.material_upload(
        application=case, user=enterprise_user, item=CONTRACT, file=pdf("盖章合同.pdf")
    )
    facts = {**case.facts, "contract_investment": "1500000000"}
    app_services.application_update_draft(application=case, user=enterprise_user, facts=facts)
    app_services.application_resubmit(application=case, user=enterprise_user)
    case.refresh_from_db()
    assert case.status == Status.DISTRICT_REVIEW
    return case


def test_the_reviewer_sees_what_was_corrected_before_and_after(
    client, resubmitted, district_reviewer
):
    client.force_login(district_reviewer)
    response = client.get(reverse("reviews:case", args=[resubmitted.pk]))
    text, _ = _read(response.content.decode())
    banner = text[text.index("本轮补正事项") :]
    assert "缺少盖章页" in banner and "与合同金额不一致" in banner
    assert "材料.pdf" in banner and "盖章合同.pdf" in banner  # old and new file side by side
    assert "1,200,000,000.00 元" in banner and "1,500,000,000.00 元" in banner
    assert "已修改：1,200,000,000.00 元 → 1,500,000,000.00 元" in banner  # the resolution note
    assert "contract_investment" not in text
    assert banner.count("待审核") == 2
    grid = response.context["grid"]
    marked = {row["target"] for row in grid if row["corrected"]}
    assert marked == {CONTRACT, "contract_investment"}
    corrected = {c.target: c for c in response.context["corrected"]}
    assert corrected[CONTRACT].old_file.original_name == "材料.pdf"
    assert corrected[CONTRACT].new_file.original_name == "盖章合同.pdf"
    html = response.content.decode()
    assert html.count('target="_blank" rel="noopener"') >= 3  # material links open a new tab


def test_corrected_items_must_be_checked_again_before_approval(resubmitted, district_reviewer):
    with pytest.raises(DomainError):
        services.review_approve(application=resubmitted, user=district_reviewer)
    others = [c for c in all_checks(resubmitted) if c["target"] != CONTRACT]
    services.review_checks_record(application=resubmitted, user=district_reviewer, checks=others)
    with pytest.raises(DomainError, match=CONTRACT):
        services.review_approve(application=resubmitted, user=district_reviewer)
    contract = [c for c in all_checks(resubmitted) if c["target"] == CONTRACT]
    services.review_checks_record(application=resubmitted, user=district_reviewer, checks=contract)
    services.review_approve(application=resubmitted, user=district_reviewer)
    resubmitted.refresh_from_db()
    assert resubmitted.status == Status.CITY_REVIEW


def test_a_first_round_has_no_banner(client, case, district_reviewer):
    client.force_login(district_reviewer)
    response = client.get(reverse("reviews:case", args=[case.pk]))
    assert "本轮补正事项" not in response.content.decode()
    assert response.context["corrected"] == []
