"""The named block ``heads_once`` (郑政〔2022〕17号第4条（二）（三）): two per-head amounts one
person cannot both have. Beyond the golden cases, the input errors and the cases only the class
tells apart, compared with the class the seed file's definition replaced."""

from __future__ import annotations

import pytest

from policies.engine import FactError, class_clause, get_clause
from policies.engine.definitions import DefinitionError, compile_definition

CODE = "zz-2022-17/4"
FACTS = [
    {"unit_size": "sme", "absorbed_graduates": 10, "expansion_graduates": 8, "graduates_in_both": 9},
    {"absorbed_graduates": 10},  # 单位规模 is needed
    {"unit_size": "sme", "absorbed_graduates": 10, "expansion_graduates": 8},  # overlap needed
    {"unit_size": "large", "absorbed_graduates": 10, "expansion_graduates": 8},  # （二）不计
    {"unit_size": "large", "absorbed_graduates": 10},  # nothing counted: ineligible
    {"fresh_graduates_hired": 40, "unit_size": "large", "absorbed_graduates": 10,
     "expansion_graduates": 8, "graduates_in_both": 20},  # 不计: the overlap is not asked
    {"fresh_graduates_hired": 51, "unit_size": "sme", "absorbed_graduates": 3,
     "expansion_graduates": 5, "graduates_in_both": 3},
]  # fmt: skip


def _outcome(clause, facts):
    try:
        result = clause.calculate(facts)
    except FactError as exc:
        return "FactError", exc.errors
    return result.to_dict(), result.parts


@pytest.mark.parametrize("facts", FACTS)
def test_the_definition_says_and_refuses_what_the_class_did(facts):
    assert _outcome(get_clause(CODE), facts) == _outcome(class_clause(CODE), facts)


def test_an_overlap_larger_than_either_count_is_an_input_error_naming_it():
    with pytest.raises(FactError) as exc:
        get_clause(CODE).calculate(FACTS[0])
    assert exc.value.errors == {
        "graduates_in_both": "「同时计入两项的毕业生人数」9人，不能多于任一项的人数（8人）"
    }


def test_the_block_takes_exactly_two_items_of_integer_facts():
    definition = {
        "code": "tst-2026-1/1", "article": 1, "title": "t", "quote": "q",
        "facts": [{"name": "a", "label": "甲", "type": "整数"}, {"name": "b", "label": "乙", "type": "金额"}],
        "formula": {"type": "heads_once", "both": "a",
                    "items": [{"count": "b", "amount": 1, "label": "x"}]},
    }  # fmt: skip
    with pytest.raises(DefinitionError) as exc:
        compile_definition(definition)
    assert "items 应为两项" in "；".join(exc.value.messages)
