"""A definition's words as officers and enterprises read them (the studio, the library, the
trace): each figure named once, where the sentence or the step is about it."""

from __future__ import annotations

import pytest

from policies.engine.definitions import clause_sentence, compile_definition

REVENUE = [
    {"name": "revenue", "label": "本年营业收入", "type": "金额"},
    {"name": "revenue_prev", "label": "上年营业收入", "type": "金额"},
]
GROWTH = {"growth": ["revenue", "revenue_prev"], "label": "营业收入同比增速"}


def _clause(formula: dict, when: list | None = None, facts: list | None = None):
    return compile_definition({
        "code": "test-2026-1/1", "article": 1, "title": "t", "quote": "q",
        "facts": REVENUE if facts is None else facts, "when": when or [], "formula": formula,
    })  # fmt: skip


def _growth_steps(**changes) -> dict:
    return {"type": "growth_steps", "of": GROWTH, "above": 10, "points": 1, "per_step": "5万",
            "cap": "300万"} | changes  # fmt: skip


@pytest.mark.parametrize(("op", "words"), [("达到", "达到"), ("以上", "达到"), ("超过", "超过")])
def test_growth_steps_say_where_they_start_once(op, words):
    when = [{"growth_check": ["revenue", "revenue_prev"], "label": "营业收入", "op": op,
             "value": 10}]  # fmt: skip
    assert clause_sentence(_clause(_growth_steps(), when)) == (
        f"营业收入同比增速{words}10%的，每增加1个百分点奖励5万元，最高300万元。"
    )


def test_growth_steps_of_a_percent_fact_in_a_part_with_its_own_conditions():
    facts = [
        {"name": "exports", "label": "上年出口额", "type": "金额"},
        {"name": "growth", "label": "出口额同比增长", "type": "百分比"},
        {"name": "flag", "label": "规模以上工业企业", "type": "是否"},
    ]
    part = {"type": "growth_steps", "of": "growth", "above": 20, "points": 1, "per_step": "5万",
            "if": [{"fact": "exports", "op": "超过", "value": "1亿"},
                   {"fact": "growth", "op": "超过", "value": 20}]}  # fmt: skip
    formula = {"type": "sum", "parts": [{"type": "fixed", "amount": "10万"}, part]}
    sentence = clause_sentence(_clause(formula, [{"fact": "flag"}], facts))
    assert "上年出口额>1亿元，且出口额同比增长超过20%的，每增加1个百分点奖励5万元" in sentence
    assert sentence.count("出口额同比增长") == 1


def test_growth_steps_without_their_start_said_keep_the_part_above_it():
    when = [{"growth_check": ["revenue", "revenue_prev"], "label": "营业收入", "op": "以上",
             "value": 5}]  # fmt: skip
    assert clause_sentence(_clause(_growth_steps(), when)) == (
        "营业收入同比增长≥5%的，营业收入同比增速超过10%的部分每增加1个百分点奖励5万元，"
        "最高300万元。"
    )


def test_a_figure_a_condition_has_just_named_is_not_named_again():
    n = [{"name": "n", "label": "获评优秀解决方案个数", "type": "整数", "unit": "个"}]
    cost = [{"name": "cost", "label": "参展费用", "type": "金额"}]
    heads = [{"name": "heads", "label": "吸纳就业人数", "type": "整数", "unit": "人"}]
    steps = {"type": "steps", "of": "n", "step": 1, "per_step": "100万"}
    n_first = [{"fact": "n", "op": "以上", "value": 1}]
    assert (
        clause_sentence(_clause(steps, n_first, n))
        == "获评优秀解决方案个数≥1个的，每个奖励100万元。"
    )
    percent = {"type": "percent", "of": "cost", "rate": "70%", "cap": "100万",
               "when": [{"fact": "cost", "op": "超过", "value": "20万"}]}  # fmt: skip
    assert clause_sentence(_clause(percent, [], cost)) == (
        "参展费用>20万元的，按70%给予奖励，最高100万元。"
    )
    per_unit = {"type": "per_unit", "count": "heads", "amount": 3000, "unit": "人"}
    when = [{"fact": "heads", "op": "超过", "value": 0}]
    assert clause_sentence(_clause(per_unit, when, heads)) == "吸纳就业人数>0人的，每人给予3000元。"
    # another condition said last: the figure is named
    other = [*n_first, {"fact": "cost", "op": "超过", "value": 0}]
    assert "，获评优秀解决方案个数每增加1个奖励" in clause_sentence(_clause(steps, other, n + cost))


def _interest(**changes):
    facts = [
        {"name": "interest", "label": "实际贷款利息", "type": "金额"},
        {"name": "loan", "label": "贷款额", "type": "金额", "required": False},
    ]
    formula = {"type": "interest", "label": "贷款贴息", "of": "interest", "rate": "50%",
               "cap": "22万"} | changes  # fmt: skip
    return _clause(formula, facts=facts if "loan" in changes else facts[:1])


def _steps(clause, facts: dict) -> list[str]:
    return [s["label"] for s in clause.calculate(facts).to_dict()["steps"]]


def test_an_interest_subsidys_steps_name_the_interest_they_are_computed_from():
    assert _steps(_interest(), {"interest": "300000"}) == [
        "贷款贴息：实际贷款利息300,000.00 元 × 50%"
    ]
    capped = _steps(_interest(), {"interest": "2000000"})
    assert capped[0] == "贷款贴息：实际贷款利息2,000,000.00 元 × 50%", capped
    pro_rata = _interest(loan="loan", loan_cap="1000万")
    steps = _steps(pro_rata, {"interest": "600000", "loan": "15000000"})
    assert steps == [
        "贷款贴息：贷款15,000,000.00 元超过上限10,000,000.00 元，实际贷款利息按比例计",
        "贷款贴息：实际贷款利息（按比例计）400,000.00 元 × 50%",
    ]
    assert pro_rata.calculate({"interest": "600000", "loan": "15000000"}).amount == 200_000


def test_a_sum_or_highest_inside_a_sum_says_its_own_items():
    def fixed(amount: str) -> dict:
        return {"type": "fixed", "amount": amount}

    inner_sum = {"type": "sum", "cap": "50万", "parts": [fixed("10万"), fixed("20万")]}
    inner_highest = {"type": "highest", "parts": [fixed("1万"), fixed("2万"), fixed("3万")]}
    formula = {"type": "sum", "parts": [fixed("5万"), inner_sum, inner_highest]}
    flag = [{"name": "flag", "label": "规模以上工业企业", "type": "是否"}]
    assert clause_sentence(_clause(formula, [{"fact": "flag"}], flag)) == (
        "规模以上工业企业的，给予5万元奖励；给予10万元奖励；给予20万元奖励；以上两项相加，最高50万元；"
        "给予1万元奖励；给予2万元奖励；给予3万元奖励（以上三项就高取一项）；以上各项相加。"
    )


def test_a_condition_looked_at_only_when_it_holds_is_not_said_in_the_rule():
    """郑政办〔2022〕57号第1条 says in its trace “本年营业收入…超过5亿元，增长率门槛为20%” through a
    condition whose ``if`` is itself: always met, the rule's sentence leaves it out."""
    from policies.engine import get_clause

    text = get_clause("zzb-2022-57/1").rule_text
    assert "其中本年营业收入>5亿元的，本年营业收入>5亿元" not in text
    assert "（其中本年营业收入>5亿元的，本年营业收入较上年营业收入增长≥20%）" in text
