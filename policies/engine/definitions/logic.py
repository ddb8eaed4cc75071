"""Quantities and conditions of a clause definition: compiled from data, never ``eval``.

A *quantity* is a fact's name (``"revenue_q1_2023"``) or one small dict::

    {growth: [current, previous]}      同比增速（%），上年同期为0时无法计算
    {ratio: [part, whole]}             占比（%）：part ÷ whole × 100，whole为0时无法计算
    {increase: [current, previous]}    增加额
    {sum: [...]} {min: [...]} {max: [...]} {product: [a, b]}
    {percent: 3, of: QUANTITY}          QUANTITY 的 3%
    {count: LIST_FACT}                  列表的项数
    {value: "1000万"}                   a constant
    {fact: NAME, label: 申请金额}        a fact under another name

each with an optional ``label`` (the words a sentence and a trace use). A *condition* is::

    {fact: NAME}  /  {fact: NAME, is: false}          是 / 否
    {fact: NAME, in: [choice, ...]}                    选项之一
    {fact|of: QUANTITY, op: 以上, value: 10}            比较（op 按原文措辞）
    {fact|of: QUANTITY, op: 不低于, than: QUANTITY}     两个数比较
    {all: [...]}  {any: [...]}  {not: CONDITION}

and may carry ``met`` / ``unmet``: the sentence the trace shows when it holds / does not.

Operators as the text says them (民法典 第1259条): 以上/达到/不低于 ≥, 超过/高于 >,
以下/以内/不超过/不高于 ≤, 不满/低于/未达到 <, 等于 =.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from ..facts import FactSpec
from ..fmt import grouped, num, pct, qty, yuan
from ..thresholds import OPS as OPS_WORDS
from .numbers import NotANumber, parse_number, quantity_words

OPERATORS = {
    "以上": ">=", "及以上": ">=", "达到": ">=", "不低于": ">=", "不少于": ">=", "≥": ">=",
    "超过": ">", "高于": ">", "多于": ">", ">": ">",
    "以下": "<=", "及以下": "<=", "以内": "<=", "不超过": "<=", "不高于": "<=", "≤": "<=",
    "不满": "<", "低于": "<", "未达到": "<", "少于": "<", "<": "<",
    "等于": "==", "=": "==",
}  # fmt: skip
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
MET_WORDS = {">=": "达到", ">": "超过", "<=": "不超过", "<": "低于", "==": "等于"}
UNMET_WORDS = {">=": "未达到", ">": "未超过", "<=": "超过", "<": "不低于", "==": "不等于"}
NUMERIC_KINDS = ("money", "percent", "area", "kwh", "int", "rank")
LIST_KINDS = ("money_list", "choice_list")
HUNDRED = Decimal(100)
MAX_DEPTH = 30  # levels of conditions, quantities and blocks one inside another
MAX_DEPTH_WORDS = f"条件、计算式或计算块嵌套超过{MAX_DEPTH}层，请简化"


class Compiler:
    """Collects Chinese error messages while a definition is compiled, each naming its part."""

    def __init__(self, facts: Mapping[str, FactSpec]) -> None:
        self.facts = facts
        self.errors: list[str] = []
        self._path: list[str] = []
        self._depth = 0

    @contextmanager
    def nested(self):
        """One level deeper (a condition, quantity or block inside another); yields False past
        ``MAX_DEPTH`` levels, said once: the compiler and every walk over the tree recurse."""
        self._depth += 1
        try:
            ok = self._depth <= MAX_DEPTH
            if not ok and not any(MAX_DEPTH_WORDS in e for e in self.errors):
                self.errors.append("：".join([*self._path[:2], MAX_DEPTH_WORDS]))  # where it began
            yield ok
        finally:
            self._depth -= 1

    @contextmanager
    def at(self, part: str):
        self._path.append(part)
        try:
            yield
        finally:
            self._path.pop()

    def error(self, message: str) -> None:
        self.errors.append("：".join([*self._path, message]))

    def number(self, raw: object, what: str) -> Decimal:
        try:
            return parse_number(raw)
        except NotANumber as exc:
            self.error(f"{what}{exc}")
            return Decimal(0)

    def fact(self, name: object, kinds: tuple[str, ...] = NUMERIC_KINDS) -> FactSpec | None:
        spec = self.facts.get(name) if isinstance(name, str) else None
        if spec is None:
            self.error(f"事实「{name}」不存在（请先在“事实”中声明）")
            return None
        if spec.kind not in kinds:
            self.error(f"事实「{spec.label}」的类型不能用在这里")
            return None
        return spec


# -- quantities ---------------------------------------------------------------------------
@dataclass
class Quantity:
    kind: str  # fact, value, growth, increase, sum, min, max, product, percent, count
    label: str
    unit: str = ""
    fact: FactSpec | None = None
    value: Decimal = Decimal(0)
    args: list[Quantity] = field(default_factory=list)

    def evaluate(self, f: Mapping[str, object]) -> Decimal | None:
        """The value for facts ``f``; ``None`` when it cannot be computed (a rank not on the
        list, growth over a base of 0)."""
        k = self.kind
        if k == "fact":
            raw = f[self.fact.name]  # type: ignore[union-attr]
            return None if raw is None else Decimal(raw)  # type: ignore[arg-type]
        if k == "value":
            return self.value
        if k == "count":
            return Decimal(len(f[self.fact.name] or ()))  # type: ignore[union-attr, arg-type]
        values = [a.evaluate(f) for a in self.args]
        if any(v is None for v in values):
            return None
        if k == "ratio":  # a ÷ b in percent (产能利用率); b of 0 cannot be divided by
            part, whole = values
            if whole <= 0:  # type: ignore[operator]
                return None
            with localcontext() as ctx:
                ctx.prec = 40
                return part * HUNDRED / whole  # type: ignore[operator]
        if k == "growth":
            current, previous = values
            if previous <= 0:  # type: ignore[operator]
                return None
            with localcontext() as ctx:
                ctx.prec = 40
                return (current - previous) * HUNDRED / previous  # type: ignore[operator]
        if k == "increase":
            return values[0] - values[1]  # type: ignore[operator]
        if k == "sum":
            return sum(values, Decimal(0))  # type: ignore[arg-type]
        if k == "min":
            return min(values)  # type: ignore[type-var]
        if k == "max":
            return max(values)  # type: ignore[type-var]
        if k == "product":
            return values[0] * values[1]  # type: ignore[operator]
        return values[0] * self.value / HUNDRED  # percent  # type: ignore[operator]

    def why_not(self) -> str:
        if self.kind == "growth":
            return "上年同期为0，无法计算增速"
        if self.kind == "ratio":
            return "作为分母的数为0，无法计算比例"
        return "未上榜或未填写"

    def facts_used(self) -> set[str]:
        own = {self.fact.name} if self.fact else set()
        return own.union(*(a.facts_used() for a in self.args))


QUANTITY_KEYS = (
    "fact", "growth", "increase", "sum", "min", "max", "product", "percent", "count", "value",
    "ratio",
)  # fmt: skip


def compile_quantity(c: Compiler, raw: object) -> Quantity | None:
    with c.nested() as ok:
        return _quantity(c, raw) if ok else None


def _quantity(c: Compiler, raw: object) -> Quantity | None:
    if isinstance(raw, str):
        spec = c.fact(raw)
        return Quantity("fact", spec.label, spec.unit, fact=spec) if spec else None
    if isinstance(raw, bool) or not isinstance(raw, Mapping):
        if isinstance(raw, int | float):
            return Quantity("value", num(c.number(raw, "数值")), value=c.number(raw, ""))
        c.error(f"应为事实名称或计算式，写的是 {raw!r}")
        return None
    keys = [k for k in QUANTITY_KEYS if k in raw]
    if len(keys) != 1:
        c.error(f"计算式应恰有以下之一：{'、'.join(QUANTITY_KEYS)}")
        return None
    kind = keys[0]
    label = raw.get("label")
    if label is not None and not isinstance(label, str):
        c.error(f"计算式的名称（label）应为文字，写的是 {label!r}")
        return None
    if kind == "fact":  # a fact under another name: {fact: revenue, label: 申请金额}
        spec = c.fact(raw["fact"])
        unit = str(raw.get("unit") or (spec.unit if spec else ""))  # {fact: n, unit: 类}
        return Quantity("fact", label or spec.label, unit, fact=spec) if spec else None
    if kind == "value":
        value = c.number(raw["value"], "数值")
        unit = str(raw.get("unit", ""))
        return Quantity("value", label or quantity_words(value, unit), unit, value=value)
    if kind == "count":
        spec = c.fact(raw["count"], LIST_KINDS)
        if spec is None:
            return None
        return Quantity("count", label or f"{spec.label}的项数", "项", fact=spec)
    if kind == "percent":
        rate = c.number(raw["percent"], "比例")
        of = compile_quantity(c, raw.get("of"))
        if of is None:
            return None
        return Quantity("percent", label or f"{of.label}的{num(rate)}%", of.unit, value=rate,
                        args=[of])  # fmt: skip
    items = raw[kind]
    if not isinstance(items, list) or not items:
        c.error(f"{kind} 应为非空列表")
        return None
    args = [compile_quantity(c, item) for item in items]
    if any(a is None for a in args):
        return None
    arity = {"growth": 2, "increase": 2, "product": 2, "ratio": 2}.get(kind)
    if arity and len(args) != arity:
        c.error(f"{kind} 应有{arity}项")
        return None
    names = [a.label for a in args]  # type: ignore[union-attr]
    default = {
        "growth": f"{names[0]}较{names[-1]}增长",
        "increase": f"{names[0]}较{names[-1]}增加额",
        "sum": f"{'、'.join(names)}之和",
        "min": f"{'、'.join(names)}中的较小者",
        "max": f"{'、'.join(names)}中的较大者",
        "product": f"{names[0]}×{names[-1]}",
        "ratio": f"{names[0]}占{names[-1]}的比例",
    }[kind]
    unit = "%" if kind in ("growth", "ratio") else args[0].unit  # type: ignore[union-attr]
    unit = str(raw.get("unit") or unit)  # {ratio: [q1, 300], unit: kWh}: a quarter's monthly mean
    return Quantity(kind, label or default, unit, args=args)  # type: ignore[arg-type]


# -- words with facts in them -------------------------------------------------------------
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\|([^{}|]{1,10}))?\}")  # {name} or {name|千瓦时}


def fact_words(spec: FactSpec, value: object) -> str:
    """A fact's value as a trace line shows it: money "20,000,000.00 元", percent "12.5%",
    a choice by its label, a list of choices joined with 、, 是/否."""
    if value is None:
        return "未填写"
    if spec.kind == "bool":
        return "是" if value else "否"
    if spec.kind == "choice":
        return spec.choices.get(str(value), str(value))
    if spec.kind == "choice_list":
        return "、".join(spec.choices.get(v, v) for v in value) or "无"  # type: ignore[union-attr]
    if spec.kind == "money_list":
        return "、".join(qty(Decimal(v), "元") for v in value) or "无"  # type: ignore[union-attr]
    if spec.kind == "percent":
        return pct(Decimal(value))  # type: ignore[arg-type]
    if spec.kind == "money":
        return qty(Decimal(value), "元")  # type: ignore[arg-type]
    return num(Decimal(value))  # type: ignore[arg-type]


def fill(text: str, f: Mapping[str, object], facts: Mapping[str, FactSpec]) -> str:
    """``{name}`` in a sentence of a definition becomes the value of the fact ``name``."""
    if "{" not in text:
        return text
    known = _FILLERS.get((text, id(facts)))
    if known is None or known[0] is not facts:  # cut once per sentence and clause
        if len(_FILLERS) > 20_000:  # sentences of definitions edited since: start again
            _FILLERS.clear()
        known = _FILLERS[(text, id(facts))] = (facts, _filler(text, facts))
    return known[1](f)


# (sentence, id of its clause's facts) -> (those facts, the sentence's filler); the facts are
# kept so that their id cannot be reused by another clause's while the entry exists
_FILLERS: dict[tuple[str, int], tuple[Mapping[str, FactSpec], Callable]] = {}


def _filler(text: str, facts: Mapping[str, FactSpec]) -> Callable[[Mapping[str, object]], str]:
    """The sentence as literal pieces and, for each placeholder, a function of the facts."""
    pieces: list[object] = []
    at = 0
    for m in PLACEHOLDER.finditer(text):
        pieces.append(text[at : m.start()])
        name, unit = m.group(1), m.group(2)
        if name not in facts:
            pieces.append(m.group(0))
        else:
            pieces.append(_value_words(name, facts[name], unit))
        at = m.end()
    pieces.append(text[at:])
    parts = [p for p in pieces if p != ""]

    def filled(f: Mapping[str, object]) -> str:
        return "".join([p if isinstance(p, str) else p(f) for p in parts])  # type: ignore[operator]

    return filled


def _value_words(name: str, spec: FactSpec, unit: str | None) -> Callable:
    if unit:  # a number in the unit the text uses

        def in_unit(f: Mapping[str, object]) -> str:
            value = f[name]
            return fact_words(spec, None) if value is None else qty(Decimal(value), unit)  # type: ignore[arg-type]

        return in_unit
    if spec.kind == "money":

        def money(f: Mapping[str, object]) -> str:
            value = f[name]
            return "未填写" if value is None else yuan(value)  # type: ignore[arg-type]

        return money
    return lambda f: fact_words(spec, f[name])


def placeholders_known(c: Compiler, text: str) -> set[str]:
    """The facts a sentence names; an unknown one is an error naming it."""
    names = {m.group(1) for m in PLACEHOLDER.finditer(text)}
    for name in names - set(c.facts):
        c.error(f"文字中的「{{{name}}}」不是已声明的事实")
    return names & set(c.facts)


# -- conditions ---------------------------------------------------------------------------
@dataclass
class Condition:
    kind: str  # flag, in, compare, all, any, not
    fact: FactSpec | None = None
    expect: bool = True
    choices: tuple[str, ...] = ()
    left: Quantity | None = None
    op: str = ">="
    right: Quantity | None = None
    children: list[Condition] = field(default_factory=list)
    yes: str = ""
    no: str = ""
    facts: Mapping[str, FactSpec] = field(default_factory=dict, repr=False)
    named: set[str] = field(default_factory=set)
    only_if_met: bool = False
    quiet: bool = False
    stop: bool = False
    applies: list[Condition] = field(default_factory=list)
    show_as: str = ""
    zero: str = ""
    step_label: str = ""
    plain: bool = False  # ``met`` and ``unmet`` both given, without placeholders (set by freeze)

    def test(self, f: Mapping[str, object]) -> tuple[bool, str]:
        """Met or not, with the Chinese sentence saying why (for the trace). ``met``/``unmet``
        texts may show the compared value with the placeholder ``{值}`` (plain text replace)."""
        if self.yes or self.no:  # the definition's own sentence: the default one is not needed
            ok = self.holds(f)
            own = self.yes if ok else self.no
            if own:
                return ok, self.own_words(f, own)
        return self._test(f)

    def own_words(self, f: Mapping[str, object], own: str) -> str:
        """The definition's ``met``/``unmet`` sentence ``own`` with its values filled in."""
        if "{值}" in own and self.kind == "compare":
            value = self.left.evaluate(f)  # type: ignore[union-attr]
            shown = "无法计算" if value is None else self._left_words(value, exact=True)
            own = own.replace("{值}", shown)
        return fill(own, f, self.facts)

    def show(self, f: Mapping[str, object], t) -> None:
        """``show_as``: the trace lists the compared figure before the verdict."""
        if self.show_as:
            value = self.left.evaluate(f)  # type: ignore[union-attr]
            unit = self.left.unit  # type: ignore[union-attr]
            if value is not None:
                value = value.quantize(Decimal("0.01"))
            shown = "无法计算" if value is None else qty(value, unit)
            t.step(fill(self.show_as, f, self.facts), shown)

    def record(self, f: Mapping[str, object], t, *, so_far: bool = True) -> bool:
        """Test and write the trace: the reason (an unmet condition makes the enterprise
        ineligible); a growth check also shows how the growth was computed. A condition marked
        ``only_if_met`` is looked at only when the ones before it hold."""
        if self.only_if_met and not so_far:
            return False
        if self.applies and not all(c.holds(f) for c in self.applies):  # 仅对某些情形适用
            return True  # not looked at
        if self.kind == "growth_check":
            return self._record_growth(f, t)
        if self.show_as:
            self.show(f, t)
        if self.plain:  # its own sentences, with no value to fill in
            ok = self.holds(f)
            return True if ok and self.quiet else t.check(ok, self.yes, self.no)
        if self.quiet and self.holds(f):  # met and quiet: no sentence to write
            return True
        met, text = self.test(f)
        if met and self.quiet:
            return True
        return t.check(met, text, text)

    def _record_growth(self, f: Mapping[str, object], t, *, required: bool = True) -> bool:
        """``required=False`` for a part's own case: unmet is a reason, not ineligibility."""
        if not required:
            failed, t.failed = t.failed, False
            ok = self._record_growth(f, t)
            t.failed = failed
            return ok
        left = self.left
        current, previous = left.args  # type: ignore[union-attr]
        cur, prev = current.evaluate(f), previous.evaluate(f)
        growth = left.evaluate(f)  # type: ignore[union-attr]
        if growth is None or cur is None or prev is None:
            t.fail(fill(self.zero or f"{left.label}：上年同期为0，无法计算同比增速", f,  # type: ignore[union-attr]
                        self.facts))  # fmt: skip
            return False
        shown = pct(growth.quantize(Decimal("0.01")))
        prev_words = grouped(prev)
        t.step(f"{self.step_label}：({grouped(cur)} − {prev_words}) ÷ {prev_words}", shown)
        if self.right is None:  # only that the growth can be computed
            return True
        ok = _compare(growth, self.op, self.right.value)
        own = self.yes if ok else self.no
        if own:
            text = fill(own, f, self.facts)
        else:
            words = ("" if ok else "未") + f"{OPS_WORDS[self.op]}{pct(self.right.value)}"
            text = f"{left.label}同比增长{shown}，{words}"  # type: ignore[union-attr]
        return t.check(ok, text, text)

    def holds(self, f: Mapping[str, object]) -> bool:
        """``test(f)[0]`` without writing the sentence (where only the verdict is read)."""
        k = self.kind
        if k == "growth_check" or k == "compare":
            left = self.left.evaluate(f)  # type: ignore[union-attr]
            if left is None:
                return False
            if self.right is None:
                return k == "growth_check"
            right = self.right.value if k == "growth_check" else self.right.evaluate(f)
            return right is not None and _compare(left, self.op, right)
        if k == "flag":
            return bool(f[self.fact.name]) is self.expect  # type: ignore[union-attr]
        if k == "in":
            value = f[self.fact.name]  # type: ignore[union-attr]
            picked = [value] if isinstance(value, str) else list(value or ())
            return bool(set(picked) & set(self.choices))
        if k == "not":
            return not self.children[0].holds(f)
        if k == "all":
            return all(child.holds(f) for child in self.children)
        return any(child.holds(f) for child in self.children)

    def _test(self, f: Mapping[str, object]) -> tuple[bool, str]:
        k = self.kind
        if k == "growth_check":
            growth = self.left.evaluate(f)  # type: ignore[union-attr]
            if growth is None:
                return False, f"{self.left.label}无法计算（上年同期为0）"  # type: ignore[union-attr]
            if self.right is None:
                return True, f"{self.left.label}可以计算"  # type: ignore[union-attr]
            ok = _compare(growth, self.op, self.right.value)
            return ok, f"{self.left.label}同比增长{_shown(growth, '%')}"  # type: ignore[union-attr]
        if k == "flag":
            value = bool(f[self.fact.name])  # type: ignore[union-attr]
            label = self.fact.label  # type: ignore[union-attr]
            if value is self.expect:
                return True, f"{label}：{'是' if value else '否'}"
            return False, f"不满足「{label if self.expect else '非' + label}」"
        if k == "in":
            value = f[self.fact.name]  # type: ignore[union-attr]
            picked = [value] if isinstance(value, str) else list(value or ())
            names = "、".join(self.fact.choices.get(v, v) for v in picked) or "未填写"  # type: ignore[union-attr]
            ok = bool(set(picked) & set(self.choices))
            return ok, f"{self.fact.label}：{names}" + ("" if ok else "，不在支持范围内")  # type: ignore[union-attr]
        if k == "compare":
            left, right = self.left.evaluate(f), self.right.evaluate(f)  # type: ignore[union-attr]
            label = self.left.label  # type: ignore[union-attr]
            if left is None or right is None:
                why = (self.left if left is None else self.right).why_not()  # type: ignore[union-attr]
                return False, f"{label}无法计算（{why}）"
            ok = _compare(left, self.op, right)
            shown = self._left_words(left)
            target = self._right_words(right)
            words = MET_WORDS if ok else UNMET_WORDS
            return ok, f"{label}为{shown}，{words[self.op]}{target}"
        results = [child.test(f) for child in self.children]
        if k == "not":
            ok, text = results[0]
            return (not ok), (f"不满足：{text}" if ok else text)
        if k == "all":
            ok = all(r[0] for r in results)
            return ok, "；".join(t for r_ok, t in results if r_ok is ok)
        met = [t for r_ok, t in results if r_ok]
        if met:
            return True, met[0]
        return False, "以下条件均不满足：" + "；".join(t for _, t in results)

    def _left_words(self, left: Decimal, *, exact: bool = False) -> str:
        """As the class clauses show a fact: a count as a bare number, money "50,000,000.00 元"."""
        q = self.left
        if q.kind == "fact" and q.fact.kind in ("int", "rank"):  # type: ignore[union-attr]
            return num(left)
        if q.kind == "fact":
            return qty(left, q.unit)  # type: ignore[union-attr]
        return _shown(left, q.unit, exact=exact)  # type: ignore[union-attr]

    def _right_words(self, right: Decimal) -> str:
        if self.right.kind == "value":  # type: ignore[union-attr]
            return quantity_words(right, self.left.unit)  # type: ignore[union-attr]
        return f"{self.right.label}（{_shown(right, self.right.unit)}）"  # type: ignore[union-attr]

    def facts_used(self) -> set[str]:
        own = {self.fact.name} if self.fact else set()
        own |= self.named
        for c in self.applies:
            own |= c.facts_used()
        for q in (self.left, self.right):
            if q is not None:
                own |= q.facts_used()
        return own.union(*(c.facts_used() for c in self.children))


_COMPARE = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq,
}  # fmt: skip


def _compare(x: Decimal, op: str, y: Decimal) -> bool:
    return _COMPARE[op](x, y)


def _shown(value: Decimal, unit: str, *, exact: bool = False) -> str:
    if unit == "%" and not exact:
        return f"{num(value.quantize(Decimal('0.01')))}%"
    if unit == "元":
        return qty(value, unit)
    return f"{num(value)}{unit}"


CONDITION_KEYS = (
    "fact",
    "of",
    "op",
    "value",
    "than",
    "is",
    "in",
    "all",
    "any",
    "not",
    "met",
    "unmet",
    "growth_check",
    "label",
    "step",
    "zero",
    "only_if_met",
    "quiet",
    "stop",
    "if",
    "show_as",
)


def compile_condition(c: Compiler, raw: object) -> Condition | None:
    with c.nested() as ok:
        return _condition(c, raw) if ok else None


def _condition(c: Compiler, raw: object) -> Condition | None:
    if isinstance(raw, str):
        raw = {"fact": raw}
    if not isinstance(raw, Mapping):
        c.error(f"条件应为对象，写的是 {raw!r}")
        return None
    unknown = [k for k in raw if k not in CONDITION_KEYS]
    if unknown:
        c.error(f"条件中不认识的项：{'、'.join(map(str, unknown))}"
                f"（可用 {'、'.join(CONDITION_KEYS)}）")  # fmt: skip
        return None
    texts = {"yes": str(raw.get("met", "")), "no": str(raw.get("unmet", ""))}
    named = placeholders_known(c, texts["yes"] + texts["no"])
    if "growth_check" in raw:
        cond = _growth_check(c, raw, texts)
    else:
        cond = _compile_condition(c, raw, texts)
    if cond is not None:
        cond.only_if_met = bool(raw.get("only_if_met"))
        cond.quiet = bool(raw.get("quiet"))
        cond.stop = bool(raw.get("stop"))
        cond.show_as = str(raw.get("show_as") or "")
        if cond.show_as and cond.kind != "compare":
            c.error("show_as（先在计算过程中列出比较的数）只用于比较条件")
        named |= placeholders_known(c, cond.show_as)
        if raw.get("if") is not None:
            with c.at("适用情形"):
                cond.applies = compile_conditions(c, raw["if"]) or []
        named |= placeholders_known(c, str(raw.get("zero") or ""))
        cond.facts = c.facts
        cond.named = named
    return cond


def _growth_check(c: Compiler, raw: Mapping, texts: dict[str, str]) -> Condition | None:
    """同比增长达到…: ``{growth_check: [current, previous], label: 一季度营业收入, op: 以上,
    value: 10}``; the trace shows the computation; without ``op`` only that the growth can be
    computed (a previous figure of 0 makes the enterprise ineligible, said by ``zero``)."""
    label = str(raw.get("label") or "")
    left = compile_quantity(c, {"growth": raw["growth_check"], "label": label or None})
    if left is None:
        return None
    cond = Condition("growth_check", left=left, **texts)
    cond.step_label = str(raw.get("step") or f"{left.label}同比增速")
    cond.zero = str(raw.get("zero") or "")
    if "op" in raw:
        op = OPERATORS.get(str(raw["op"]).strip())
        if op is None or "value" not in raw:
            c.error("增速条件应写 op（以上/超过…）和 value（百分点）")
            return None
        cond.op = op
        cond.right = Quantity("value", "", "%", value=c.number(raw["value"], "增速门槛"))
    return cond


def _compile_condition(c: Compiler, raw: Mapping, texts: dict[str, str]) -> Condition | None:
    for kind in ("all", "any"):
        if kind in raw:
            items = raw[kind]
            if not isinstance(items, list) or not items:
                c.error(f"「{'全部满足' if kind == 'all' else '满足其一'}」应列出至少一个条件")
                return None
            children = compile_conditions(c, items)
            return Condition(kind, children=children, **texts) if children is not None else None
    if "not" in raw:
        with c.at("不满足"):
            child = compile_condition(c, raw["not"])
        return Condition("not", children=[child], **texts) if child else None
    if "op" in raw:
        op = OPERATORS.get(str(raw["op"]).strip())
        if op is None:
            c.error(f"比较词「{raw['op']}」不认识，应为以上、达到、不低于、超过、高于、以下、以内、"
                    "不超过、不满、低于、等于之一")  # fmt: skip
            return None
        left = compile_quantity(c, raw.get("of", raw.get("fact")))
        if "than" in raw:
            right = compile_quantity(c, raw["than"])
        elif "value" in raw:
            value = c.number(raw["value"], "比较的数值")
            right = Quantity("value", quantity_words(value, left.unit if left else ""), value=value)
        else:
            c.error("比较条件缺少 value（数值）或 than（另一个数）")
            return None
        if left is None or right is None:
            return None
        return Condition("compare", left=left, op=op, right=right, **texts)
    spec = c.fact(raw.get("fact"), ("bool", "choice", "choice_list"))
    if spec is None:
        return None
    if "in" in raw:
        choices = raw["in"] if isinstance(raw["in"], list) else [raw["in"]]
        unknown = [str(x) for x in choices if not isinstance(x, str) or x not in spec.choices]
        if spec.kind == "bool" or unknown or not choices:
            c.error(f"事实「{spec.label}」没有选项 {'、'.join(unknown) or '（空）'}")
            return None
        return Condition("in", fact=spec, choices=tuple(choices), **texts)
    if spec.kind != "bool":
        c.error(f"事实「{spec.label}」不是是/否，请用 in 列出选项或用 op 比较")
        return None
    expect = raw.get("is", True)
    if not isinstance(expect, bool):
        c.error(f"事实「{spec.label}」的 is 应为 true 或 false")
        return None
    return Condition("flag", fact=spec, expect=expect, **texts)


def compile_conditions(c: Compiler, items: object) -> list[Condition] | None:
    if items in (None, []):
        return []
    if not isinstance(items, list):
        items = [items]
    out = []
    for i, item in enumerate(items, start=1):
        with c.at(f"第{i}个条件"):
            cond = compile_condition(c, item)
        if cond is not None:
            out.append(cond)
    return out if len(out) == len(items) else None
