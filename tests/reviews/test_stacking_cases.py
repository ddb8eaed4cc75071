"""Issue 16 item 3 at the case level: the city's ceiling stacks only awards for the same
subject (or year), and the reviewer reads which case displaced which on the page and in the API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from applications.workflow import Level, Status
from policies.models import Clause
from portal.core.errors import DomainError
from reviews.services.cases import approval_ceiling, review_approve
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import enterprise_with_user

P9 = {
    "completed": True,
    "sei_project": True,
    "total_investment": "30000000",
    "equipment_investment": "20000000",
}
P10 = {"completed": True, "smart_equipment_software_investment": "20000000"}


@pytest.fixture
def enterprise(library, enterprise_user):
    return enterprise_with_user(enterprise_user, district_code="jinshui")


def _case(enterprise, code, period, subject, facts, status, approved_fen=None):
    return ApplicationFactory(
        enterprise=enterprise,
        clause=Clause.objects.get(code=code),
        period=period,
        subject=subject,
        facts=facts,
        status=status,
        approved_amount_fen=approved_fen,
    )


def test_award_for_project_b_is_not_zeroed_by_project_a(enterprise):
    _case(
        enterprise, "zz-2023-23/10", "2024", "智能化改造项目A", P10, Status.DETERMINED, 400_000_000
    )
    candidate = _case(enterprise, "zz-2023-23/9", "2025", "技术改造项目B", P9, Status.CITY_REVIEW)
    ceiling = approval_ceiling(candidate, level=Level.CITY)
    assert ceiling.amount == D("3000000.00") and ceiling.stacking.lines == []


def test_first_version_software_not_zeroed_by_first_set_equipment(enterprise):
    _case(
        enterprise,
        "zzb-2022-51/5",
        "2024",
        "XX型盾构机",
        {"first_set_recognised": True, "national_first_set_award": "1000000"},
        Status.DETERMINED,
        100_000_000,
    )
    candidate = _case(
        enterprise,
        "zzb-2022-57/6",
        "2024",
        "XX工业设计软件V1.0",
        {"first_version_products": 2},
        Status.CITY_REVIEW,
    )
    assert approval_ceiling(candidate, level=Level.CITY).amount == D("200000.00")


def test_exhibition_subsidy_2024_not_zeroed_by_2022(enterprise):
    _case(
        enterprise,
        "zzb-2022-53/14",
        "2022",
        "",
        {"nev_enterprise": True, "exhibition_costs": "500000"},
        Status.DETERMINED,
        35_000_000,
    )
    candidate = _case(
        enterprise, "zz-2023-23/20", "2024", "", {"exhibition_costs": "500000"}, Status.CITY_REVIEW
    )
    assert approval_ceiling(candidate, level=Level.CITY).amount == D("350000.00")


def test_reviewer_reads_which_case_displaced_which(enterprise, client, city_reviewer):
    other = _case(enterprise, "zz-2023-23/10", "2024", "项目A", P10, Status.DETERMINED, 400_000_000)
    candidate = _case(enterprise, "zz-2023-23/9", "2025", "项目 A", P9, Status.CITY_REVIEW)
    client.force_login(city_reviewer)
    line = f"与案件 {other.number} 同一项目“项目 A”，从高不重复"
    page = client.get(reverse("reviews:case", args=[candidate.pk])).content.decode()
    assert line in page and "申报项目：" in page
    body = client.get(f"/api/v1/reviews/cases/{candidate.pk}/").json()
    assert body["ceiling"] == "0.00" and body["subject"] == "项目 A"
    assert any(line in s for s in body["stacking"]), body["stacking"]


def test_flagged_duplicate_cannot_be_approved(enterprise, city_reviewer):
    holder = _case(enterprise, "zzw-2022-155/12", "2023", "", {}, Status.DETERMINED, 5_000_000)
    twin = ApplicationFactory(
        enterprise=enterprise,
        clause=holder.clause,
        period="2023",
        status=Status.CITY_REVIEW,
        duplicate_of=holder,
        facts={"cloud_star_rated": True, "voucher_amount": "50000"},
    )
    with pytest.raises(DomainError, match=holder.number):
        review_approve(application=twin, user=city_reviewer)


def test_reviewer_verifies_the_subject_and_releases_a_flagged_case(
    enterprise, client, city_reviewer
):
    clause = Clause.objects.get(code="zzw-2022-155/5")
    holder = _case(enterprise, clause.code, "2023Q1", "项目甲", {}, Status.DETERMINED, 30_000_000)
    twin = ApplicationFactory(
        enterprise=enterprise,
        clause=clause,
        period="2023",
        subject="项目甲",
        status=Status.CITY_REVIEW,
        duplicate_of=holder,
    )
    client.force_login(city_reviewer)
    page = client.get(reverse("reviews:case", args=[twin.pk])).content.decode()
    assert f"与在先案件 {holder.number} 为同一奖励" in page and "核实申报项目" in page
    url = f"/api/v1/reviews/cases/{twin.pk}/subject/"
    refused = client.post(url, {"subject": "项目 甲"}, "application/json")
    assert refused.status_code == 400 and holder.number in refused.json()["errors"]["subject"]
    ok = client.post(url, {"subject": "项目乙", "comment": "按备案文件更正"}, "application/json")
    assert ok.status_code == 200, ok.json()
    twin.refresh_from_db()
    assert (twin.subject, twin.duplicate_of_id, twin.period) == ("项目乙", None, "2023Q1")
    event = twin.events.get(action="subject_verified")
    assert (event.actor, event.data["before"], event.data["after"]) == (
        city_reviewer,
        "项目甲",
        "项目乙",
    )
