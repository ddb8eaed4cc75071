"""indicator_facts(): stored figures -> the award contract's fact names."""

import pytest

from enterprises.catalogue import CATALOGUE, parse_value
from enterprises.facts import enterprise_facts, facts_for_user, indicator_facts
from enterprises.models import Indicator, IndicatorSource
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db


def put(enterprise, name, period, value, *, department=""):
    Indicator.objects.create(
        enterprise=enterprise,
        name=name,
        period=period,
        value=parse_value(CATALOGUE[name], value),
        source=IndicatorSource.IMPORTED if department else IndicatorSource.SELF_REPORTED,
        department=department,
    )


ELEC_2022 = [
    1200000,
    1150000,
    1350000,
    1380000,
    1420000,
    1460000,
    1500000,
    1480000,
    1410000,
    1390000,
    1360000,
    1330000,
]


@pytest.fixture
def machine():
    enterprise = EnterpriseFactory(industry_section="C", industry_division="34", above_scale=True)
    put(enterprise, "revenue", "2022Q1", "100000000")
    put(enterprise, "revenue", "2023Q1", "135000000")
    for month, kwh in enumerate(ELEC_2022, start=1):
        put(enterprise, "electricity_kwh", f"2022-{month:02d}", kwh)
    for month, kwh in enumerate([1300000, 1250000, 1420000], start=1):
        put(enterprise, "electricity_kwh", f"2023-{month:02d}", kwh)
    put(enterprise, "revenue", "2020", "390000000")
    put(enterprise, "revenue", "2021", "480000000")
    put(enterprise, "revenue", "2022", "460000000")
    return enterprise


def test_the_contract_names_for_the_155_articles(machine):
    facts = indicator_facts(machine)
    assert (
        facts["above_scale"] is True
        and facts["manufacturing"] is True
        and facts["industrial"] is True
    )
    assert facts["revenue_q1_2022"] == "100000000.00"
    assert facts["revenue_q1_2023"] == "135000000.00"
    assert facts["elec_q1_2022_kwh"] == "3700000"  # Jan–Mar 2022 added up
    assert facts["elec_q1_2023_kwh"] == "3970000"
    assert facts["elec_peak_month_2022_kwh"] == "1500000"
    assert "elec_peak_month_2023_kwh" not in facts  # only 3 months known: no guessing
    assert facts["elec_2022_kwh"] == str(sum(ELEC_2022))
    assert facts["revenue_2022"] == "460000000.00"


def test_revenue_year_prev_and_best_before(machine):
    facts = indicator_facts(machine)  # latest year with a yearly figure: 2022
    assert facts["revenue_year"] == "460000000.00"
    assert facts["revenue_prev_year"] == "480000000.00"
    assert facts["revenue_best_before"] == "480000000.00"
    facts = indicator_facts(machine, year=2021)
    assert facts["revenue_year"] == "480000000.00"
    assert facts["revenue_prev_year"] == "390000000.00"
    assert facts["revenue_best_before"] == "390000000.00"
    facts = indicator_facts(machine, year=2020)
    assert "revenue_prev_year" not in facts and "revenue_best_before" not in facts


def test_own_figures_are_preferred_and_imported_ones_fill_gaps():
    enterprise = EnterpriseFactory()
    put(enterprise, "revenue", "2023Q1", "135000000")
    put(enterprise, "revenue", "2023Q1", "130000000", department="市统计局")
    put(enterprise, "revenue", "2022Q1", "100000000", department="市统计局")
    facts = {f.name: f for f in enterprise_facts(enterprise)}
    assert facts["revenue_q1_2023"].value == "135000000.00"
    assert facts["revenue_q1_2023"].basis == "企业填报"
    assert facts["revenue_q1_2022"].value == "100000000.00"
    assert facts["revenue_q1_2022"].basis == "市统计局（导入）"
    assert enterprise.indicators.count() == 3  # both kept


def test_halves_years_exports_investment_and_headcount():
    enterprise = EnterpriseFactory(industry_section="F", industry_division="51", above_scale=False)
    for q, value in enumerate(["10", "20", "30", "40"], start=1):
        put(enterprise, "revenue", f"2023Q{q}", value)
    put(enterprise, "exports", "2022", "100000000")
    put(enterprise, "exports", "2023", "125500000")
    put(enterprise, "fixed_asset_investment", "2023Q1", "600000000")
    put(enterprise, "employees", "2023", 88)
    facts = indicator_facts(enterprise)
    assert facts["manufacturing"] is False and facts["industrial"] is False
    assert facts["above_scale"] is False
    assert facts["revenue_h1_2023"] == "30.00" and facts["revenue_h2_2023"] == "70.00"
    assert facts["revenue_2023"] == "100.00"
    assert facts["revenue_year"] == "100.00"
    assert facts["exports_2022"] == "100000000.00"
    assert facts["export_growth_2023_pct"] == "25.5"
    assert facts["investment_q1_2023"] == "600000000.00"
    assert facts["employees_2023"] == 88


def test_nothing_is_invented_when_data_is_missing():
    enterprise = EnterpriseFactory(industry_section="B", industry_division="06")
    put(enterprise, "revenue", "2023-01", "1")
    put(enterprise, "revenue", "2023-02", "1")  # March missing: no Q1
    facts = indicator_facts(enterprise)
    assert set(facts) == {"above_scale", "manufacturing", "industrial"}
    assert facts["industrial"] is True and facts["manufacturing"] is False


def test_facts_for_user(enterprise, enterprise_user, city_reviewer):
    put(enterprise, "revenue", "2023Q1", "1")
    assert facts_for_user(enterprise_user)["revenue_q1_2023"] == "1.00"
    assert facts_for_user(city_reviewer) == {}


def test_the_award_engine_accepts_the_facts(machine):
    engine = pytest.importorskip("policies.engine")
    if "zzw-2022-155/2" not in engine.clause_codes():
        pytest.skip("clause zzw-2022-155/2 not registered")
    facts = indicator_facts(machine)
    assert str(engine.calculate("zzw-2022-155/2", facts).amount) in ("60000.00", "60000")
    assert engine.calculate("zzw-2022-155/1", facts).eligible is True


def test_recommendations_page_shows_the_facts(client, enterprise, enterprise_user):
    put(enterprise, "revenue", "2023Q1", "135000000")
    client.force_login(enterprise_user)
    body = client.get("/enterprises/recommendations/").content.decode()
    assert "营业收入 2023年第一季度" in body and "135,000,000.00 元" in body and "政策库" in body
    assert "revenue_q1_2023" not in body  # the label and the grouped amount, never the code
    api = client.get("/api/v1/enterprises/me/facts/").json()
    assert api["facts"]["revenue_q1_2023"] == "135000000.00"
