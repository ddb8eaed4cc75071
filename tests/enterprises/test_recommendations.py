"""为我推荐: the demo machine-maker's indicators, matched against the whole library."""

import datetime as dt

import pytest
from django.urls import reverse

from demo.enterprises import demo_enterprises_load
from demo.services import demo_users_load
from enterprises.matching import recommendations_for
from policies.loading import policy_library_load
from policies.models import Clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def machine_maker():
    policy_library_load()
    demo_users_load()
    return demo_enterprises_load()[0]


def test_open_clause_with_enough_figures_is_recommended_with_its_amount(machine_maker):
    today = dt.date(2026, 11, 23)
    Clause.objects.filter(code="zzw-2022-155/2").update(
        application_opens=today - dt.timedelta(days=10),
        application_closes=today + dt.timedelta(days=30),
    )
    groups = recommendations_for(machine_maker, today=today)
    eligible = {r.estimate.clause.code: r for r in groups["eligible"]}
    assert eligible["zzw-2022-155/2"].estimate.result.amount == 60000
    assert eligible["zzw-2022-155/2"].open_now
    # every clause lands in exactly one group, and the not-eligible ones say why
    total = sum(len(g) for g in groups.values())
    assert total == len({r.estimate.clause.code for g in groups.values() for r in g})
    assert all(r.estimate.result.reasons for r in groups["ineligible"])
    assert all(r.estimate.missing or r.estimate.invalid for r in groups["incomplete"])


def test_expired_policy_with_closed_window_is_not_recommended(machine_maker):
    groups = recommendations_for(machine_maker, today=dt.date(2026, 11, 23))
    codes = {r.estimate.clause.code for g in groups.values() for r in g}
    assert "zzw-2022-155/2" not in codes  # 155号 ran to 2023-12-31 and its window is closed


def test_page_lists_recommendations_for_the_logged_in_enterprise(client, machine_maker):
    client.force_login(machine_maker.members.get(is_primary=True).user)
    response = client.get(reverse("enterprises:recommendations"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "可能符合条件" in body and "还缺数据" in body


@pytest.mark.parametrize(
    ("name", "url_part", "where"),
    [
        (
            "revenue_q1_2023",
            "/enterprises/indicators/?name=revenue&period=2023Q1#id_value",
            "经营指标",
        ),
        ("elec_h1_2022_kwh", "?name=electricity_kwh&period=2022H1#id_value", "经营指标"),
        ("investment_2023", "?name=fixed_asset_investment&period=2023#id_value", "经营指标"),
        ("elec_peak_month_2022_kwh", "?name=electricity_kwh&period=2022-01#id_value", "经营指标"),
        ("revenue_year", "?name=revenue#id_period", "经营指标"),
        ("above_scale", "/enterprises/profile/edit/#id_above_scale", "企业档案"),
        ("manufacturing", "/enterprises/profile/edit/#id_industry_division", "企业档案"),
        ("in_fai_db", "", "申报时在申报表中填写"),
    ],
)
def test_a_missing_fact_links_to_the_field_where_it_is_entered(db, name, url_part, where):
    from enterprises.matching import missing_fact

    found = missing_fact(name, "中文名称")
    assert found.label == "中文名称" and found.where == where
    assert (url_part in found.url) if url_part else found.url == ""
