"""Review pages and API: scope (404 for another district), refusals in Chinese, query counts."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from applications.workflow import Status
from portal.accounts.models import Role
from reviews.forms import check_rows
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import enterprise_with_user
from tests.factories.reviews import all_checks

pytestmark = pytest.mark.django_db


def test_district_reviewer_gets_404_for_another_districts_case(
    case, client, other_district_reviewer
):
    client.force_login(other_district_reviewer)
    assert client.get(reverse("reviews:case", args=[case.pk])).status_code == 404
    assert client.post(reverse("reviews:approve", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/reviews/cases/{case.pk}/").status_code == 404
    assert client.post(f"/api/v1/reviews/cases/{case.pk}/approve/", {}).status_code == 404
    assert case.pk not in [a["id"] for a in client.get("/api/v1/reviews/queue/").json()["results"]]


def test_enterprise_user_cannot_open_review_pages(case, client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("reviews:queue")).status_code == 404
    assert client.get(reverse("reviews:case", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/reviews/cases/{case.pk}/").status_code == 404


def test_district_reviewer_works_a_case_through_the_page(case, client, district_reviewer, clause):
    client.force_login(district_reviewer)
    page = client.get(reverse("reviews:case", args=[case.pk]))
    assert page.status_code == 200
    assert page.context["approve_form"].initial["amount"] == page.context["ceiling"].amount
    client.post(reverse("reviews:claim", args=[case.pk]))
    response = client.post(reverse("reviews:approve", args=[case.pk]), {"amount": "300000"})
    assert "本轮尚未审核" in client.get(response["Location"]).content.decode()
    passed = {f"{r['prefix']}-passed": "1" for r in check_rows(case)}
    client.post(reverse("reviews:checks", args=[case.pk]), passed)
    response = client.post(reverse("reviews:approve", args=[case.pk]), {"amount": "999999"})
    assert "超过按核实数据测算的上限" in client.get(response["Location"]).content.decode()
    response = client.post(reverse("reviews:return", args=[case.pk]), {})
    assert "至少有一项审核不通过" in client.get(response["Location"]).content.decode()
    grid = {"m2-passed": "0", "m2-comment": "合同缺少盖章页", "m0-passed": "1"}
    client.post(reverse("reviews:checks", args=[case.pk]), grid)
    client.post(reverse("reviews:return", args=[case.pk]), {"comment": ""})
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert [c.target for c in case.corrections.all()] == [clause.materials[2]]


def test_city_approves_less_through_the_api(case, client, district_reviewer, city_reviewer):
    client.force_login(district_reviewer)
    url = f"/api/v1/reviews/cases/{case.pk}/"
    assert (
        client.post(url + "checks/", {"checks": all_checks(case)}, "application/json").status_code
        == 201
    )
    assert client.post(url + "approve/", {}, "application/json").json()["status"] == "city_review"
    client.force_login(city_reviewer)
    detail = client.get(url).json()
    assert detail["ceiling"] == "300000.00" and detail["can_act"]
    client.post(url + "checks/", {"checks": all_checks(case)}, "application/json")
    refused = client.post(url + "approve/", {"amount": "400000"}, "application/json")
    assert refused.status_code == 400 and "上限" in refused.json()["errors"]["amount"]
    ok = client.post(
        url + "approve/",
        {"amount": "200000", "reason_code": "budget"},
        "application/json",
    )
    assert ok.json()["status"] == "approved"
    case.refresh_from_db()
    assert case.approved_amount_fen == 20_000_000


def test_reject_api_needs_reason(case, client, district_reviewer):
    client.force_login(district_reviewer)
    response = client.post(f"/api/v1/reviews/cases/{case.pk}/reject/", {}, "application/json")
    assert response.status_code == 400


def _cases(n, clause):
    for _ in range(n):
        enterprise = enterprise_with_user(district_code="jinshui")
        ApplicationFactory(enterprise=enterprise, clause=clause, status=Status.DISTRICT_REVIEW)


@pytest.mark.parametrize("n", [1, 6])
def test_queue_page_query_count_is_constant(
    n, clause, client, district_reviewer, django_assert_num_queries
):
    _cases(n, clause)
    client.force_login(district_reviewer)
    client.get(reverse("reviews:queue"))  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("reviews:queue"))
    assert len(response.context["page"].object_list) == n


QUEUE_QUERIES = 3  # session, user, the rows (the header's district name is cached reference data)


def test_queue_filters_and_export(clause, client, district_reviewer, other_district_reviewer):
    _cases(2, clause)
    other = enterprise_with_user(district_code="erqi")
    ApplicationFactory(enterprise=other, clause=clause, status=Status.DISTRICT_REVIEW)
    client.force_login(district_reviewer)
    assert client.get(reverse("reviews:queue")).context["page"].paginator.count == 2
    response = client.get(reverse("reviews:queue") + "?amount_min=1")
    assert response.context["page"].paginator.count == 0  # factory cases have no estimate
    response = client.get(reverse("reviews:queue_export"))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert sheet["A1"].value == "案件编号" and sheet.max_row == 3
    api = client.get("/api/v1/reviews/queue/?district=erqi").json()
    assert api["count"] == 0


def test_leader_sees_queue_read_only_and_audit(case, client, leader, sys_admin):
    client.force_login(leader)
    page = client.get(reverse("reviews:case", args=[case.pk]))
    assert page.status_code == 200 and not page.context["permission"].allowed
    assert client.get(reverse("reviews:queue")).context["page"].paginator.count == 1
    client.force_login(sys_admin)
    audit = client.get(reverse("reviews:audit") + f"?case={case.number}")
    assert audit.status_code == 200 and audit.context["page"].paginator.count >= 2
    assert client.get(reverse("reviews:audit") + "?format=xlsx").status_code == 200


def test_city_queue_holds_cases_passed_by_districts(case, client, city_reviewer):
    client.force_login(city_reviewer)
    assert client.get(reverse("reviews:queue")).context["page"].paginator.count == 0


def test_deploy_check_has_no_spectacular_warnings_from_reviews():
    from io import StringIO

    out = StringIO()
    try:
        call_command("check", "--deploy", stdout=out, stderr=out)
    except Exception as exc:  # other apps' warnings are theirs; ours must not be there
        out.write(str(exc))
    assert "reviews/apis.py" not in out.getvalue()


def test_notices_page_builds_a_batch(client, city_reviewer):
    client.force_login(city_reviewer)
    assert client.get(reverse("reviews:notices")).status_code == 200
    user = UserFactory(role=Role.CITY_REVIEWER)
    assert user.pk
