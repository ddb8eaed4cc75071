"""Issue 16 item 6.1: one case per award. The period is derived from what the clause pays for,
never kept as typed, so changing it cannot claim the same award twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from tests.factories.applications import CITY_CLAUSE, open_window


@pytest.fixture
def ent_client(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    return client


def _post(client, **data):
    return client.post("/api/v1/applications/", data, content_type="application/json")


@pytest.mark.parametrize("again", ["2023", "2023H1", "2023Q3", "20２３"])
def test_one_off_award_cannot_be_claimed_again_under_another_period(ent_client, clause, again):
    first = _post(ent_client, clause=clause.code, period="2023Q1", subject="城东智能装备项目")
    assert first.status_code == 201, first.json()
    assert first.json()["period"] == "2023Q1"
    second = _post(ent_client, clause=clause.code, period=again, subject="城东 智能装备项目")
    assert second.status_code == 400, second.json()
    detail = second.json()["errors"]["detail"]
    assert "不能重复申报" in detail and first.json()["number"] in detail
    assert Application.objects.count() == 1


def test_another_project_is_another_award(ent_client, clause):
    assert _post(ent_client, clause=clause.code, subject="项目一").status_code == 201
    second = _post(ent_client, clause=clause.code, period="2023Q3", subject="项目二")
    assert second.status_code == 201 and second.json()["period"] == "2023Q1"


def test_subject_required_for_a_per_project_clause(ent_client, clause):
    response = _post(ent_client, clause=clause.code, period="2023")
    assert response.status_code == 400 and "项目" in response.json()["errors"]["subject"]
    assert not Application.objects.exists()


@pytest.mark.parametrize("again", ["2023H1", "2023Q3", "20２３"])
def test_yearly_award_period_is_the_year(ent_client, library, again):
    clause = open_window(CITY_CLAUSE)
    first = _post(ent_client, clause=clause.code, period=again)
    assert first.status_code == 201 and first.json()["period"] == "2023"
    second = _post(ent_client, clause=clause.code, period="2023")
    assert second.status_code == 400 and "不能重复申报" in second.json()["errors"]["detail"]
    assert _post(ent_client, clause=clause.code, period="2024").status_code == 201


def test_bad_period_refused_in_chinese(ent_client, library):
    clause = open_window(CITY_CLAUSE)
    response = _post(ent_client, clause=clause.code, period="2023Q5")
    assert response.status_code == 400 and "申报期" in response.json()["errors"]["period"]


def test_new_case_page_takes_the_subject_and_refuses_a_second_case(ent_client, clause):
    url = reverse("applications:new")
    page = ent_client.get(url).content.decode()
    assert "申报对象" in page and "每个项目只奖励一次" in page
    ent_client.post(url, {"clause": clause.pk, "period": "2023Q1", "subject": "项目甲"})
    case = Application.objects.get()
    assert (case.period, case.subject) == ("2023Q1", "项目甲")
    response = ent_client.post(url, {"clause": clause.pk, "period": "2023H1", "subject": "项目甲"})
    assert response.status_code == 200 and "不能重复申报" in response.content.decode()
    missing = ent_client.post(url, {"clause": clause.pk, "period": "2023"})
    assert "请填写申报的项目" in missing.content.decode()
    assert Application.objects.count() == 1
    detail = ent_client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "申报项目：项目甲" in detail


def test_clause_page_says_what_one_award_is_for(client, library):
    page = client.get(reverse("policies:clause", kwargs={"code": "zzw-2022-155/5"})).content
    assert "兑现方式：每个项目只奖励一次；奖励期间为政策规定的2023年第一季度" in page.decode()
