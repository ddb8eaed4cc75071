"""Award integrity of single calculations (issue #16 items 1, 2, 4): the policy's words fix the
comparison (民法典 第1259条), missing history never raises an award, one rounding at the end,
and no magnitude ever reaches a traceback."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies import engine
from policies.golden import golden_cases

GOLDEN = golden_cases()


def amount(code: str, facts: dict) -> str:
    return engine.calculate(code, facts).to_dict()["amount"]


# -- 1. 首次超过 / 超过 exclude the number ------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "facts", "expected"),
    [
        # The three examples: exactly at the number is not 超过.
        (
            "zz-2023-23/5",
            {"industrial": True, "revenue_year": "5000000000", "revenue_best_before": "4000000000"},
            "0.00",
        ),
        (
            "zz-2023-23/6",
            {
                "industrial": True,
                "revenue_year": "500000000",
                "revenue_best_before": "0",
                "sei_revenue_share_pct": 60,
            },
            "0.00",
        ),
        (
            "zzb-2022-53/6",
            {
                "parts_enterprise": True,
                "revenue_year": "200000000",
                "revenue_best_before": "100000000",
                "revenue_prev_year": "100000000",
            },
            "0.00",
        ),
        # One fen above is 超过.
        (
            "zz-2023-23/5",
            {
                "industrial": True,
                "revenue_year": "5000000000.01",
                "revenue_best_before": "4000000000",
            },
            "2000000.00",
        ),
        # A best earlier year exactly at the number had not exceeded it.
        (
            "zzb-2022-53/6",
            {
                "parts_enterprise": True,
                "revenue_year": "250000000",
                "revenue_best_before": "200000000",
                "revenue_prev_year": "200000000",
            },
            "300000.00",
        ),
        # A step (每上一个台阶) counts when reached: 150亿 exactly, best earlier 100亿零1分.
        (
            "zz-2023-23/5",
            {
                "industrial": True,
                "revenue_year": "15000000000",
                "revenue_best_before": "10000000000.01",
            },
            "2000000.00",
        ),
    ],
)
def test_exceeds_excludes_the_number_and_steps_count_when_reached(code, facts, expected):
    assert amount(code, facts) == expected


def test_every_threshold_operator_matches_its_words():
    """Thresholds whose label says 超过 are strict; a few named ones are checked by value."""
    strict = {
        ("zz-2023-23/5", "levels"),
        ("zz-2023-23/6", "levels"),
        ("zzb-2022-53/6", "first_threshold"),
        ("zzb-2022-52/1", "sales_levels"),
        ("zzb-2022-52/2", "vbp_threshold"),
        ("zz-2023-23/20", "exhibition_min"),
        ("zzw-2022-155/6", "exports_threshold"),
        ("zzw-2022-155/6", "growth"),
        ("zzb-2022-53/2", "units_threshold"),
        ("zzb-2022-53/3", "commercial_units"),
        ("zzb-2022-57/1", "large_revenue"),
    }
    for code, name in strict:
        spec = next(p for p in engine.get_clause(code).params if p.name == name)
        value = spec.default
        ops = {t.threshold.op for t in value} if isinstance(value, tuple) else {value.op}
        assert ops == {">"}, (code, name, ops)
    for clause in engine.all_clauses():
        for spec in clause.params:
            if spec.kind == "threshold" and "超过" in spec.label:
                assert spec.default.op == ">", (clause.code, spec.name)


# -- 2. Missing history never raises an award --------------------------------------------------
def test_53_6_without_the_previous_year_is_an_error_not_growth_from_zero():
    facts = {
        "parts_enterprise": True,
        "revenue_year": "400000000",
        "revenue_best_before": "300000000",
    }
    with pytest.raises(engine.FactError) as caught:
        engine.calculate("zzb-2022-53/6", facts)
    assert "revenue_prev_year" in caught.value.errors
    assert "上年度销售收入" in caught.value.message
    # Given, it is the growth over the previous year.
    assert amount("zzb-2022-53/6", {**facts, "revenue_prev_year": "300000000"}) == "400000.00"


@pytest.mark.parametrize(
    ("code", "facts", "missing"),
    [
        (
            "zzb-2022-56/1",
            {"tech_transfer_project": True, "equipment_software_investment_to_date": "30000000"},
            "already_funded",
        ),
        (
            "zzb-2022-51/2",
            {
                "new_product_industrialised": True,
                "earlier_sales_award": True,
                "product_sales_year": "300000000",
            },
            "product_sales_prev_year",
        ),
        (
            "zzb-2022-52/1",
            {"product_sales_year": "550000000"},
            "product_sales_best_before",
        ),
        (
            "zzb-2022-52/2",
            {"mah_local_contract_manufacturing": True, "product_sales_year": "300000000"},
            "product_sales_prev_year",
        ),
        (
            "zzb-2022-56/7",
            {"catalogue_product": True, "product_sales_year": "350000000"},
            "product_sales_best_before",
        ),
        (
            "zzb-2022-56/8",
            {"catalogue_product": True, "product_sales_year": "120000000"},
            "product_sales_best_before",
        ),
        (
            "zz-2023-23/1",
            {"manufacturing": True, "china500_rank": 120},
            "china500_best_rank_before",
        ),
        (
            "zz-2023-23/15",
            {"title": "national_demo_factory"},
            "previous_titles",
        ),
        (
            "zzw-2022-155/7",
            {"above_scale": True, "manufacturing": True, "revenue_h1_2023": "300000000"},
            "revenue_h1_2022",
        ),
    ],
)
def test_history_a_branch_reads_must_be_given(code, facts, missing):
    with pytest.raises(engine.FactError) as caught:
        engine.calculate(code, facts)
    assert missing in caught.value.errors


def test_no_rank_before_is_said_with_null_or_wu():
    facts = {"manufacturing": True, "china500_rank": 120}
    assert amount("zz-2023-23/1", {**facts, "china500_best_rank_before": None}) == "10000000.00"
    assert amount("zz-2023-23/1", {**facts, "china500_best_rank_before": "无"}) == "10000000.00"


def _optional_given(case: dict) -> list[str]:
    clause = engine.get_clause(case["clause"])
    return [s.name for s in clause.facts if not s.required and s.name in case["facts"]]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(GOLDEN), st.data())
def test_removing_optional_facts_never_raises_an_award(case, data):
    """Property: leave out any subset of the optional facts a golden case gives: the result is
    a clear error or an amount no larger than with them."""
    full = engine.calculate(case["clause"], case["facts"]).amount
    given_optional = _optional_given(case)
    drop = (
        data.draw(st.lists(st.sampled_from(given_optional), unique=True)) if given_optional else []
    )
    facts = {k: v for k, v in case["facts"].items() if k not in drop}
    try:
        less = engine.calculate(case["clause"], facts).amount
    except engine.FactError:
        return
    assert less <= full, (case["clause"], drop, case.get("why"))


def test_removing_each_optional_fact_of_every_golden_case():
    """The exhaustive one-fact version of the property above, over every golden case."""
    raised = []
    for case in GOLDEN:
        full = engine.calculate(case["clause"], case["facts"]).amount
        for name in _optional_given(case):
            facts = {k: v for k, v in case["facts"].items() if k != name}
            try:
                less = engine.calculate(case["clause"], facts).amount
            except engine.FactError:
                continue
            if less > full:
                raised.append((case["clause"], name, case.get("why")))
    assert raised == []


# -- 4. Arithmetic ------------------------------------------------------------------------------
def test_interest_subsidy_is_rounded_once_at_the_end():
    """200.01 at 4 % against a 2 % benchmark: 200.01 × 2/4 × 50 % = 50.0025 → 50.00 (the old
    code rounded 100.005 → 100.01 first and paid 50.01)."""
    facts = {
        "nev_maker_special_financing": True,
        "interest_paid": "200.01",
        "loan_rate_pct": 4,
        "benchmark_rate_pct": 2,
    }
    assert amount("zzb-2022-53/13", facts) == "50.00"


def test_amounts_are_whole_fen_half_up():
    result = engine.calculate(
        "zzw-2022-155/7",
        {
            "above_scale": True,
            "manufacturing": True,
            "revenue_h1_2023": "150000001.50",
            "revenue_h1_2022": "100000000",
        },
    )
    assert result.amount == Decimal("500000.02")  # 500000.015 half up, once


NUMERIC_KINDS = {"money", "percent", "area", "kwh", "int", "rank", "money_list"}


@pytest.mark.parametrize("huge", ["1e30", "1e40", "1e999999", "9" * 40])
def test_absurd_magnitudes_are_clear_errors_in_every_clause(huge):
    """Every numeric fact of every clause, set absurdly large in a golden case (or alone):
    a FactError naming the fact, never InvalidOperation or another traceback."""
    seeds = {c["clause"]: c["facts"] for c in GOLDEN}
    for clause in engine.all_clauses():
        base = seeds.get(clause.code, {})
        for spec in clause.facts:
            if spec.kind not in NUMERIC_KINDS:
                continue
            value = [huge] if spec.kind == "money_list" else huge
            try:
                engine.calculate(clause.code, {**base, spec.name: value})
            except engine.FactError as exc:
                if spec.name in exc.errors:
                    assert "过大" in exc.errors[spec.name] or "整数" in exc.errors[spec.name]
