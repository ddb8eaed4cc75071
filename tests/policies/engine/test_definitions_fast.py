"""The closures ``freeze`` puts on a definition's quantities and conditions give what the generic
tree walk gives (``Quantity.evaluate`` / ``Condition.holds`` of the class), node by node, on
every golden case of every clause written as a definition and every worked case of the Henan
definitions shipped as data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from policies.engine import EngineError, spec_clause, spec_codes
from policies.engine.definitions import compile_definition
from policies.engine.definitions.fast import freeze_condition
from policies.engine.definitions.from_spec import spec_to_definition
from policies.engine.definitions.logic import Condition, Quantity
from policies.engine.library import library_definitions
from policies.golden import golden_cases

HERE = Path(__file__).parent
DATA = Path(__file__).parents[3] / "policies" / "data" / "defined"


def _definitions() -> list[tuple[dict, list[dict]]]:
    """(definition, facts of its worked cases) for every definition the library has."""
    out = []
    for code in spec_codes():
        clause = spec_clause(code)
        out.append((spec_to_definition(clause), [c["facts"] for c in golden_cases(code)]))
        out.append(
            (spec_to_definition(clause, parameters=True), [c["facts"] for c in golden_cases(code)])
        )
    for d in library_definitions():  # the seed policies' files
        out.append((d, [c["facts"] for c in golden_cases(d["code"])]))
    for path in sorted(DATA.glob("*.yaml")):
        policy = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in policy.get("clauses") or []:  # as ``policies.importing`` builds it
            d = {"code": item["code"], "article": item["article"], "title": item["title"],
                 **item["definition"]}  # fmt: skip
            out.append((d, [t["facts"] for t in d.get("tests") or []]))
    return out


DEFINITIONS = _definitions()


def _nodes(clause) -> tuple[list[Condition], list[Quantity]]:
    conditions: list[Condition] = []
    quantities: list[Quantity] = []

    def cond(c: Condition) -> None:
        conditions.append(c)
        for q in (c.left, c.right):
            if q is not None:
                qty(q)
        for child in [*c.children, *c.applies]:
            cond(child)

    def qty(q: Quantity) -> None:
        quantities.append(q)
        for a in q.args:
            qty(a)

    for c in clause.when:
        cond(c)
    for node in clause.formula.walk():
        for c in node.own_conditions():
            cond(c)
        for q in node.own_quantities():
            qty(q)
    return conditions, quantities


def test_every_library_definition_is_checked():
    assert len(DEFINITIONS) >= 130  # 109 copies of the classes and the Henan clauses


@pytest.mark.parametrize("definition, cases", DEFINITIONS, ids=[d["code"] for d, _ in DEFINITIONS])
def test_frozen_closures_equal_the_tree_walk(definition, cases):
    clause = compile_definition(definition, run_tests=False)
    conditions, quantities = _nodes(clause)
    assert all("holds" in c.__dict__ for c in conditions)  # every one of them frozen
    assert all("evaluate" in q.__dict__ for q in quantities)
    compared = 0
    for raw in cases:
        try:
            f = clause.parse_facts(raw)
        except EngineError:  # a case of refused facts: nothing to evaluate
            continue
        for c in conditions:
            try:
                walked = Condition.holds(c, f)
            except (KeyError, TypeError, ArithmeticError, ValueError):
                continue  # a part the facts do not reach (the clause never asks it then)
            assert c.holds(f) is walked, (definition["code"], c.kind)
            compared += 1
        for q in quantities:
            try:
                walked_value = Quantity.evaluate(q, f)
            except (KeyError, TypeError, ArithmeticError, ValueError):
                continue
            assert q.evaluate(f) == walked_value, (definition["code"], q.kind, q.label)
            compared += 1
    assert compared or not cases or not (conditions or quantities)


def test_a_growth_over_a_base_of_zero_or_a_missing_figure_is_not_a_number():
    d = {
        "code": "t-2026-1/1", "article": 1, "title": "增长奖励", "quote": "同比增长10%以上的，奖励1万元",
        "facts": [
            {"name": "now", "label": "本年营业收入", "type": "金额"},
            {"name": "before", "label": "上年营业收入", "type": "金额"},
        ],
        "when": [{"growth_check": ["now", "before"], "label": "营业收入", "op": "以上", "value": 10}],
        "formula": {"type": "fixed", "amount": "1万"},
    }  # fmt: skip
    clause = compile_definition(d)
    (growth,) = clause.when
    for now, before, holds in (("110", "100", True), ("109.99", "100", False), ("5", "0", False)):
        f = clause.parse_facts({"now": now, "before": before})
        assert growth.holds(f) is holds is Condition.holds(growth, f)
    assert growth.left.evaluate(clause.parse_facts({"now": "110", "before": "100"})) == Decimal(10)
    assert freeze_condition(growth) is growth.holds  # frozen once


BASE = {
    "code": "t-2026-1/1", "article": 1, "title": "测试", "quote": "原文",
    "facts": [{"name": "ok", "label": "符合条件", "type": "是否"},
              {"name": "rev", "label": "营业收入", "type": "金额"}],
    "formula": {"type": "fixed", "amount": "1万"},
}  # fmt: skip


@pytest.mark.parametrize("levels", [5000, 31])
def test_nesting_past_thirty_levels_is_refused_in_chinese_not_a_recursion_error(levels):
    from policies.engine.definitions import DefinitionError

    cond: dict = {"fact": "ok"}
    for _ in range(levels):
        cond = {"not": cond}
    with pytest.raises(DefinitionError) as refused:
        compile_definition({**BASE, "when": [cond, {"fact": "rev", "op": "以上", "value": 1}]})
    assert refused.value.messages == [
        "适用条件：第1个条件：条件、计算式或计算块嵌套超过30层，请简化"
    ]
    cond = {"fact": "ok"}
    for _ in range(28):
        cond = {"not": cond}
    compile_definition({**BASE, "when": [cond, {"fact": "rev", "op": "以上", "value": 1}]})


def test_numbers_typed_with_full_width_digits_are_read_as_the_digits():
    when = ["ok", {"fact": "rev", "op": "以上", "value": "１，０００万"}]
    clause = compile_definition({**BASE, "when": when})
    assert clause.when[1].right.value == Decimal(10_000_000)
    assert clause.calculate({"ok": True, "rev": "10000000"}).amount == Decimal("10000.00")
    assert not clause.calculate({"ok": True, "rev": "9999999.99"}).eligible
