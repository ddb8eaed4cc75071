"""The named block ``heads_once``: two per-head amounts one person cannot both have.

郑政〔2022〕17号第4条（二）（三）: 一次性吸纳就业补贴 (SMEs only, up to 1500元 a head) and 一次性扩岗补助
(up to 1500元 a head) “不能同时享受”: a graduate counted in both gets only the higher one. No other
block says it: the number counted in both is asked only when both apply, must not exceed either
count (an input error, not ineligibility), and comes off at the lower of the two amounts::

    type: heads_once
    label: （二）（三）不能同时享受            # the deduction's step
    items:                                  # exactly two
      - count: absorbed_graduates           # an integer fact
        amount: 1500                        # per head (a parameter may stand here)
        unit: 人
        label: （二）一次性吸纳就业补贴上限
        need: {unit_size: 申报一次性吸纳就业补贴（限中小微企业）时必须填写}   # facts its `when` reads
        when: [{fact: unit_size, in: [sme], unmet: （二）…不是中小微企业，不计}]   # else not counted
        say: [（二）中小微企业招用未就业高校毕业生{absorbed_graduates}人，每人不超过1,500.00 元]
      - {count: expansion_graduates, amount: 1500, unit: 人, label: （三）一次性扩岗补助上限}
    both: graduates_in_both                 # counted in both (asked only when both count)
    both_need: 同时申报两项时必须填写
    both_words: 同时计入两项的毕业生人数      # how the input error names it

Inside a ``sum`` the part is left out when neither item counts (saying why an item does not).
Pure: the facts as parsed, the trace; nothing runs from the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from portal.core.money import ZERO

from ..errors import FactError
from ..facts import FactSpec
from ..fmt import yuan
from ..result import Trace
from .logic import Compiler, Condition, compile_conditions, fill, placeholders_known
from .numbers import money_words

ITEM_KEYS = {"count", "amount", "unit", "label", "need", "when", "say"}


@dataclass
class Head:
    count: FactSpec
    amount: Decimal
    unit: str
    label: str
    need: dict[str, str] = field(default_factory=dict)
    when: list[Condition] = field(default_factory=list)
    say: list[str] = field(default_factory=list)


@dataclass
class Heads:
    items: list[Head]
    both: FactSpec
    both_need: str
    both_words: str
    facts: Mapping[str, FactSpec] = field(default_factory=dict, repr=False)

    def counted(self, f: Mapping[str, object], t: Trace | None) -> list[int]:
        """Each item's count, 0 where its ``when`` does not hold (``t``: say why)."""
        out = []
        for item in self.items:
            n = int(f[item.count.name] or 0)  # type: ignore[call-overload]
            if n and hasattr(f, "need"):
                for name, why in item.need.items():
                    f.need(name, why=why)
            for cond in item.when if n else ():
                if not cond.holds(f):
                    if t is not None and cond.no:
                        t.reason(cond.own_words(f, cond.no))
                    n = 0
                    break
            out.append(n)
        return out

    def compute(self, f: Mapping[str, object], t: Trace, label: str) -> Decimal:
        counts = self.counted(f, t)
        both = 0
        if all(counts):
            if hasattr(f, "need"):
                f.need(self.both.name, why=self.both_need)
            both = int(f[self.both.name] or 0)  # type: ignore[call-overload]
            if both > min(counts):
                unit = self.items[0].unit
                raise FactError(
                    {self.both.name: f"「{self.both_words}」{both}{unit}，不能多于任一项的"
                                     f"{unit}数（{min(counts)}{unit}）"},
                )  # fmt: skip
        amount = ZERO
        for item, n in zip(self.items, counts, strict=True):
            if not n:
                continue
            for text in item.say:
                t.reason(fill(text, f, self.facts))
            part = n * item.amount
            t.step(f"{item.label}：{n}{item.unit} × {yuan(item.amount)}", yuan(part))
            amount += part
        if both:
            lower = min(item.amount for item in self.items)
            unit = self.items[0].unit
            t.step(
                f"{label}：{both}{unit}同时计入，每{unit}只计较高一项，扣减{both}{unit} × {yuan(lower)}",
                yuan(-(both * lower)),
            )
            amount -= both * lower
        return amount

    def conditions(self) -> list[Condition]:
        return [cond for item in self.items for cond in item.when]

    def facts_used(self) -> set[str]:
        used = {self.both.name} | {item.count.name for item in self.items}
        for item in self.items:
            used |= set(item.need)
            for cond in item.when:
                used |= cond.facts_used()
        return used

    def sentence(self) -> str:
        """“（二）一次性吸纳就业补贴每人不超过1500元、（三）…，同一人不能同时享受（只计较高一项）”
        (each item's label without its “上限”)."""
        each = "、".join(
            f"{item.label.removesuffix('上限')}每{item.unit}不超过{money_words(item.amount)}"
            for item in self.items
        )
        return f"{each}，同一{self.items[0].unit}不能同时享受（只计较高一项）"


def compile_heads(c: Compiler, raw: Mapping) -> Heads | None:
    items = raw.get("items")
    if not isinstance(items, list) or len(items) != 2:
        c.error("同一人只计一项块的 items 应为两项（每项写 count、amount、label）")
        return None
    heads = []
    for i, item in enumerate(items, start=1):
        with c.at(f"第{i}项"):
            if (
                not isinstance(item, Mapping)
                or set(item) - ITEM_KEYS
                or not {"count", "amount", "label"} <= set(item)
            ):
                c.error("应写 count（人数）、amount（每人金额）、label，可选 unit、need、when、say")
                continue
            count = c.fact(item["count"], ("int",))
            need = item.get("need") or {}
            if not isinstance(need, Mapping) or any(n not in c.facts for n in need):
                c.error("need 应为「事实: 为什么必须填写」的对照，事实须已声明")
                need = {}
            say = (
                [str(x) for x in (item.get("say") or [])]
                if isinstance(item.get("say") or [], list)
                else [str(item["say"])]
            )
            for text in say:
                placeholders_known(c, text)
            when = compile_conditions(c, item.get("when")) or []
            if count is not None:
                heads.append(Head(
                    count, c.number(item["amount"], "每人金额"), str(item.get("unit") or "人"),
                    str(item["label"]), {str(k): str(v) for k, v in need.items()}, when, say,
                ))  # fmt: skip
    both = c.fact(raw.get("both"), ("int",))
    if both is None or len(heads) != 2:
        return None
    return Heads(
        heads, both, str(raw.get("both_need") or "两项都申报时必须填写"),
        str(raw.get("both_words") or both.label), c.facts,
    )  # fmt: skip
