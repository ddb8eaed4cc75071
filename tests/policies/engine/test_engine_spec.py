"""Data-declared clauses (``register_spec`` / ``DataClause``): what a colleague uses for the
many simple articles of other policies."""

from __future__ import annotations

import pytest

from policies.engine import DataClause, FactError, SpecError, calculate, register_spec, registry
from policies.engine.clause import Clause

FACTS = [
    {"name": "above_scale", "label": "规模以上企业", "kind": "bool"},
    {"name": "total_investment", "label": "项目总投资", "kind": "money"},
    {"name": "equipment_investment", "label": "设备投资额", "kind": "money"},
    {"name": "level", "label": "级别", "kind": "choice",
     "choices": {"national": "国家级", "provincial": "省级", "none": "无"}},
    {"name": "titles", "label": "称号", "kind": "choice_list", "required": False,
     "choices": {"national": "国家级", "provincial": "省级"}},
    {"name": "grant", "label": "省补助", "kind": "money", "required": False},
    {"name": "suppliers", "label": "供应商采购额", "kind": "money_list", "required": False},
]  # fmt: skip
META = {"article": "第3条", "title": "测试条款", "doc": "测试 第3条：“……”", "facts": FACTS}
BASE = {"above_scale": True, "total_investment": "30000000", "equipment_investment": "60000000",
        "level": "national"}  # fmt: skip


def clause(spec, **meta) -> DataClause:
    return DataClause("zzb-2022-99/3", spec, {**META, **meta})


def amount(spec, facts=None, params=None, **meta) -> str:
    return clause(spec, **meta).calculate({**BASE, **(facts or {})}, params).to_dict()["amount"]


@pytest.fixture
def isolated_registry(monkeypatch):
    registry._ensure_loaded()
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


def test_percent_capped_with_conditions():
    spec = {
        "type": "percent_capped",
        "base": "equipment_investment",
        "rate": "10",
        "cap": "5000000",
        "conditions": [
            "above_scale",
            {"fact": "total_investment", "op": ">=", "value": "20000000"},
        ],
    }
    assert amount(spec) == "5000000.00"
    assert amount(spec, {"equipment_investment": "1000000"}) == "100000.00"
    assert amount(spec, {"total_investment": "19999999.99"}) == "0.00"
    assert amount(spec, {"above_scale": False}) == "0.00"
    assert amount(spec, params={"total_investment_threshold": ">30000000"}) == "0.00"
    assert amount(spec, params={"cap": None}) == "6000000.00"


def test_fixed_tiers_steps_choice_matching_band_and_no_formula():
    assert amount({"type": "fixed", "amount": "500000"}) == "500000.00"
    tiers = {"type": "tiers", "base": "total_investment",
             "tiers": [{"value": "10000000", "op": ">=", "amount": "100000"},
                       {"value": "30000000", "op": ">=", "amount": "300000"}]}  # fmt: skip
    assert amount(tiers) == "300000.00"
    assert amount(tiers, {"total_investment": "29999999"}) == "100000.00"
    steps = {"type": "steps", "base": "total_investment", "step": "10000000", "per_step": "20000",
             "cap": "50000", "threshold": ">=20000000"}  # fmt: skip
    assert amount(steps) == "50000.00"
    assert amount(steps, {"total_investment": "20000000"}) == "40000.00"
    assert amount(steps, {"total_investment": "19999999"}) == "0.00"
    pick = {
        "type": "choice",
        "fact": "level",
        "amounts": {"national": "2000000", "provincial": "1000000"},
    }
    assert amount(pick) == "2000000.00"
    assert amount(pick, {"level": "none"}) == "0.00"
    on_list = {
        "type": "choice",
        "fact": "titles",
        "pick": "max",
        "amounts": {"national": "1000000", "provincial": "500000"},
    }
    assert amount(on_list, {"titles": ["provincial", "national"]}) == "1000000.00"
    assert amount({**on_list, "pick": "sum"}, {"titles": ["provincial", "national"]}) == (
        "1500000.00"
    )
    assert amount({"type": "matching", "base": "grant"}, {"grant": "3000000"}) == "3000000.00"
    band = clause({"type": "band", "min": "20000", "max": "150000"}).calculate(BASE)
    assert (band.amount, band.floor, band.is_ceiling) == (150000, 20000, True)
    none = clause({"type": "no_formula", "note": "按照相关政策给予支持"}).calculate(BASE)
    assert (none.eligible, none.computable, none.to_dict()["amount"]) == (True, False, "0.00")


def test_per_item_percent_and_sum_and_max():
    items = {"type": "per_item_percent", "base": "suppliers", "rate": "1",
             "item_threshold": ">=5000000", "cap": "1000000"}  # fmt: skip
    assert amount(items, {"suppliers": ["5000000", "4999999", "1000000000"]}) == "1000000.00"
    assert amount(items, {"suppliers": ["5000000", "4999999"]}) == "50000.00"
    total = {"type": "sum", "cap": "250000", "items": [
        {"type": "fixed", "name": "a", "amount": "100000"},
        {"type": "fixed", "name": "b", "amount": "200000", "conditions": ["above_scale"]},
    ]}  # fmt: skip
    c = clause(total)
    assert {p.name for p in c.params} == {"cap", "a.amount", "b.amount"}
    assert c.combine == "sum"
    assert amount(total) == "250000.00"
    assert amount(total, {"above_scale": False}) == "100000.00"  # a sub-item's condition
    assert amount(total, params={"b.amount": "100000"}) == "200000.00"
    best = {"type": "max", "items": [{"type": "fixed", "amount": "1"},
                                     {"type": "fixed", "amount": "3"}]}  # fmt: skip
    assert amount(best) == "3.00"


def test_data_clause_validates_facts_like_a_class_clause():
    with pytest.raises(FactError) as info:
        clause({"type": "fixed", "amount": "1"}).calculate({**BASE, "above_scale": "yes"})
    assert info.value.code == "zzb-2022-99/3" and "above_scale" in info.value.errors


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "percentage", "base": "x"},
        {"type": "fixed"},
        {"type": "fixed", "amount": "abc"},
        {"type": "fixed", "amount": "1", "bogus": 1},
        {"type": "percent_capped", "base": "nope", "rate": "1"},
        {"type": "percent_capped", "base": "above_scale", "rate": "1"},
        {"type": "fixed", "amount": "1", "conditions": ["nope"]},
        {"type": "fixed", "amount": "1", "conditions": ["total_investment"]},
        {"type": "choice", "fact": "level", "amounts": {"galactic": "1"}},
        {"type": "no_formula"},
        {"type": "sum", "items": ["fixed"]},
    ],
)
def test_malformed_specs_fail_at_declaration(spec):
    with pytest.raises(SpecError):
        clause(spec)


def test_register_spec_makes_it_callable_through_calculate(isolated_registry):
    register_spec("zzb-2022-98/1", {"type": "fixed", "amount": "500000",
                                    "conditions": ["above_scale"]},
                  {**META, "article": "第1条"})  # fmt: skip
    assert calculate("zzb-2022-98/1", BASE).to_dict()["amount"] == "500000.00"
    with pytest.raises(SpecError):  # one code, one declaration
        register_spec("zzb-2022-98/1", {"type": "fixed", "amount": "1"}, META)


def test_registration_checks_class_declarations(isolated_registry):
    class NoDoc(Clause):
        code, article, title = "zzb-2022-98/2", "第2条", "无文档"

    with pytest.raises(SpecError):
        registry.register(NoDoc)

    class BadCode(Clause):
        """第2条：“……”"""

        code, article, title = "zzb 2022 98 2", "第2条", "坏编码"

    with pytest.raises(SpecError):
        registry.register(BadCode)


def test_unknown_meta_key_is_refused():
    with pytest.raises(SpecError):
        DataClause("zzb-2022-99/3", {"type": "fixed", "amount": "1"}, {**META, "titel": "x"})
