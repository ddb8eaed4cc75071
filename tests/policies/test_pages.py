"""The policy library pages and the calculator page, as a browser would use them."""

import html

import pytest
from django.urls import reverse

from policies.models import Calculation


def test_policy_list_filters_and_links(client, library):
    body = client.get(reverse("policies:list")).content.decode()
    assert "郑政文〔2022〕155号" in body and "郑政〔2023〕23号" in body
    filtered = client.get(reverse("policies:list"), {"q": "155"}).content.decode()
    assert "郑政文〔2022〕155号" in filtered and "郑政〔2023〕23号" not in filtered
    by_mode = client.get(reverse("policies:list"), {"mode": "免申即享"})
    assert by_mode.status_code == 200


def test_bad_filter_values_are_ignored_not_500(client, library):
    response = client.get(
        reverse("policies:list"), {"level": "<script>", "mode": "x", "open_now": "zz"}
    )
    assert response.status_code == 200


def test_policy_page_shows_clauses_and_original_text(client, library):
    body = client.get(reverse("policies:detail", args=["zzw-2022-155"])).content.decode()
    assert "支持工业企业增产增效" in body
    assert "市级 : 区县 = 1 : 1" in body
    assert "2023-03-31" in body
    assert "扩增量稳存量" in body  # the original text


def test_clause_page_shows_original_text_beside_rule(client, library):
    body = client.get(reverse("policies:clause", args=["zzw-2022-155/2"])).content.decode()
    assert "营业收入每增加" in body.replace(" ", "")
    assert "每档奖励" in body  # a parameter of the structured rule
    assert "第 1 版" in body


def test_unknown_policy_or_clause_is_404(client, library):
    assert client.get(reverse("policies:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("policies:clause", args=["nope/1"])).status_code == 404


def test_calculator_page_needs_login(client, library):
    assert client.get(reverse("policies:calculator")).status_code == 302


@pytest.mark.django_db
def test_calculator_computes_every_clause_of_a_policy_and_explains_the_rest(
    client, library, enterprise_user
):
    client.force_login(enterprise_user)
    url = reverse("policies:calculator")
    page = client.get(url, {"policy": "zzw-2022-155"})
    assert page.status_code == 200 and "revenue_q1_2023" in page.content.decode()
    response = client.post(
        url,
        {
            "policy": "zzw-2022-155",
            "above_scale": "on",
            "manufacturing": "on",
            "revenue_q1_2023": "135,000,000",
            "revenue_q1_2022": "100000000",
        },
    )
    assert response.status_code == 200
    results = {r["clause"].code: r for r in response.context["results"]}
    assert results["zzw-2022-155/2"]["result"].amount == 60000
    assert "elec_q1_2023_kwh" not in results["zzw-2022-155/2"]
    assert results["zzw-2022-155/1"]["missing"]  # electricity figures not given
    body = response.content.decode()
    assert "60,000.00" in body and "缺少数据" in body
    assert Calculation.objects.filter(
        clause__code="zzw-2022-155/2", created_by=enterprise_user
    ).exists()


@pytest.mark.django_db
def test_calculator_stores_each_computed_clause_in_a_fixed_number_of_statements(
    client, library, enterprise_user, django_assert_max_num_queries
):
    """Every clause computed is stored with the rule version in force and its own engine
    version, in one insert: the statements do not grow with the policy's clauses."""
    from policies.rules import rule_versions_on

    client.force_login(enterprise_user)
    data = {"policy": "zzw-2022-155", "above_scale": "on", "manufacturing": "on",
            "revenue_q1_2023": "135000000", "revenue_q1_2022": "100000000",
            "contract_investment": "1200000000", "signed_and_started_q1_2023": "on"}  # fmt: skip
    with django_assert_max_num_queries(16):  # 33 when each clause was stored alone
        response = client.post(reverse("policies:calculator"), data)
    computed = [r for r in response.context["results"] if r.get("result")]
    assert len(computed) >= 3
    stored = {c.clause.code: c for c in Calculation.objects.filter(created_by=enterprise_user)}
    assert set(stored) == {r["clause"].code for r in computed}
    versions = rule_versions_on([r["clause"].pk for r in computed])
    for row in computed:
        calc = stored[row["clause"].code]
        assert calc.rule_version == versions[row["clause"].pk]
        assert calc.amount_fen == int(row["result"].amount * 100)
        assert calc.engine_version == row["meta"].version
        assert calc.source == Calculation.Source.CALCULATOR
    assert stored["zzw-2022-155/2"].facts["revenue_q1_2023"] == "135000000"
    assert "contract_investment" not in stored["zzw-2022-155/2"].facts  # only the clause's own


def test_calculator_shows_field_error_for_bad_money_and_no_500(client, library, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(
        reverse("policies:calculator"),
        {"policy": "zzw-2022-155", "above_scale": "on", "manufacturing": "on",
         "revenue_q1_2023": "很多", "revenue_q1_2022": "100000000"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "revenue_q1_2023" in response.context["form"].errors
    assert "有效金额" in response.content.decode() or "数字" in response.content.decode()


def test_calculator_quotes_bad_input_back_in_words_not_python(client, library, enterprise_user):
    """A wrong figure comes back with the fact's name and what was typed in 「」 (as the rest of
    the portal says it), never in Python's quotes ('abc')."""
    client.force_login(enterprise_user)
    response = client.post(
        reverse("policies:calculator"),
        {"policy": "zzb-2022-52", "consistency_evaluated_products": "１２个",
         "total_investment": "abc", "production_equipment_investment": "1000000"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["consistency_evaluated_products"] == [
        "「本次通过仿制药质量和疗效一致性评价的品种数」应为整数，写的是「１２个」"
    ]
    assert errors["total_investment"] == ["「项目总投资」不是有效金额，写的是「abc」"]
    page = html.unescape(response.content.decode())
    assert "写的是「abc」" in page and "写的是「１２个」" in page
    assert "'abc'" not in page and "'１２个'" not in page and "收到" not in page


def test_a_whole_number_typed_in_full_width_digits_is_read_as_digits():
    """An input method types １２ for 12: the count is read, as money and percentages are; a
    superscript ² is not a digit."""
    from policies.engine import FactError, calculate

    typed = {"unit_size": "sme", "absorbed_graduates": "１０", "expansion_graduates": "８",
             "graduates_in_both": "３"}  # fmt: skip
    assert calculate("zz-2022-17/4", typed).amount == 22500  # (10 + 8 − 3) × 1500
    with pytest.raises(FactError) as exc:
        calculate("zz-2022-17/4", {"fresh_graduates_hired": "3²"})
    assert "应为整数，写的是「3²」" in exc.value.message
