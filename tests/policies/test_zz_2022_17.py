"""郑政〔2022〕17号 稳就业 (seed 004 D3) in the library: its clauses, the facts a branch needs,
the library load (`make run`), the library and calculator pages, the contract entry points.

The amounts themselves are golden cases (policies/golden/zz-2022-17.yaml)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from finance import splits
from policies.engine import FactError, calculate, clause_codes, get_clause
from policies.golden import golden_cases
from policies.models import Clause, Policy
from portal.core.money import to_fen

POLICY = "zz-2022-17"
# Articles 1, 2, 4, 6, 7, 9 and 11 grant money (catalogue-004 M-01…M-06, I-01, I-02, U-10…U-14);
# 3, 5, 8 and 10 set targets and services only.
MONEY_ARTICLES = {1, 2, 4, 6, 7, 9, 11}
NO_FIGURE_ARTICLES = {7, 11}  # “一定奖励” / “按规定”
BOTH_PER_HEAD = {"unit_size": "sme", "absorbed_graduates": 10, "expansion_graduates": 8}


def test_every_money_granting_article_has_a_clause_and_no_other():
    codes = {c for c in clause_codes() if c.startswith(f"{POLICY}/")}
    assert codes == {f"{POLICY}/{n}" for n in MONEY_ARTICLES}


@pytest.mark.parametrize("article", sorted(MONEY_ARTICLES))
def test_clauses_without_a_figure_are_not_computable(article):
    clause = get_clause(f"{POLICY}/{article}")
    assert clause.computable is (article not in NO_FIGURE_ARTICLES)
    assert clause.doc.startswith("郑政〔2022〕17号")


def test_overlap_of_the_two_per_head_subsidies_is_required_when_both_apply():
    """Left out, it would count a graduate under both （二） and （三）: never a silent 0."""
    with pytest.raises(FactError) as exc:
        calculate(f"{POLICY}/4", BOTH_PER_HEAD)
    assert "graduates_in_both" in exc.value.errors
    assert "不能同时享受" in get_clause(f"{POLICY}/4").facts[-1].help
    ok = calculate(f"{POLICY}/4", {**BOTH_PER_HEAD, "graduates_in_both": 0})
    assert ok.amount == Decimal("27000.00")


@pytest.mark.parametrize(
    "facts",
    [
        {"unit_size": "sme", "absorbed_graduates": 10},
        {"expansion_graduates": 8},
        {"unit_size": "sme", "absorbed_graduates": 10, "expansion_graduates": 0},
    ],
)
def test_overlap_is_not_asked_when_only_one_per_head_subsidy_applies(facts):
    assert calculate(f"{POLICY}/4", facts).eligible is True


def test_overlap_cannot_exceed_either_count():
    with pytest.raises(FactError) as exc:
        calculate(f"{POLICY}/4", {**BOTH_PER_HEAD, "graduates_in_both": 9})
    assert "不能多于" in exc.value.errors["graduates_in_both"]


def test_unit_size_is_required_for_the_absorption_subsidy():
    """（二） is for 中小微企业 only: the size is needed, not guessed."""
    with pytest.raises(FactError) as exc:
        calculate(f"{POLICY}/4", {"absorbed_graduates": 10})
    assert "unit_size" in exc.value.errors
    assert calculate(f"{POLICY}/4", {"fresh_graduates_hired": 30}).amount == Decimal("60000.00")


def _amount_or_error(code: str, facts: dict) -> Decimal | None:
    try:
        return calculate(code, facts).amount
    except FactError:
        return None


CASES = golden_cases()
OURS = [c for c in CASES if c["clause"].startswith(f"{POLICY}/")]


@pytest.mark.parametrize("case", OURS, ids=[f"{c['clause']}:{c['why'][:20]}" for c in OURS])
def test_removing_an_optional_fact_never_raises_an_award(case):
    code = case["clause"]
    optional = {f.name for f in get_clause(code).facts if not f.required}
    full = calculate(code, case["facts"]).amount
    for name in optional & set(case["facts"]):
        less = {k: v for k, v in case["facts"].items() if k != name}
        amount = _amount_or_error(code, less)
        assert amount is None or amount <= full, (name, amount, full)


@settings(max_examples=200, deadline=None)
@given(
    fresh=st.integers(0, 400),
    size=st.sampled_from(["large", "sme"]),
    absorbed=st.integers(0, 40),
    expansion=st.integers(0, 40),
    both=st.integers(0, 40),
    drop=st.sampled_from(
        [
            "fresh_graduates_hired",
            "unit_size",
            "absorbed_graduates",
            "expansion_graduates",
            "graduates_in_both",
        ]
    ),
)
def test_article_4_removing_a_fact_never_raises_the_award(
    fresh, size, absorbed, expansion, both, drop
):
    facts = {
        "fresh_graduates_hired": fresh,
        "unit_size": size,
        "absorbed_graduates": absorbed,
        "expansion_graduates": expansion,
        "graduates_in_both": min(both, absorbed, expansion),
    }
    full = calculate(f"{POLICY}/4", facts).amount
    assert full <= Decimal(1_000_000) + (absorbed + expansion) * 1500
    less = {k: v for k, v in facts.items() if k != drop}
    amount = _amount_or_error(f"{POLICY}/4", less)
    assert amount is None or amount <= full


def test_library_load_brings_the_policy_with_its_dates_windows_and_funding(library):
    policy = Policy.objects.get(code=POLICY)
    assert policy.doc_number == "郑政〔2022〕17号"
    assert policy.issued_on == dt.date(2022, 6, 27)
    assert policy.effective_to is None  # the text gives no end
    assert policy.status_on(dt.date(2026, 12, 1)) == Policy.Status.IN_FORCE
    assert "稳就业" in policy.original_text
    clauses = {c.article: c for c in policy.clauses.all()}
    assert set(clauses) == MONEY_ARTICLES
    for article in (1, 2, 6):  # “执行期限至2022年12月31日 / 2022年底”
        assert clauses[article].application_closes == dt.date(2022, 12, 31)
    assert clauses[4].application_closes is None
    assert all(
        c.guide.strip() and c.original_text.startswith(f"{c.article}.") for c in clauses.values()
    )
    assert all(c.versions.count() == 1 for c in clauses.values())
    # 第6条: 1000 of the 3000 from 就业补助资金 (city share), 2000 from the county.
    city, district = splits.split_city_district(
        to_fen(Decimal(30000)), clauses[6].effective_funding_split
    )
    assert (city, district) == (1_000_000, 2_000_000)


def test_library_and_policy_pages_list_it_in_chinese(client, library):
    listing = client.get(reverse("policies:list")).content.decode()
    assert "郑政〔2022〕17号" in listing
    detail = client.get(reverse("policies:detail", args=[POLICY])).content.decode()
    assert "鼓励用人单位招用高校毕业生" in detail and "长期" in detail
    assert "原文无具体金额" in detail  # 第7、11条
    clause = client.get(reverse("policies:clause", args=[f"{POLICY}/4"])).content.decode()
    assert "一次性扩岗补助" in clause and "不能同时享受" in clause


def test_calculator_lists_it_and_computes_its_clauses(client, library, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("policies:calculator")
    page = client.get(url, {"policy": POLICY}).content.decode()
    assert "郑政〔2022〕17号" in page and "单位规模" in page and "中小微企业" in page
    response = client.post(
        url, {"policy": POLICY, "fresh_graduates_hired": "51", "market_entity": "on",
              "poverty_labour_hired": "10"}
    )  # fmt: skip
    assert response.status_code == 200
    results = {r["clause"].code: r for r in response.context["results"]}
    assert results[f"{POLICY}/4"]["result"].amount == Decimal("153000.00")
    assert results[f"{POLICY}/6"]["result"].amount == Decimal("30000.00")
    assert results[f"{POLICY}/1"]["missing"]


def test_calculator_page_names_the_missing_overlap_and_does_not_500(
    client, library, enterprise_user
):
    client.force_login(enterprise_user)
    response = client.post(
        reverse("policies:calculator"),
        {"policy": POLICY, "unit_size": "sme", "absorbed_graduates": "10",
         "expansion_graduates": "8"},
    )  # fmt: skip
    assert response.status_code == 200
    results = {r["clause"].code: r for r in response.context["results"]}
    assert results[f"{POLICY}/4"]["invalid"]
    assert "同时计入" in response.content.decode()


def test_api_is_400_naming_the_missing_overlap(client, library, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(
        "/api/v1/calculator/",
        {"clause": f"{POLICY}/4", "facts": BOTH_PER_HEAD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "graduates_in_both" in response.json()["errors"]


def test_cli_gives_the_contract_json_and_exit_2_for_the_missing_overlap(library, capsys):
    out = StringIO()
    facts = {"borrower_type": "individual", "new_guarantee_loan": True,
             "guarantee_loan_amount": "400000", "guarantee_loan_interest": "15000"}  # fmt: skip
    call_command("calculate_award", f"{POLICY}/2", "--facts", json.dumps(facts), stdout=out)
    assert json.loads(out.getvalue())["amount"] == "15000.00"
    with pytest.raises(SystemExit) as exc:
        call_command("calculate_award", f"{POLICY}/4", "--facts", json.dumps(BOTH_PER_HEAD))
    assert exc.value.code == 2
    assert "graduates_in_both" in capsys.readouterr().err


def test_clause_rows_are_in_the_database_under_the_policy(library):
    assert Clause.objects.filter(policy__code=POLICY).count() == len(MONEY_ARTICLES)


def test_clause_page_shows_the_rule_in_words_not_dicts_or_codes(client, library):
    """Thresholds say 达到/超过, caps 元 or 不设上限, amounts tables name the choice."""
    body = client.get(reverse("policies:clause", args=[f"{POLICY}/4"])).content.decode()
    assert "达到30" in body and "超过50" in body and "1,000,000.00 元" in body
    assert "{&#x27;" not in body and "&gt;=" not in body
    titles = client.get(reverse("policies:clause", args=["zz-2023-23/15"])).content.decode()
    assert "national_demo_factory" not in titles.split("所需数据")[0]
    assert "3,000,000.00 元" in titles
    tiers = client.get(reverse("policies:clause", args=["zzw-2022-155/5"])).content.decode()
    assert "{&#x27;" not in tiers and "达到" in tiers
