"""The Henan provincial award clauses of seed 003 live in data (policies/data/defined/*.yaml):
compiled, their worked examples (worked by hand from the text) checked, loaded by
load_policies and computed through the same engine entry points as every clause."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policies import engine
from policies.engine.definitions import compile_definition
from policies.services import award_calculate, awards_estimate

ROOT = Path(__file__).resolve().parents[2]
DEFINED = sorted((ROOT / "policies" / "data" / "defined").glob("*.yaml"))
POLICIES = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in DEFINED}
CLAUSES = [c for p in POLICIES.values() for c in p["clauses"]]
CASES = [(c["code"], case) for c in CLAUSES for case in c["definition"].get("tests", [])]


def _compiled(item: dict):
    return compile_definition(
        {
            "code": item["code"],
            "article": item["article"],
            "title": item["title"],
            **item["definition"],
        }
    )


def _types(node) -> set[str]:
    return {n.type for n in node.walk()}


def test_at_least_twenty_henan_money_clauses_of_several_shapes():
    assert all(p["level"] == "provincial" for p in POLICIES.values())
    clauses = [_compiled(item) for item in CLAUSES]  # each runs its own test cases
    money = [c for c in clauses if c.computable]
    assert len(money) >= 20
    shapes = set().union(*(_types(c.formula) for c in money))
    assert {
        "fixed",
        "percent",
        "table",
        "per_unit",
        "per_item",
        "up_to",
        "sum",
        "highest",
    } <= shapes
    assert any(c.is_ceiling for c in money) and any(not c.is_ceiling for c in money)


def test_every_clause_carries_worked_examples_with_their_reason():
    for item in CLAUSES:
        tests = item["definition"].get("tests") or []
        assert tests, item["code"]
        assert all(case.get("why") for case in tests), item["code"]
    assert len(CASES) >= 60


def test_nothing_under_the_engine_names_the_henan_policies():
    """No Python is needed for them: no file under policies/engine names a policy, a clause or
    a 文号 of theirs (the engine knows blocks, not policies)."""
    names = {c["code"] for c in CLAUSES} | {p["code"] for p in POLICIES.values()}
    names |= {p["doc_number"] for p in POLICIES.values()} | {p["title"] for p in POLICIES.values()}
    engine_dir = ROOT / "policies" / "engine"
    text = "\n".join(p.read_text(encoding="utf-8") for p in engine_dir.rglob("*.py"))
    assert not {n for n in names if n in text}
    assert not re.search(r"\bhn[a-z]*-2022|yzb", text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "case"), CASES, ids=[f"{c}:{i}" for i, (c, _) in enumerate(CASES)]
)
def test_loaded_clauses_compute_through_the_engine(library, code, case):
    assert code in engine.clause_codes()
    calculated = award_calculate(code=code, facts=case["facts"], source="calculator")
    body = calculated.result.to_dict()
    assert body["amount"] == case["amount"], (case["why"], body)
    if "eligible" in case:
        assert body["eligible"] is case["eligible"], case["why"]
    assert body["reasons"] or body["steps"]
    assert calculated.calculation.engine_version == engine.get_clause(code).version


@pytest.mark.django_db
def test_henan_clauses_reach_the_recommendations_and_the_calculator_api(
    library, client, django_user_model
):
    from policies.models import Clause

    clauses = list(Clause.objects.filter(policy__code="hnzxcs-2022-1").order_by("article"))
    estimates = {e.clause.code: e for e in awards_estimate(
        facts={"little_giant": True, "equipment_software_investment": "12000000"}, clauses=clauses)}  # fmt: skip
    assert estimates["hnzxcs-2022-1/8"].result.amount == 3600000
    assert "制造业中小企业" in estimates["hnzxcs-2022-1/1"].missing  # labels, never codes
    user = django_user_model.objects.create_user(username="calc", password="Calc@12345!")
    client.force_login(user)
    response = client.post(
        "/api/v1/calculator/",
        {"clause": "yzbmd-2022-13/2", "facts": {"above_scale": True, "full_load_q2_2022": True,
                                                 "revenue_q2_2022": "55000000", "revenue_q2_2021": "50000000"}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "200000.00"


@pytest.mark.django_db
def test_the_clause_page_states_the_rule_in_a_sentence(library, client):
    response = client.get("/policies/clauses/hnzxcs-2022-1/8/")
    assert response.status_code == 200
    assert (
        "计算规则：</strong>国家级专精特新“小巨人”企业（在有效期内）的，按设备、软件实际投资的30%给予奖励，"
        "最高500万元（计算结果为上限，审核时可核减）。"
    ) in response.content.decode()
