"""Golden cases (policies/golden/*.yaml), worked by hand from the policy texts, run
through ``calculate()``; and a guard that every registered clause has its cases."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from policies.engine import calculate, clause_codes, get_clause

GOLDEN_DIR = Path(__file__).resolve().parents[3] / "policies" / "golden"
KINDS = {"eligible", "ineligible", "boundary"}


def _load() -> list[dict]:
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, case in enumerate(data.get("cases", []), start=1):
            cases.append({**case, "_id": f"{path.stem}#{i}:{case.get('clause')}"})
    return cases


CASES = _load()


@pytest.mark.parametrize("case", CASES, ids=[c["_id"] for c in CASES])
def test_golden_case(case):
    result = calculate(case["clause"], case["facts"], params=case.get("params"))
    body = result.to_dict()
    assert body["amount"] == case["amount"], (case["why"], body["steps"], body["reasons"])
    assert body["eligible"] is case["eligible"], (case["why"], body["reasons"])
    assert isinstance(result.amount, Decimal)
    assert result.amount == result.amount.quantize(Decimal("0.01"))
    assert body["reasons"], "every result explains itself"
    for key in ("is_ceiling", "computable"):
        if key in case:
            assert body[key] is case[key], key
    if "floor" in case:
        assert body["floor"] == case["floor"]


@pytest.mark.parametrize("case", CASES, ids=[c["_id"] for c in CASES])
def test_golden_case_is_documented(case):
    assert case.get("kind") in KINDS, "kind: eligible / ineligible / boundary"
    assert case.get("why"), "why: the reason for the expected amount"
    article = case.get("article", "")
    number = case["clause"].rsplit("/", 1)[1]
    assert re.search(rf"第{number}条", article), f"article: must cite 第{number}条"
    assert case["clause"] in clause_codes(), "the case's clause must be registered"
    assert re.fullmatch(r"\d+\.\d{2}", case["amount"])


COUNTS = Counter(c["clause"] for c in CASES)
KINDS_BY_CLAUSE: dict[str, set[str]] = {}
for _case in CASES:
    KINDS_BY_CLAUSE.setdefault(_case["clause"], set()).add(_case.get("kind"))


@pytest.mark.parametrize("code", clause_codes())
def test_every_clause_has_golden_cases(code):
    """A new clause without golden cases fails here: at least 3, and at least one eligible,
    one ineligible and one exactly at a threshold or cap (kind: boundary)."""
    assert COUNTS[code] >= 3, f"{code}: {COUNTS[code]} golden case(s), need ≥ 3"
    missing = KINDS - KINDS_BY_CLAUSE.get(code, set())
    assert not missing, f"{code}: no golden case of kind {sorted(missing)}"


@pytest.mark.parametrize("code", clause_codes())
def test_every_clause_has_an_eligible_and_an_ineligible_result(code):
    results = {c["eligible"] for c in CASES if c["clause"] == code}
    assert results == {True, False}, f"{code}: golden cases must show both outcomes"


CONTRACT_EXAMPLES = [
    ("zzw-2022-155/2", {"above_scale": True, "manufacturing": True,
                        "revenue_q1_2023": "135000000", "revenue_q1_2022": "100000000"}, "60000.00"),
    ("zzw-2022-155/2", {"above_scale": True, "manufacturing": True,
                        "revenue_q1_2023": "108000000", "revenue_q1_2022": "100000000"}, "0.00"),
    ("zzw-2022-155/5", {"signed_and_started_q1_2023": True, "contract_investment": "1200000000"},
     "300000.00"),
    ("zz-2023-23/5", {"industrial": True, "revenue_year": "11000000000",
                      "revenue_best_before": "4000000000"}, "6000000.00"),
    ("zz-2023-23/15", {"title": "national_demo_factory",
                       "previous_titles": ["provincial_smart_factory"]}, "2500000.00"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "facts", "amount"), CONTRACT_EXAMPLES)
def test_contract_worked_examples_are_golden_cases(code, facts, amount):
    assert calculate(code, facts).to_dict()["amount"] == amount
    assert any(c["clause"] == code and c["facts"] == facts for c in CASES)


def test_golden_amounts_are_strings_not_floats():
    for case in CASES:
        assert isinstance(case["amount"], str), case["_id"]
        for value in case["facts"].values():
            assert not isinstance(value, float), case["_id"]


def test_clause_meta_is_consistent_with_golden_ceiling_flags():
    for case in CASES:
        if case.get("is_ceiling"):
            result = calculate(case["clause"], case["facts"], params=case.get("params"))
            assert result.is_ceiling or get_clause(case["clause"]).is_ceiling
