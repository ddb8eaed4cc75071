"""Figures no enterprise can have are refused with the reason, in the form, the API and the
import, like negative ones: an amount beyond a bound for its period, a period not yet begun."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from enterprises import services
from enterprises.models import Indicator, IndicatorImport
from portal.core.errors import DomainError
from tests.enterprises.conftest import make_xlsx

pytestmark = pytest.mark.django_db
# 04:30 on 7 December 2026 in Beijing (still 6 December in UTC)
NOW = dt.datetime(2026, 12, 6, 20, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def refused(enterprise, user, name, period, value) -> dict[str, str]:
    with pytest.raises(DomainError) as exc:
        services.indicator_set(
            enterprise=enterprise, actor=user, name=name, period=period, value=value
        )
    assert not Indicator.objects.exists()
    return exc.value.errors


@pytest.mark.parametrize(
    ("name", "period", "value", "bound"),
    [
        ("revenue", "2023Q1", "1000000000000", "一个季度不应超过5000亿元"),
        ("revenue", "2023Q1", "1e12", "一个季度不应超过5000亿元"),
        ("revenue", "2023", "2000000000000.01", "一年不应超过2万亿元"),
        ("revenue", "2023H1", "1000000000001", "半年不应超过1万亿元"),
        ("tax_paid", "2023-01", "200000000001", "一个月不应超过2000亿元"),
        ("electricity_kwh", "2023Q1", "25000000001", "一个季度不应超过250亿千瓦时"),
        ("employees", "2023", "2000001", "不应超过200万人"),
    ],
)
def test_amounts_beyond_any_enterprise_are_refused_with_the_bound(
    enterprise, enterprise_user, name, period, value, bound
):
    errors = refused(enterprise, enterprise_user, name, period, value)
    assert set(errors) == {"value"}
    assert bound in errors["value"] and "数值不合理" in errors["value"]
    assert "请核对数值和单位" in errors["value"]


@pytest.mark.parametrize(
    ("name", "period", "value"),
    [
        ("revenue", "2023Q1", "500000000000"),  # exactly the bound
        ("revenue", "2023", "1999999999999.99"),
        ("electricity_kwh", "2023", "100000000000"),
        ("employees", "2023-01", "2000000"),
        ("revenue", "2023Q1", "0"),
    ],
)
def test_large_but_possible_figures_are_kept(enterprise, enterprise_user, name, period, value):
    services.indicator_set(
        enterprise=enterprise, actor=enterprise_user, name=name, period=period, value=value
    )
    assert Indicator.objects.count() == 1


@pytest.mark.parametrize("period", ["2027", "2027Q1", "2027H1", "2027-01", "2099"])
def test_a_period_not_yet_begun_in_beijing_is_refused(enterprise, enterprise_user, period):
    errors = refused(enterprise, enterprise_user, "revenue", period, "100")
    assert set(errors) == {"period"}
    assert "尚未开始" in errors["period"] and "今天是2026年12月7日" in errors["period"]
    assert "期间" in errors["period"]


@pytest.mark.parametrize("period", ["2026", "2026H2", "2026Q4", "2026-12", "2023"])
def test_periods_begun_by_today_in_beijing_are_kept(enterprise, enterprise_user, period):
    services.indicator_set(
        enterprise=enterprise, actor=enterprise_user, name="revenue", period=period, value="100"
    )
    assert Indicator.objects.count() == 1


def test_new_year_comes_at_beijing_midnight_not_utc(enterprise, enterprise_user):
    new_year = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Beijing
    with mock.patch("django.utils.timezone.now", return_value=new_year):
        services.indicator_set(
            enterprise=enterprise, actor=enterprise_user, name="revenue", period="2027-01", value=1
        )
    assert Indicator.objects.get().period == "2027-01"


def test_both_problems_are_reported_together(enterprise, enterprise_user):
    errors = refused(enterprise, enterprise_user, "revenue", "2027Q1", "1e12")
    assert set(errors) == {"period", "value"}


def test_import_refuses_the_whole_workbook_and_names_each_row(enterprise, enterprise_user):
    rows = [
        ("营业收入", "2023Q1", 135000000),
        ("营业收入", "2023Q2", 1e12),  # row 3
        ("用电量", "2027-01", 1000),  # row 4
    ]
    with pytest.raises(services.IndicatorImportError) as exc:
        services.indicators_import_excel(
            enterprise=enterprise, actor=enterprise_user, file=make_xlsx(rows)
        )
    problems = dict(exc.value.row_errors)
    assert set(problems) == {3, 4}
    assert "一个季度不应超过5000亿元" in problems[3]
    assert "尚未开始" in problems[4]
    assert not Indicator.objects.exists() and not IndicatorImport.objects.exists()


def test_form_and_api_show_the_reason_and_store_nothing(client, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(
        reverse("enterprises:indicators"),
        {"name": "revenue", "period": "2027", "value": "1000000000000"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "尚未开始" in body and "一年不应超过2万亿元" not in body  # 1万亿元 a year is possible
    response = client.post(
        "/api/v1/enterprises/me/indicators/",
        {"name": "revenue", "period": "2023Q1", "value": 1e12},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "一个季度不应超过5000亿元" in response.json()["errors"]["value"]
    assert not Indicator.objects.exists()
