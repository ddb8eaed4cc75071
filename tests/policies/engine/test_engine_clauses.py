"""Clause metadata: the contract's fact names, docstrings citing the article, params that
round-trip through JSON, results without floats, and the pure-Python rule."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

from policies.engine import AwardResult, Step, calculate, clause_codes, get_clause
from policies.engine.clause import COMBINES
from policies.engine.facts import KINDS
from policies.engine.params import PARAM_KINDS

ENGINE_DIR = Path(__file__).resolve().parents[3] / "policies" / "engine"

# The award contract's tables: fact name -> required (no "?").
CONTRACT_FACTS = {
    "zzw-2022-155/1": "above_scale manufacturing elec_q1_2023_kwh elec_q1_2022_kwh "
    "elec_peak_month_2022_kwh",
    "zzw-2022-155/2": "above_scale manufacturing revenue_q1_2023 revenue_q1_2022",
    "zzw-2022-155/3": "above_scale new_sei_db_2022? commissioned_q1_2023? "
    "new_above_scale_since_2022? revenue_q1_2023 revenue_q1_2022",
    "zzw-2022-155/4": "in_fai_db new_in_fai_db_2023? investment_q1_2023",
    "zzw-2022-155/5": "signed_and_started_q1_2023 contract_investment",
    "zzw-2022-155/6": "above_scale event_costs? exports_2022? export_growth_2023_pct?",
    "zzw-2022-155/7": "above_scale manufacturing revenue_h1_2023? revenue_h1_2022? "
    "revenue_2023? revenue_2022?",
    "zzw-2022-155/9": "chain_leader inchain_purchases? new_supplier_purchases?",
    "zzw-2022-155/10": "industrial tenure lease_years? floor_area_m2",
    "zz-2023-23/1": "manufacturing china500_rank? china500_best_rank_before? mfg500_rank? "
    "mfg500_best_rank_before?",
    "zz-2023-23/5": "industrial revenue_year revenue_best_before",
    "zz-2023-23/6": "industrial revenue_year revenue_best_before sei_revenue_share_pct",
    "zz-2023-23/7": "in_database sector revenue_year revenue_prev_year",
    "zz-2023-23/8": "sei_project completed total_investment equipment_investment",
    "zz-2023-23/9": "completed sei_project total_investment equipment_investment",
    "zz-2023-23/10": "completed smart_equipment_software_investment",
    "zz-2023-23/11": "benefit_pct equipment_software_investment",
    "zz-2023-23/13": "invention_patent patent_product_sales",
    "zz-2023-23/15": "title previous_titles?",
    "zz-2023-23/17": "pilot_titles?",
    "zz-2023-23/20": "exhibition_costs? central_media_ad_costs?",
    "zz-2023-23/21": "chain_leader inchain_purchases? new_supplier_purchases?",
}
# Every article of both texts that grants money (read from seeds 000 and 001).
MONETARY_ARTICLES = {
    "zzw-2022-155": {1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 19},
    "zz-2023-23": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                   22},
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(CONTRACT_FACTS))
def test_contract_fact_names_and_optionality(code):
    expected = {n.rstrip("?"): not n.endswith("?") for n in CONTRACT_FACTS[code].split()}
    clause = get_clause(code)
    declared = {f.name: f.required for f in clause.facts}
    # The contract's facts, with the contract's optionality; extra facts only optional.
    assert {k: declared.get(k) for k in expected} == expected
    assert all(not declared[k] for k in set(declared) - set(expected))


def test_every_monetary_article_has_a_clause():
    codes = set(clause_codes())
    for policy, articles in MONETARY_ARTICLES.items():
        for n in articles:
            assert f"{policy}/{n}" in codes


def test_contract_choices():
    assert set(get_clause("zz-2023-23/15").facts[0].choices) == {
        "national_demo_factory", "national_excellent_scene", "provincial_benchmark",
        "provincial_smart_factory", "provincial_smart_workshop",
    }  # fmt: skip
    assert set(get_clause("zz-2023-23/17").facts[0].choices) == {"national", "provincial"}
    assert set(get_clause("zzw-2022-155/10").facts[1].choices) == {"lease", "purchase"}
    sectors = get_clause("zz-2023-23/7").facts[1].choices
    assert {"electronic_key", "new_materials", "energy_saving"} <= set(sectors)


@pytest.mark.parametrize("code", clause_codes())
def test_clause_declaration(code):
    clause = get_clause(code)
    number = code.rsplit("/", 1)[1]
    assert clause.article == f"第{number}条"
    assert clause.title
    assert f"第{number}条" in clause.doc and "“" in clause.doc, "docstring cites and quotes"
    assert clause.combine in COMBINES
    for fact in clause.facts:
        assert fact.kind in KINDS and fact.label
        if fact.kind in ("choice", "choice_list"):
            assert fact.choices
    for param in clause.params:
        assert param.kind in PARAM_KINDS and param.label
    json.dumps(clause.describe(), ensure_ascii=False)  # JSON-serialisable metadata


@pytest.mark.parametrize("code", clause_codes())
def test_params_round_trip_through_json(code):
    """What the administrator's rule version stores (JSON) gives back the defaults."""
    clause = get_clause(code)
    defaults = clause.validate_params(None)
    stored = json.loads(json.dumps({p.name: p.serialize(defaults[p.name]) for p in clause.params}))
    assert clause.validate_params(stored) == defaults


def _walk_no_float(value, where):
    assert not isinstance(value, float), where
    if isinstance(value, dict):
        for k, v in value.items():
            _walk_no_float(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _walk_no_float(v, f"{where}[{i}]")


def test_results_have_no_float_and_the_contract_shape():
    result = calculate(
        "zzw-2022-155/2",
        {"above_scale": True, "manufacturing": True,
         "revenue_q1_2023": 135000000.0, "revenue_q1_2022": "100000000"},
    )  # fmt: skip
    assert isinstance(result, AwardResult)
    assert isinstance(result.amount, Decimal)
    assert all(isinstance(s, Step) and isinstance(s.label, str) for s in result.steps)
    body = result.to_dict()
    _walk_no_float(body, "result")
    assert list(body)[:5] == ["clause", "eligible", "amount", "reasons", "steps"]
    assert body["amount"] == "60000.00"
    assert all(set(s) == {"label", "value"} for s in body["steps"])


def test_result_is_frozen():
    result = calculate("zz-2023-23/4", {"provincial_head_goose": True})
    with pytest.raises(AttributeError):
        result.amount = Decimal(1)  # type: ignore[misc]


def test_band_floor_and_ceiling_flags():
    result = calculate("zz-2023-23/8", {"sei_project": True, "completed": True,
                                        "total_investment": "30000000",
                                        "equipment_investment": "15000000"})  # fmt: skip
    assert result.is_ceiling is True and result.floor is None
    assert calculate("zz-2023-23/3", {"srdi_title": "little_giant"}).computable is False


def test_engine_never_imports_django():
    for path in ENGINE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("django", "rest_framework") for n in names), path


def test_params_override_changes_a_threshold_without_code():
    facts = {"above_scale": True, "manufacturing": True,
             "revenue_q1_2023": "108000000", "revenue_q1_2022": "100000000"}  # fmt: skip
    assert calculate("zzw-2022-155/2", facts).eligible is False
    result = calculate("zzw-2022-155/2", facts, params={"growth": ">=8", "step": "4000000"})
    assert result.to_dict()["amount"] == "40000.00"
    result = calculate("zzw-2022-155/2", facts, params={"growth": {"value": "8", "op": ">"}})
    assert result.eligible is False
