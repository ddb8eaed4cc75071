"""The formula of a clause definition: a tree of the engine's blocks (``policies.engine.blocks``).

Every node is a dict with ``type`` and, optionally, ``label`` (the words of the trace),
``when`` (conditions of this part only: an unmet one is a reason, not ineligibility),
``say`` (sentences added to the reasons before the part is computed; ``{fact}`` shows a value),
``cap`` (最高…) and ``name`` (a part's key for stacking shares)::

    fixed       amount                                   给予X万元（一次性）奖励
    percent     of, rate, [cap], [min_rate]              按…的X%给予奖励，最高Y（X%-Z%：区间）
    steps       of, step, per_step, [cap], [over]        每增加N奖励M（只计完整的档；over: 每超过N一档）
    growth_steps of (a growth), above, points, per_step   增速每再增加1个百分点奖励M
    tiers       of, tiers: [{op, value, amount}]         达到不同档位分别奖励（取最高档）
    table       fact, amounts: {choice: amount}, [pick: max|sum]   按等级/类别奖励
    per_unit    count, amount, [unit], [cap]             每人/每个…给予X元
    per_item    of (money list), rate, [item_cap], [max_items], [cap]   每项按比例，单项最高
    matching    of, [ratio], [cap]                       按上级资金1:X配套
    interest    of (interest), [rate], [loan, loan_cap], [loan_rate, rate_cap], [cap]
                                                         贴息（贷款额超过上限的按比例；利率超过LPR的按LPR折算）
    difference  fact, amounts, previous                  级差：扣减已获较低等级奖励
    up_to       amount, [min], [of]                      不超过X（审核可以核减：上限）
    first_over  of, best, levels: [{op, value, amount}], [repeat: {from, step, amount, op}]
                                                         首次超过（以历年最高为准）、每上一个台阶
    title_ladder fact, previous, amounts                 称号级差（本次称号标准 − 已获最高）
    choose      cases: [{when, then}], else              按情形选用一种算法（条件不写入理由）
    amount      of, [cap]                                按填报/核定的金额给予，最高…
    each        of (money list), rate, [item_cap], [item_label "第{i}场活动"], [count_label
                "共{n}场活动"], [empty], [cap]            每场/每项按比例、单项最高，逐项列出再合计
    sum         parts: [...], [cap]                      各项相加
    highest     parts: [...]                             就高，只取最高一项
    none        note                                     原文未规定金额
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..facts import FactSpec
from ..fmt import num, pct, qty, yuan
from ..result import Trace
from ..thresholds import Threshold, Tier
from .heads import Heads, compile_heads
from .logic import (
    OPERATORS,
    Compiler,
    Condition,
    Quantity,
    compile_conditions,
    compile_quantity,
    fill,
    placeholders_known,
)

TYPES = {
    "fixed": "固定金额", "percent": "按比例", "steps": "每增加一档", "growth_steps": "增速每增加",
    "tiers": "分档奖励", "table": "按等级/类别", "per_unit": "按人数/个数", "per_item": "逐项按比例",
    "matching": "配套", "interest": "贴息", "difference": "级差", "up_to": "不超过（上限）",
    "sum": "各项相加", "highest": "就高", "none": "未规定金额", "first_over": "首次超过",
    "title_ladder": "称号级差", "choose": "按情形选用", "amount": "按核定金额",
    "each": "逐项按比例（每项单列）", "heads_once": "两项按人计、同一人只计一项",
}  # fmt: skip
KEYS = {
    "fixed": {"amount"},
    "percent": {"of", "rate", "min_rate", "threshold"},
    "steps": {"of", "step", "per_step", "threshold", "over"},
    "growth_steps": {"of", "above", "points", "per_step"},
    "tiers": {"of", "tiers"},
    "table": {"fact", "amounts", "pick"},
    "per_unit": {"count", "amount", "unit"},
    "per_item": {"of", "rate", "item_cap", "max_items", "item_threshold"},
    "matching": {"of", "ratio"},
    "interest": {"of", "rate", "loan", "loan_cap", "loan_rate", "rate_cap", "counted_label"},
    "difference": {"fact", "amounts", "previous"},
    "up_to": {"amount", "min", "of"},
    "sum": {"parts", "empty", "total_step", "floor"},
    "highest": {"parts"},
    "none": {"note"},
    "first_over": {"of", "best", "levels", "repeat"},
    "title_ladder": {"fact", "previous", "amounts", "suffix"},
    "choose": {"cases", "else"},
    "amount": {"of"},
    "each": {"of", "rate", "item_cap", "item_label", "count_label", "empty"},
    "heads_once": {"items", "both", "both_need", "both_words"},
}
COMMON = {
    "type", "label", "when", "cap", "name", "say", "short", "if", "as_written", "show", "cap_by",
    "ceiling", "less", "require", "need", "part",
}  # fmt: skip
REQUIRED = {
    "fixed": {"amount"}, "percent": {"of", "rate"}, "steps": {"of", "step", "per_step"},
    "growth_steps": {"of", "points", "per_step"}, "tiers": {"of", "tiers"},
    "table": {"fact", "amounts"}, "per_unit": {"count", "amount"}, "per_item": {"of", "rate"},
    "matching": {"of"}, "interest": {"of"}, "difference": {"fact", "amounts", "previous"},
    "up_to": {"amount"}, "sum": {"parts"}, "highest": {"parts"}, "none": {"note"},
    "first_over": {"of", "best", "levels"}, "title_ladder": {"fact", "previous", "amounts"},
    "choose": {"cases", "else"}, "amount": {"of"}, "each": {"of", "rate"},
    "heads_once": {"items", "both"},
}  # fmt: skip
KEY_WORDS = {
    "amount": "金额", "of": "计算基数", "rate": "比例", "step": "每档数额", "per_step": "每档奖励",
    "above": "起算增速", "points": "每档百分点", "tiers": "档位", "fact": "事实", "amounts": "各项金额",
    "count": "数量", "parts": "子项", "note": "说明", "previous": "已获等级", "best": "历年最高",
    "levels": "门槛", "cases": "情形", "else": "其他情形", "items": "两项", "both": "同时计入两项的人数",
}  # fmt: skip


@dataclass
class Node:
    type: str
    label: str
    when: list[Condition] = field(default_factory=list)
    cap: Decimal | None = None
    name: str = ""
    of: Quantity | None = None
    fact: FactSpec | None = None
    previous: FactSpec | None = None
    numbers: dict[str, Decimal] = field(default_factory=dict)
    tiers: tuple[Tier, ...] = ()
    threshold: Threshold | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)
    parts: list[Node] = field(default_factory=list)
    pick: str = "max"
    unit: str = ""
    note: str = ""
    loan: Quantity | None = None
    best: Quantity | None = None
    say: list[tuple[str, list[Condition], bool]] = field(default_factory=list)
    part: str = ""
    short: str = ""
    gate: list[Condition] = field(default_factory=list)
    as_written: bool = False
    show: list[Quantity] = field(default_factory=list)
    empty: str = ""
    cap_by: Quantity | None = None
    ceiling: bool = False
    less: Quantity | None = None
    rate_of: Quantity | None = None
    require: list[Condition] = field(default_factory=list)
    total_step: bool = True
    need: dict[str, str] = field(default_factory=dict)
    item_label: str = ""
    floor_rest: bool = False
    over: str = ""  # steps: ">" 每超过N一档, ">=" 每达到N一档, "" whole steps
    rate_cap_of: Quantity | None = None
    facts: Mapping[str, FactSpec] = field(default_factory=dict, repr=False)
    named: set[str] = field(default_factory=set)
    cases: list[tuple[list[Condition], Node]] = field(default_factory=list)
    repeat: dict[str, Decimal] = field(default_factory=dict)
    repeat_op: str = ">="
    heads: Heads | None = None  # heads_once (heads.py)

    # -- evaluation --------------------------------------------------------------------
    def evaluate(self, f: Mapping[str, object], t: Trace, *, top: bool = False) -> Decimal:
        """``say`` and ``show`` come first (what the part is about), then its conditions."""
        if self.need and hasattr(f, "need"):  # optional facts this case reads: refuse if absent
            for name, why in self.need.items():
                f.need(name, why=why)
        if self.say:
            self._say(f, t, after=False)
        for q in self.show:
            value = q.evaluate(f)
            shown = "无法计算" if value is None else _shown(max(value, ZERO), q.unit)
            t.step(fill(q.label, f, self.facts), shown)
        if self.when and not self._conditions_met(f, t, top):
            return ZERO
        if self.require:
            ok = True
            for cond in self.require:  # conditions of eligibility that only this case has
                ok &= cond.record(f, t, so_far=ok)
            if not ok:
                return ZERO
        if self.ceiling:  # this part's figure is a ceiling a reviewer may lower
            t.is_ceiling = True
        amount = self._compute(f, t)
        if self.part:  # this part's amount is what meets its stacking group's other awards
            t.part(self.part, amount)
        if self.less is not None:  # 减去此前已拨付: what earlier instalments paid
            paid = self.less.evaluate(f) or ZERO
            t.step(self.less.label, yuan(paid))
            amount = max(amount - paid, ZERO)
        if self.name:
            t.items[self.name] = amount
        return amount

    def _say(self, f: Mapping[str, object], t: Trace, *, after: bool) -> None:
        for text, conds, late in self.say:
            if late is after and all(cond.holds(f) for cond in conds):
                t.reason(fill(text, f, self.facts))

    def present(self, f: Mapping[str, object], t: Trace) -> bool:
        """``if``: a part that applies only in some cases (项目类型、是否申报该项): when one of
        these does not hold the part is left out of the sum, saying only what ``met``/``unmet``
        say."""
        ok = True
        for cond in self.gate:
            if cond.kind == "growth_check":  # shows the growth; unmet leaves the part out
                ok &= cond._record_growth(f, t, required=False)
                if not ok:
                    return False
                continue
            if cond.show_as:
                cond.show(f, t)
            met = cond.holds(f)
            own = cond.yes if met else cond.no
            if own:  # only the definition's own sentences are said here
                t.reason(cond.own_words(f, own))
            ok &= met
            if not ok:
                return False
        return ok

    def _conditions_met(self, f: Mapping[str, object], t: Trace, top: bool) -> bool:
        ok = True
        for cond in self.when:
            if top:
                ok &= cond.record(f, t, so_far=ok)
                continue
            if cond.only_if_met and not ok:
                continue
            if cond.kind == "growth_check":  # shows the growth; base 0 makes it ineligible
                ok &= cond.record(f, t)
                continue
            if cond.show_as:
                cond.show(f, t)
            if cond.quiet and cond.holds(f):  # met and quiet: nothing to say
                continue
            met, text = cond.test(f)
            if not (met and cond.quiet):
                t.reason(text if self.as_written else f"{self.label}：{text}")
            ok &= met
        return ok

    def _base(self, f: Mapping[str, object], t: Trace) -> Decimal | None:
        value = self.of.evaluate(f)  # type: ignore[union-attr]
        if value is None:
            t.reason(f"{self.label}：{self.of.label}无法计算（{self.of.why_not()}）")  # type: ignore[union-attr]
        return value

    def _cap(self, f: Mapping[str, object]) -> Decimal | None:
        """``cap``, or ``cap_by``: a limit computed from facts (配套资金和上级资金合计不超过总投资),
        never below 0; the lower of the two when both are given."""
        if self.cap_by is None:
            return self.cap
        limit = max(self.cap_by.evaluate(f) or ZERO, ZERO)
        return limit if self.cap is None else min(limit, self.cap)

    def _compute(self, f: Mapping[str, object], t: Trace) -> Decimal:
        n, label, k = self.numbers, self.label, self.type
        cap = self.cap if self.cap_by is None else self._cap(f)
        if k == "fixed":
            return blocks.cap_at(t, label, blocks.fixed(t, label, n["amount"]), cap)
        if k == "none":
            t.computable = False
            if not self.say:  # the part's own sentences say it otherwise
                t.reason(f"{label}：{self.note}（政策原文未规定金额，由主管部门核定）")
            return ZERO
        if k == "table":
            return self._table(f, t)
        if k == "heads_once":
            return self.heads.compute(f, t, label)  # type: ignore[union-attr]
        if k == "choose":
            for conds, node in self.cases:
                if all(cond.holds(f) for cond in conds):
                    return node.evaluate(f, t)
            return self.parts[0].evaluate(f, t)
        if k == "title_ladder":
            names, title = self.fact.choices, f[self.fact.name]  # type: ignore[union-attr]
            if title not in self.amounts:
                t.reason(f"{label}：未取得可奖励的{self.fact.label}")  # type: ignore[union-attr]
                return ZERO
            full = blocks.fixed(t, f"{names[title]}{self.unit}奖励标准", self.amounts[title])
            earlier = [v for v in f[self.previous.name] or () if v in self.amounts]  # type: ignore[union-attr]
            for v in earlier:
                t.step(f"此前已获：{names[v]}{self.unit}", yuan(self.amounts[v]))
            return blocks.tier_difference(t, label, full, [self.amounts[v] for v in earlier])
        if k == "difference":
            title = f[self.fact.name]  # type: ignore[union-attr]
            if title not in self.amounts:
                t.reason(f"{label}：未取得可奖励的{self.fact.label}")  # type: ignore[union-attr]
                return ZERO
            earlier = [self.amounts[v] for v in f[self.previous.name] or () if v in self.amounts]  # type: ignore[union-attr]
            t.step(f"{label}：{self.fact.choices[title]}", yuan(self.amounts[title]))  # type: ignore[union-attr]
            return blocks.tier_difference(t, label, self.amounts[title], earlier)
        if k == "up_to":
            t.is_ceiling = True
            if "min" in n:
                t.floor = n["min"]
            if self.of is None and "min" in n:
                t.step(f"{label}：奖励区间", f"{yuan(n['min'])}至{yuan(n['amount'])}")
                return n["amount"]
            if self.of is None:
                t.step(f"{label}：最高不超过{yuan(n['amount'])}（审核可核减）", yuan(n["amount"]))
                return n["amount"]
            claimed = self._base(f, t)
            if claimed is None:
                return ZERO
            t.step(f"{label}：{self.of.label}", yuan(claimed))  # type: ignore[union-attr]
            return blocks.cap_at(t, label, claimed, n["amount"])
        if k in ("sum", "highest"):
            parts, firm, engaged = [], ZERO, False
            for p in self.parts:
                if p.gate and not p.present(f, t):
                    continue
                if p.heads is not None and not any(p.heads.counted(f, None)):
                    p.heads.counted(f, t)  # why an item is not counted; the part is left out
                    continue
                before = t.is_ceiling
                amount = p.evaluate(f, t)
                parts.append((p.short or p.label, amount))
                if p.ceiling and t.is_ceiling and not before:
                    engaged = True
                elif not p.ceiling:
                    firm += amount
            if self.say:  # said once the items are known (就高原则只享受一项)
                self._say(f, t, after=True)
            if self.floor_rest and engaged:  # 上限项可核减至0: the firm items are the floor
                t.floor = firm
            if k == "sum" and self.empty and not parts:
                t.fail(self.empty)
                return ZERO
            if k == "sum" and not self.total_step:
                return blocks.cap_at(t, label, sum((a for _, a in parts), ZERO), cap)
            if k == "sum":
                return blocks.capped_sum(t, label, parts, cap)
            return blocks.cap_at(
                t, label, blocks.highest_only(t, label, {x: a for x, a in parts if a > 0}), cap
            )
        if k == "each":
            items = list(f[self.of.fact.name] or ())  # type: ignore[union-attr]
            if not items and self.empty:
                t.fail(self.empty)
                return ZERO
            parts = [
                (lbl, blocks.percent_of(t, lbl, x, n["rate"], n.get("item_cap")))
                for lbl, x in ((self.item_label.replace("{i}", str(i)), x)
                               for i, x in enumerate(items, start=1))
            ]  # fmt: skip
            if self.note:
                t.step(
                    self.note.replace("{n}", str(len(parts))),
                    yuan(sum((a for _, a in parts), ZERO)),
                )
            return blocks.capped_sum(t, label, parts, cap)
        if k == "per_item" and "item_cap" not in n and "max_items" not in n:
            items = f[self.of.fact.name]  # type: ignore[union-attr]
            return blocks.per_item_percent(t, label, items, n["rate"], self.threshold, cap)  # type: ignore[arg-type]
        if k == "per_item":
            items = f[self.of.fact.name]  # type: ignore[union-attr]
            max_items = int(n["max_items"]) if "max_items" in n else None
            return blocks.per_item_capped(
                t,
                label,
                items,
                n["rate"],
                n.get("item_cap"),
                max_items,
                cap,  # type: ignore[arg-type]
            )
        base = self._base(f, t)
        if base is None:
            return ZERO
        unit = self.of.unit  # type: ignore[union-attr]
        if k == "percent":
            amount = blocks.percent_of(t, label, base, n["rate"], cap, self.threshold, unit)
            if "min_rate" in n:  # 按X%-Y%: the amount is a ceiling, the lower rate its floor
                t.is_ceiling = True
                low = base * n["min_rate"] / 100
                t.floor = min(low, cap) if cap is not None else low
                t.step(f"{label}：最低按{num(n['min_rate'])}%计（审核在区间内核定）", yuan(t.floor))
            return amount
        if k == "steps":
            if self.threshold is not None and not self.threshold.met(base):
                t.reason(f"{label}：{self.of.label}未{self.threshold.words(unit)}")  # type: ignore[union-attr]
                return ZERO
            if self.over:  # 每超过N一档: exactly N is not over it
                count = base // n["step"] if base > 0 else ZERO
                if self.over == ">" and count and count * n["step"] == base:
                    count -= 1
                amount = count * n["per_step"]
                every = "每超过" if self.over == ">" else "每达到"
                t.step(
                    f"{self.of.label}{qty(base, unit)}，{every}{qty(n['step'], unit)}一档，"  # type: ignore[union-attr]
                    f"共{num(count)}档 × {yuan(n['per_step'])}",
                    yuan(amount),
                )
                return blocks.cap_at(t, label, amount, cap)
            return blocks.whole_steps(t, label, base, n["step"], n["per_step"], cap, unit)
        if k == "growth_steps":
            return blocks.growth_points(
                t, label, base, n.get("above", ZERO), n["points"], n["per_step"], cap
            )
        if k == "first_over":
            best = self.best.evaluate(f)  # type: ignore[union-attr]
            r = self.repeat
            return blocks.thresholds_crossed(
                t, label, base, best if best is not None else ZERO, self.tiers,
                repeat_from=r.get("from"), repeat_step=r.get("step"),
                repeat_amount=r.get("amount", ZERO), repeat_op=self.repeat_op, cap=cap,
                unit=unit,
            )  # fmt: skip
        if k == "amount":
            return blocks.cap_at(t, label, base, cap)
        if k == "tiers":
            return blocks.cap_at(
                t, label, blocks.highest_tier(t, label, base, self.tiers, unit), cap
            )
        if k == "per_unit":
            return blocks.per_unit(t, label, base, n["amount"], cap, self.unit or "个")
        if k == "matching":
            return blocks.matching_grant(t, label, base, n.get("ratio", Decimal(1)), cap)
        # interest: the interest due, pro rata when the loan is above the loan ceiling; the
        # steps name the fact it is computed from (实际贷款利息300,000.00 元 × 50%)
        counted, named = base, self.of.label  # type: ignore[union-attr]
        if self.loan is not None and "loan_cap" in n:
            loan = self.loan.evaluate(f) or ZERO
            if loan > n["loan_cap"]:
                counted = base * n["loan_cap"] / loan
                t.step(
                    f"{label}：贷款{yuan(loan)}超过上限{yuan(n['loan_cap'])}，{named}按比例计",
                    yuan(counted),
                )
                named += "（按比例计）"
        if self.rate_of is not None and self.rate_cap_of is not None:  # 利率不超过LPR/基准利率
            rate, rate_cap = self.rate_of.evaluate(f), self.rate_cap_of.evaluate(f)
            counted = blocks.interest_at_capped_rate(
                t, self.note or "计息", counted, rate or ZERO, rate_cap or ZERO
            )
            if "rate" not in n:  # the share is not stated: the interest so counted, capped
                return blocks.cap_at(t, label, counted, cap)
            # the step above (counted_label) has said what is counted: as the clauses say it
            return blocks.percent_of(t, label, counted, n["rate"], cap)
        rate = n.get("rate", Decimal(100))
        amount = max(counted * rate / 100, ZERO)
        t.step(f"{label}：{named}{yuan(counted)} × {pct(rate)}", yuan(amount))
        return blocks.cap_at(t, label, amount, cap)

    def _table(self, f: Mapping[str, object], t: Trace) -> Decimal:
        value = f[self.fact.name]  # type: ignore[union-attr]
        picked = [value] if isinstance(value, str) else list(value or ())
        items = {self.fact.choices[v]: self.amounts[v] for v in picked if v in self.amounts}  # type: ignore[union-attr]
        if not items:
            t.reason(f"{self.label}：未选择可奖励的{self.fact.label}")  # type: ignore[union-attr]
            return ZERO
        for name, amount in items.items():
            t.step(f"{self.label}：{name}", yuan(amount))
        if self.pick == "sum":
            return blocks.capped_sum(t, self.label, list(items.items()), self.cap)
        return blocks.cap_at(t, self.label, blocks.highest_only(t, self.label, items), self.cap)

    # -- metadata ----------------------------------------------------------------------
    def walk(self):
        yield self
        for _, node in self.cases:
            yield from node.walk()
        for p in self.parts:
            yield from p.walk()

    def own_conditions(self) -> list[Condition]:
        """This node's conditions (not its parts'): when, if, require, say's and cases' ifs."""
        said = [cond for _, conds, _ in self.say for cond in conds]
        cases = [cond for conds, _ in self.cases for cond in conds]
        heads = self.heads.conditions() if self.heads is not None else []
        return [*self.when, *self.gate, *self.require, *said, *cases, *heads]

    def own_quantities(self) -> list[Quantity]:
        extra = (self.of, self.loan, self.best, self.cap_by, self.less, self.rate_of,
                 self.rate_cap_of)  # fmt: skip
        return [*self.show, *(q for q in extra if q is not None)]

    def facts_used(self) -> set[str]:
        used = {x.name for x in (self.fact, self.previous) if x is not None} | self.named
        for cond in [*self.gate, *self.require]:
            used |= cond.facts_used()
        extra = (self.cap_by, self.less, self.rate_of, self.rate_cap_of)
        for q in [*self.show, *(x for x in extra if x is not None)]:
            used |= q.facts_used()
        for conds, node in self.cases:
            used |= node.facts_used()
            for cond in conds:
                used |= cond.facts_used()
        for q in (self.of, self.loan, self.best):
            if q is not None:
                used |= q.facts_used()
        for cond in self.when:
            used |= cond.facts_used()
        if self.heads is not None:
            used |= self.heads.facts_used()
        return used.union(*(p.facts_used() for p in self.parts))


def compile_node(c: Compiler, raw: object, default_label: str = "奖励") -> Node | None:
    with c.nested() as ok:
        return _node(c, raw, default_label) if ok else None


def _node(c: Compiler, raw: object, default_label: str) -> Node | None:
    if not isinstance(raw, Mapping):
        c.error("应为一个计算块（含 type）")
        return None
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in KEYS:
        c.error(
            f"计算块类型「{kind}」不认识，应为：{'、'.join(f'{k}（{v}）' for k, v in TYPES.items())}"
        )
        return None
    unknown = set(raw) - KEYS[kind] - COMMON
    if unknown:
        c.error(f"{TYPES[kind]}块不认识的项：{'、'.join(sorted(map(str, unknown)))}")
    missing = {key for key in REQUIRED[kind] if raw.get(key) is None}  # absent or left empty
    if missing:
        c.error(f"{TYPES[kind]}块缺少：{'、'.join(KEY_WORDS.get(m, m) for m in sorted(missing))}")
        return None
    node = Node(kind, str(raw.get("label") or default_label), name=str(raw.get("name") or ""))
    with c.at("条件"):
        node.when = compile_conditions(c, raw.get("when")) or []
    say = raw.get("say") or []
    for item in say if isinstance(say, list) else [say]:  # "text" or {text, if: [conditions]}
        if isinstance(item, Mapping):
            with c.at("说明"):
                conds = compile_conditions(c, item.get("if")) or []
            node.say.append((str(item.get("text") or ""), conds, bool(item.get("after"))))
        else:
            node.say.append((str(item), [], False))
    node.facts = c.facts
    node.short = str(raw.get("short") or "")
    node.as_written = bool(raw.get("as_written"))
    node.ceiling = bool(raw.get("ceiling"))
    node.total_step = bool(raw.get("total_step", True))
    if raw.get("floor") not in (None, "rest"):
        c.error("floor 只能写 rest（上限项之外的各项为审核可核减到的下限）")
    node.floor_rest = raw.get("floor") == "rest"
    # over: true / 超过 → 每超过N一档; 以上 / 达到 → 每达到N一档 (a comparator param may stand here)
    over = raw.get("over")
    if over not in (None, False, True, "超过", "以上", "达到"):
        c.error("over 应为 true（每超过）或比较词 超过、以上、达到")
    node.over = ">" if over in (True, "超过") else ">=" if over in ("以上", "达到") else ""
    node.part = str(raw.get("part") or "")
    need = raw.get("need") or {}
    if not isinstance(need, Mapping) or any(n not in c.facts for n in need):
        c.error("need 应为「事实: 为什么必须填写」的对照，事实须已声明")
    else:
        node.need = {str(k): str(v) for k, v in need.items()}
        node.named |= set(node.need)
    with c.at("本情形的条件"):
        node.require = compile_conditions(c, raw.get("require")) or []
    if raw.get("less") is not None:
        with c.at("减去"):
            node.less = compile_quantity(c, raw["less"])
    if raw.get("cap_by") is not None:
        with c.at("最高金额"):
            node.cap_by = compile_quantity(c, raw["cap_by"])
    node.empty = str(raw.get("empty") or "")
    with c.at("适用情形"):
        node.gate = compile_conditions(c, raw.get("if")) or []
    shows = raw.get("show") or []
    for item in shows if isinstance(shows, list) else [shows]:
        with c.at("显示"):
            q = compile_quantity(c, item)
        if q is not None:
            node.show.append(q)
            node.named |= placeholders_known(c, q.label)
    node.named |= set().union(*(placeholders_known(c, x) for x, _, _ in node.say))
    for _, conds, _ in node.say:
        for cond in conds:
            node.named |= cond.facts_used()
    if raw.get("cap") is not None:
        node.cap = c.number(raw["cap"], "最高金额")
    numbers = {"amount": "金额", "rate": "比例", "step": "每档数额", "per_step": "每档奖励",
               "above": "起算增速", "points": "每档百分点", "item_cap": "单项最高金额",
               "max_items": "最多项数", "ratio": "配套比例", "loan_cap": "贷款额上限", "min": "最低金额",
               "min_rate": "最低比例"}  # fmt: skip
    for key, words in numbers.items():
        if key in raw and raw[key] is not None:
            node.numbers[key] = c.number(raw[key], words)
    for key in ("step", "points"):
        if key in node.numbers and node.numbers[key] <= 0:
            c.error(f"{numbers[key]}应大于0")
    if kind in (
        "percent",
        "steps",
        "growth_steps",
        "tiers",
        "per_unit",
        "matching",
        "interest",
        "up_to",
        "first_over",
        "amount",
    ):
        src = raw.get("count") if kind == "per_unit" else raw.get("of")
        if src is not None:
            with c.at("计算基数" if kind != "per_unit" else "数量"):
                node.of = compile_quantity(c, src)
            if node.of is None:
                return None
    if kind == "growth_steps" and node.of is not None and node.of.unit != "%":
        c.error("增速每增加块的计算基数应为增速（growth）或百分比事实")
    if kind == "per_unit":
        node.unit = str(raw.get("unit") or "个")
    if kind == "title_ladder":
        node.unit = str(raw.get("suffix") or "")  # 证书: "三级证书奖励标准"
    if kind == "interest" and raw.get("loan") is not None:
        node.loan = compile_quantity(c, raw["loan"])
    if kind == "interest" and (raw.get("loan_rate") is None) != (raw.get("rate_cap") is None):
        c.error("贴息块的 loan_rate（贷款利率）和 rate_cap（利率上限，如LPR）应同时填写")
    elif kind == "interest" and raw.get("loan_rate") is not None:
        node.rate_of = compile_quantity(c, raw["loan_rate"])
        node.rate_cap_of = compile_quantity(c, raw["rate_cap"])
        node.note = str(raw.get("counted_label") or "计息")
    if kind == "each":
        node.item_label = str(raw.get("item_label") or "第{i}项")
        node.note = str(raw.get("count_label") or "")
        node.empty = str(raw.get("empty") or "")
    if kind in ("per_item", "each"):
        spec = c.fact(raw["of"], ("money_list",))
        node.of = Quantity("fact", spec.label, spec.unit, fact=spec) if spec else None
        if spec is None:
            return None
    if kind == "tiers":
        node.tiers = _tiers(c, raw["tiers"])
    if kind == "first_over":
        node.tiers = _tiers(c, raw["levels"])
        with c.at("历年最高"):
            node.best = compile_quantity(c, raw["best"])
        rep = raw.get("repeat") or {}
        if rep and (not isinstance(rep, Mapping) or set(rep) - {"from", "step", "amount", "op"}
                    or not {"from", "step", "amount"} <= set(rep)):  # fmt: skip
            c.error("台阶（repeat）应写 from（起点）、step（每个台阶）、amount（每台阶奖励）、op")
        elif rep:
            words = {"from": "台阶起点", "step": "每个台阶", "amount": "每台阶奖励"}
            node.repeat = {k: c.number(rep[k], w) for k, w in words.items()}
            node.repeat_op = OPERATORS.get(str(rep.get("op", "以上")), "")
            if node.repeat_op not in (">=", ">"):
                c.error("台阶的比较词应为以上、达到或超过")
    if kind == "choose":
        items = raw["cases"]
        if not isinstance(items, list) or not items:
            c.error("情形（cases）应为非空列表")
            return None
        for i, item in enumerate(items, start=1):
            with c.at(f"第{i}种情形"):
                if not isinstance(item, Mapping) or set(item) != {"when", "then"}:
                    c.error("每种情形应写 when（条件）和 then（算法）")
                    continue
                conds = compile_conditions(c, item["when"])
                then = compile_node(c, item["then"], node.label)
                if conds is not None and then is not None:
                    node.cases.append((conds, then))
        with c.at("其他情形"):
            other = compile_node(c, raw["else"], node.label)
        if other is not None:
            node.parts = [other]
    for key in ("threshold", "item_threshold"):
        if raw.get(key) is not None:
            with c.at("门槛"):
                rows = _tiers(
                    c, [{**dict(raw[key]), "amount": 0}] if isinstance(raw[key], Mapping) else None
                )
            node.threshold = rows[0].threshold if rows else None
    if kind in ("table", "difference", "title_ladder"):
        kinds = ("choice", "choice_list") if kind == "table" else ("choice",)
        node.fact = c.fact(raw["fact"], kinds)
        node.amounts = _amounts(c, raw["amounts"], node.fact)
        node.pick = str(raw.get("pick") or "max")
        if node.pick not in ("max", "sum"):
            c.error("pick 应为 max（就高）或 sum（相加）")
    if kind in ("difference", "title_ladder"):
        node.previous = c.fact(raw["previous"], ("choice_list",))
    if kind == "heads_once":
        node.heads = compile_heads(c, raw)
        if node.heads is None:
            return None
    if kind == "none":
        node.note = str(raw["note"]).strip()
    if kind in ("sum", "highest"):
        items = raw["parts"]
        if not isinstance(items, list) or not items:
            c.error("子项应为非空列表")
            return None
        for i, item in enumerate(items, start=1):
            with c.at(f"第{i}项"):
                part = compile_node(c, item, f"第{i}项")
            if part is not None:
                node.parts.append(part)
    return node


def _tiers(c: Compiler, raw: object) -> tuple[Tier, ...]:
    from .logic import OPERATORS

    if not isinstance(raw, list) or not raw:
        c.error("档位应为非空列表")
        return ()
    rows = []
    for i, row in enumerate(raw, start=1):
        with c.at(f"第{i}档"):
            if not isinstance(row, Mapping) or "value" not in row or "amount" not in row:
                c.error("每档应写 op（以上/超过）、value（门槛）和 amount（金额）")
                continue
            op = OPERATORS.get(str(row.get("op", "以上")))
            if op not in (">=", ">"):
                c.error(
                    f"档位的比较词应为以上、达到、不低于或超过、高于，写的是「{row.get('op')}」"
                )
                continue
            value, amount = c.number(row["value"], "门槛"), c.number(row["amount"], "金额")
            rows.append(Tier(Threshold(value, op), amount))
    return tuple(sorted(rows, key=lambda r: r.threshold.value))


def _amounts(c: Compiler, raw: object, spec: FactSpec | None) -> dict[str, Decimal]:
    if not isinstance(raw, Mapping) or not raw:
        c.error("各项金额应为「选项: 金额」的对照表")
        return {}
    out = {}
    for key, value in raw.items():
        if spec is not None and key not in spec.choices:
            c.error(f"事实「{spec.label}」没有选项「{key}」")
        out[str(key)] = c.number(value, f"选项「{key}」的金额")
    return out


def _shown(value: Decimal, unit: str) -> str:
    if unit == "%":
        return qty(value.quantize(Decimal("0.01")), unit)
    return qty(value, unit)


def describe_number(value: Decimal) -> str:
    return num(value)
