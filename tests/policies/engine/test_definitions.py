"""Clause definitions (policies/engine/definitions): compiled from data, validated with Chinese
messages naming the part, evaluated through the engine's blocks, rendered as sentences."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import pytest

from policies.engine import AwardResult, blocks
from policies.engine.definitions import (
    DefinitionError,
    clause_sentence,
    compile_definition,
    formula_text,
)
from policies.engine.definitions.numbers import NotANumber, money_words, parse_number
from policies.engine.result import Trace

GROWTH = {"growth": ["revenue_q1_2023", "revenue_q1_2022"], "label": "2023年一季度营业收入同比增长"}
BASE = {
    "code": "test-2023-1/2",
    "article": 2,
    "title": "一季度增产增效奖励",
    "quote": "对2023年第一季度营业收入同比增长10％以上的……每增加1000万元，奖励2万元，最高100万元。",
    "facts": [
        {"name": "revenue_q1_2023", "label": "2023年一季度营业收入", "type": "金额"},
        {"name": "revenue_q1_2022", "label": "2022年一季度营业收入", "type": "金额"},
    ],
    "when": [{"of": GROWTH, "op": "以上", "value": "10%"}],
    "formula": {
        "type": "steps",
        "label": "营业收入增量奖励",
        "of": {"increase": ["revenue_q1_2023", "revenue_q1_2022"]},
        "step": "1000万",
        "per_step": "2万",
        "cap": "100万",
    },
}


def _facts(current: str, previous: str = "100000000") -> dict:
    return {"revenue_q1_2023": current, "revenue_q1_2022": previous}


def _errors(definition: dict) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        compile_definition(definition)
    return caught.value.messages


def test_a_definition_computes_like_a_clause_and_says_so_in_chinese():
    clause = compile_definition(BASE)
    assert clause_sentence(clause) == (
        "2023年一季度营业收入同比增长≥10%的，每增加1000万元奖励2万元，最高100万元。"
    )
    result = clause.calculate(_facts("135000000"))
    assert isinstance(result, AwardResult)
    assert result.to_dict()["amount"] == "60000.00"
    assert result.reasons == ["2023年一季度营业收入同比增长为35%，达到10%"]
    assert result.steps[0].label.startswith(
        "营业收入增量奖励：35,000,000.00 元 ÷ 10,000,000.00 元 = 3个完整档"
    )
    assert clause.calculate(_facts("108000000")).to_dict()["amount"] == "0.00"
    # 6亿 increase: 60 steps × 2万 = 120万, capped at 100万
    assert clause.calculate(_facts("700000000")).amount == Decimal("1000000.00")


def test_growth_over_a_base_of_zero_is_not_met_and_says_why():
    result = compile_definition(BASE).calculate(_facts("5", "0"))
    assert not result.eligible
    assert "无法计算（上年同期为0，无法计算增速）" in result.reasons[0]


@pytest.mark.parametrize(
    ("op", "value", "met"),
    [
        ("以上", "10", True), ("达到", "10", True), ("不低于", "10", True),
        ("超过", "10", False), ("高于", "10", False), ("超过", "9.99", True),
        ("以下", "10", True), ("以内", "10", True), ("不超过", "10", True),
        ("不满", "10", False), ("低于", "10", False), ("低于", "10.01", True),
        ("等于", "10", True),
    ],
)  # fmt: skip
def test_comparison_words_follow_the_civil_code(op, value, met):
    """民法典 第1259条: 以上/以下/以内 include the number, 超过/不满/低于 exclude it."""
    definition = copy.deepcopy(BASE)
    definition["facts"] = BASE["facts"][:1]
    definition["when"] = [{"fact": "revenue_q1_2023", "op": op, "value": value}]
    definition["formula"] = {"type": "fixed", "amount": "1万"}
    result = compile_definition(definition).calculate(_facts("10"))
    assert result.eligible is met


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"when": [{"fact": "revenue_q1_2023", "op": "以上", "value": 1}, {"fact": "营业收入"}]},
            "适用条件：第2个条件：事实「营业收入」不存在（请先在“事实”中声明）",
        ),
        (
            {"when": [{"fact": "revenue_q1_2023", "op": "大于等于", "value": 1}]},
            "适用条件：第1个条件：比较词「大于等于」不认识",
        ),
        ({"formula": {"type": "magic"}}, "计算公式：计算块类型「magic」不认识"),
        ({"formula": {"type": "percent", "of": "revenue_q1_2023"}}, "计算公式：按比例块缺少：比例"),
        (
            {"formula": {"type": "percent", "of": "revenue_q1_2023", "rate": "三十"}},
            "计算公式：比例应为数字",
        ),
        (
            {"formula": {"type": "sum", "parts": [{"type": "fixed", "amount": 1}, {"type": "x"}]}},
            "计算公式：第2项：计算块类型「x」不认识",
        ),
        ({"code": "第二条"}, "条款编码「第二条」格式应为"),
        (
            {"facts": [{"name": "Revenue", "label": "营收", "type": "金额"}]},
            "第1个事实：名称「Revenue」",
        ),
        (
            {"facts": [{"name": "r", "label": "营收", "type": "钱"}]},
            "第1个事实「营收」：类型「钱」不认识",
        ),
        ({"quote": ""}, "请填写原文引用"),
        # a value of the wrong type is a message too, never a Python error (found by fuzzing)
        ({"formula": {"type": ["percent"]}}, "计算公式：计算块类型「['percent']」不认识"),
        (
            {"formula": {"type": "percent", "of": "revenue_q1_2023", "rate": None}},
            "计算公式：按比例块缺少：比例",
        ),
        ({"combine": ["sum"]}, "combine（各项如何合并）应为"),
        ({"stacking": {"paid_per": ["year"]}}, "叠加与兑现：兑现频次（paid_per）应为"),
        ({"stacking": {"subject": {"a": 1}}}, "叠加与兑现：申报对象（subject）应为"),
        (
            {
                "when": [
                    {
                        "of": {"sum": ["revenue_q1_2023"], "label": {"x": 1}},
                        "op": "以上",
                        "value": 1,
                    }
                ]
            },
            "适用条件：第1个条件：计算式的名称（label）应为文字",
        ),
        (
            {"caps": {"per_period_items": {"part_cap": {"cap": "1万", "items": 5}}}},
            "per_period_items 的「part_cap」应写",
        ),
    ],
)
def test_an_invalid_definition_is_refused_with_chinese_messages_naming_the_part(change, message):
    messages = _errors({**copy.deepcopy(BASE), **change})
    assert any(m.startswith(message) for m in messages), messages


def test_a_fact_used_nowhere_is_refused():
    definition = copy.deepcopy(BASE)
    definition["facts"].append({"name": "spare", "label": "多余的数", "type": "金额"})
    assert _errors(definition) == ["事实「多余的数」没有用在条件或公式中"]


def test_a_definition_whose_test_case_fails_is_refused():
    definition = {
        **copy.deepcopy(BASE),
        "tests": [{"facts": _facts("135000000"), "amount": "70000", "why": "示例"}],
    }
    assert _errors(definition) == ["第1个测试用例（示例）：应得70000.00元，按定义算得60000.00元"]


def test_nothing_in_a_definition_runs_as_code(tmp_path):
    """Text in a definition is data: a Python expression is a name that does not exist."""
    marker = tmp_path / "ran"
    attack = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    definition = copy.deepcopy(BASE)
    definition["when"] = [{"fact": attack}, {"fact": "revenue_q1_2023", "op": attack, "value": 1}]
    messages = _errors(definition)
    assert len(messages) == 2 and not marker.exists()
    source = Path(__file__).resolve().parents[3] / "policies" / "engine" / "definitions"
    for path in source.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(eval|exec|compile|__import__)\(", text), path


def test_any_and_not_conditions_explain_themselves():
    definition = {
        **copy.deepcopy(BASE),
        "facts": [
            {"name": "hte", "label": "高新技术企业", "type": "是否", "required": False},
            {"name": "tsme", "label": "科技型中小企业", "type": "是否", "required": False},
            {"name": "banned", "label": "列入失信名单", "type": "是否", "required": False},
        ],
        "when": [{"any": ["hte", "tsme"]}, {"not": "banned"}],
        "formula": {"type": "fixed", "amount": "20万"},
    }
    clause = compile_definition(definition)
    assert clause_sentence(clause) == (
        "（高新技术企业，或科技型中小企业），且不满足“列入失信名单”的，给予20万元奖励。"
    )
    assert clause.calculate({"tsme": True}).amount == Decimal("200000.00")
    refused = clause.calculate({"hte": True, "banned": True})
    assert not refused.eligible and "不满足：列入失信名单：是" in refused.reasons
    none = clause.calculate({})
    assert none.reasons[0].startswith("以下条件均不满足：")


def test_a_rate_band_is_a_ceiling_with_its_floor():
    definition = {
        **copy.deepcopy(BASE),
        "when": [],
        "formula": {
            "type": "percent",
            "of": "revenue_q1_2023",
            "min_rate": 3,
            "rate": 5,
            "cap": "500万",
        },
        "facts": BASE["facts"][:1],
    }
    body = compile_definition(definition).calculate({"revenue_q1_2023": "120000000"}).to_dict()
    assert (body["amount"], body["floor"], body["is_ceiling"]) == ("5000000.00", "3600000.00", True)


def test_per_item_block_caps_each_item_and_counts_at_most_n():
    t = Trace()
    items = [Decimal(20000)] * 6 + [Decimal(1000)]
    assert blocks.per_item_capped(t, "线上展会", items, Decimal(50), Decimal(8000), 5) == 40000
    assert blocks.per_unit(Trace(), "学徒", Decimal(3), Decimal(5000)) == 15000


def test_numbers_as_an_officer_writes_them():
    assert parse_number("1000万") == Decimal(10_000_000)
    assert parse_number("1.5亿元") == Decimal(150_000_000)
    assert parse_number("30%") == Decimal(30)
    assert parse_number(200000) == Decimal(200000)
    for bad in ("-1", "三十", True, None, "1e999999"):
        with pytest.raises(NotANumber):
            parse_number(bad)
    assert money_words(Decimal(10_000_000)) == "1000万元"
    assert money_words(Decimal(8000)) == "8000元"
    assert money_words(Decimal(150_000_000)) == "1.5亿元"


def test_parts_render_with_their_own_conditions():
    definition = {
        **copy.deepcopy(BASE),
        "when": [],
        "formula": {
            "type": "highest",
            "label": "满负荷奖励",
            "parts": [
                {"type": "fixed", "amount": "10万"},
                {
                    "type": "fixed",
                    "amount": "20万",
                    "when": [{"of": GROWTH, "op": "以上", "value": 10}],
                },
            ],
        },
    }
    clause = compile_definition(definition)
    assert formula_text(clause.formula) == (
        "就高取一项：给予10万元奖励；2023年一季度营业收入同比增长≥10%的，给予20万元奖励"
    )
    assert clause.calculate(_facts("110000000")).amount == Decimal("200000.00")
    assert clause.calculate(_facts("109999999.99")).amount == Decimal("100000.00")


def _with(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.pop("tests", None)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ({"type": "first_over", "of": "revenue_q1_2023", "levels": [{"value": 1, "amount": 1}]},
         "首次超过块缺少：历年最高"),
        ({"type": "first_over", "of": "revenue_q1_2023", "best": "revenue_q1_2022",
          "levels": [{"value": 1, "amount": 1}], "repeat": {"from": 1}}, "台阶（repeat）应写"),
        ({"type": "choose", "cases": [{"then": {"type": "fixed", "amount": 1}}],
          "else": {"type": "fixed", "amount": 1}}, "第1种情形：每种情形应写 when（条件）和 then（算法）"),
        ({"type": "fixed", "amount": 1, "say": "营业收入{revenue_2099}"},
         "文字中的「{revenue_2099}」不是已声明的事实"),
        ({"type": "interest", "of": "revenue_q1_2023", "loan_rate": "revenue_q1_2022"},
         "loan_rate（贷款利率）和 rate_cap（利率上限，如LPR）应同时填写"),
        ({"type": "fixed", "amount": 1, "need": {"nothing": "为什么"}}, "need 应为"),
    ],
)  # fmt: skip
def test_the_blocks_added_for_the_library_are_validated_in_chinese(formula, message):
    with pytest.raises(DefinitionError) as exc:
        compile_definition(_with(formula=formula, when=[]))
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_first_over_pays_each_level_first_crossed_and_the_steps_above():
    clause = compile_definition(_with(when=[], formula={
        "type": "first_over", "label": "年主营业务收入", "of": "revenue_q1_2023",
        "best": "revenue_q1_2022",
        "levels": [{"op": "超过", "value": "50亿", "amount": "200万"},
                   {"op": "超过", "value": "100亿", "amount": "400万"}],
        "repeat": {"from": "100亿", "step": "50亿", "amount": "200万"},
    }))  # fmt: skip
    # from 40亿 (best earlier year) to 200亿: both levels first crossed, and 2 steps of 50亿
    result = clause.calculate({"revenue_q1_2023": "20000000000", "revenue_q1_2022": "4000000000"})
    assert result.amount == Decimal("10000000")
    # exactly 50亿 is not 超过 50亿
    assert not clause.calculate({"revenue_q1_2023": "5000000000", "revenue_q1_2022": "0"}).eligible
    assert "首次超过50亿元、100亿元的，分别奖励200万元、400万元" in clause.rule_text


def test_a_sentence_shows_fact_values_as_the_trace_does():
    clause = compile_definition(_with(formula={
        "type": "fixed", "amount": "1万", "say": "一季度营业收入{revenue_q1_2023}，上年{revenue_q1_2022|元}"
    }))  # fmt: skip
    result = clause.calculate({"revenue_q1_2023": "12000000", "revenue_q1_2022": "1000000"})
    assert "一季度营业收入12,000,000.00 元，上年1,000,000.00 元" in result.reasons


def test_a_condition_for_some_cases_only_is_not_looked_at_in_the_others():
    data = _with(formula={"type": "fixed", "amount": "1万"}, when=[
        {"if": [{"fact": "revenue_q1_2022", "op": "超过", "value": "100万"}],
         "fact": "revenue_q1_2023", "op": "以上", "value": "1000万", "unmet": "大企业须达到1000万元"},
    ])  # fmt: skip
    clause = compile_definition(data)
    small = clause.calculate({"revenue_q1_2023": "10", "revenue_q1_2022": "10"})
    big = clause.calculate({"revenue_q1_2023": "10", "revenue_q1_2022": "2000000"})
    assert small.eligible and not big.eligible
    assert "大企业须达到1000万元" in big.reasons
    assert "（其中2022年一季度营业收入>100万元的，" in clause.rule_text


PARAMETERISED = {
    "code": "test-2023-1/3", "article": 3, "title": "设备投资补助",
    "quote": "营业收入5000万元以上的企业，按设备投资的10%给予补助，最高100万元。",
    "params": [
        {"name": "rate", "label": "比例（%）", "kind": "percent", "default": "10"},
        {"name": "cap", "label": "最高金额（空为不设上限）", "kind": "cap", "default": "1000000"},
        {"name": "revenue_threshold", "label": "营业收入门槛", "kind": "threshold",
         "default": {"value": "50000000", "op": ">="}, "unit": "元"},
    ],
    "facts": [
        {"name": "revenue", "label": "营业收入", "type": "金额"},
        {"name": "investment", "label": "设备投资", "type": "金额"},
    ],
    "when": [{"fact": "revenue", "threshold": {"param": "revenue_threshold"}}],
    "formula": {"type": "percent", "of": "investment", "rate": {"param": "rate"},
                "cap": {"param": "cap"}},
    "caps": {"per_year": {"param": "cap"}},
}  # fmt: skip
FIGURES = {"revenue": "50000000", "investment": "20000000"}


def test_a_definitions_numbers_declared_as_parameters_follow_a_rule_versions_values():
    clause = compile_definition(PARAMETERISED)
    assert [p.name for p in clause.params] == ["rate", "cap", "revenue_threshold"]
    assert clause.annual_cap_param == "cap"  # the yearly cap is that parameter, not a new one
    result = clause.calculate(FIGURES)  # defaults: 10% of 2000万 = 200万, capped at 100万
    assert result.amount == Decimal("1000000.00")
    assert result.reasons[0] == "营业收入为50,000,000.00 元，达到50,000,000.00 元"
    stricter = {"revenue_threshold": {"value": "50000000", "op": ">"}, "rate": "3"}
    refused = clause.calculate(FIGURES, stricter)  # 超过: exactly 5000万 is not over it
    assert not refused.eligible
    assert refused.reasons[0] == "营业收入为50,000,000.00 元，未超过50,000,000.00 元"
    uncapped = clause.calculate(FIGURES, {"cap": None, "rate": "12.5"})  # 不设上限
    assert uncapped.amount == Decimal("2500000.00")
    assert clause.calculate(FIGURES, {"cap": None, "rate": "12.5"}).amount == uncapped.amount
    assert len(clause._variants) == 2  # compiled once per distinct set of values
    assert clause.calculate(FIGURES).amount == Decimal("1000000.00")  # the defaults unchanged


@pytest.mark.parametrize(
    "change, message",
    [
        ({"formula": {"type": "percent", "of": "investment", "rate": {"param": "share"}}},
         "引用了未声明的可调整数字：share"),
        ({"params": [{"name": "rate", "label": "比例", "kind": "money-ish", "default": "1"}]},
         "第1个可调整的数字「rate」：种类应为"),
        ({"params": [{"name": "rate", "label": "比例", "kind": "percent", "default": "十"}]},
         "第1个可调整的数字「rate」：默认值"),
        ({"params": "rate"}, "可调整的数字（params）应为列表"),
    ],
)  # fmt: skip
def test_parameters_that_do_not_validate_are_refused_in_chinese(change, message):
    messages = _errors({**copy.deepcopy(PARAMETERISED), **change})
    assert any(m.startswith(message) for m in messages), messages
