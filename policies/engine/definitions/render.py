"""A definition in Chinese sentences, as the policy text would say it (for the editor page,
the library and the review page): "2023年一季度营业收入同比增长≥10%的，每增加1000万元奖励2万元，
最高100万元"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..fmt import num
from ..thresholds import OPS
from .formula import Node
from .logic import MET_WORDS, SYMBOLS, Condition, Quantity
from .numbers import money_words, quantity_words


def condition_text(cond: Condition) -> str:
    """One condition in words; one that applies only in some cases says when ("其中…的，…")."""
    text = _condition_text(cond)
    if cond.applies:
        return f"（其中{'，且'.join(_condition_text(c) for c in cond.applies)}的，{text}）"
    return text


def _condition_text(cond: Condition) -> str:
    k = cond.kind
    if k == "flag":
        return cond.fact.label if cond.expect else f"非{cond.fact.label}"  # type: ignore[union-attr]
    if k == "in":
        names = "或".join(cond.fact.choices[c] for c in cond.choices)  # type: ignore[union-attr]
        return f"{cond.fact.label}为{names}"  # type: ignore[union-attr]
    if k == "compare":
        right = cond.right
        target = (
            quantity_words(right.value, cond.left.unit)  # type: ignore[union-attr]
            if right.kind == "value"  # type: ignore[union-attr]
            else right.label  # type: ignore[union-attr]
        )
        return f"{cond.left.label}{SYMBOLS[cond.op]}{target}"  # type: ignore[union-attr]
    if k == "growth_check":
        if cond.right is None:
            return f"{cond.left.label}可以按上年为基数计算增长"  # type: ignore[union-attr]
        return f"{cond.left.label}同比增长{SYMBOLS[cond.op]}{num(cond.right.value)}%"  # type: ignore[union-attr]
    if k == "not":
        return f"不满足“{condition_text(cond.children[0])}”"
    if k == "all":
        return "，且".join(condition_text(c) for c in cond.children)
    return "（" + "，或".join(condition_text(c) for c in cond.children) + "）"


def conditions_text(conds: Iterable[Condition], said: Mapping[int, str] | None = None) -> str:
    """The conditions joined by “且”; ``said`` gives the words of some of them (by ``id``)."""
    said = said or {}
    return "，且".join(said.get(id(c)) or condition_text(c) for c in conds if not _only_says(c))


def _only_says(cond: Condition) -> bool:
    """Looked at only when it holds (its ``if`` is itself): always met, it gives the trace a
    sentence (“本年营业收入超过5亿元，增长率门槛为20%”) and the rule nothing to say."""
    text = _condition_text(cond)
    return any(_condition_text(c) == text for c in cond.applies)


COUNTS = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


def _m(node: Node, key: str) -> str:
    return money_words(node.numbers[key])


def _key(q: Quantity) -> tuple:
    return (q.kind, q.fact.name if q.fact else "", q.value, tuple(_key(a) for a in q.args))


def _about(cond: Condition, node: Node) -> bool:
    """``cond`` compares the very figure ``node`` computes from (so the sentence has said it)."""
    left, of = cond.left, node.of
    if cond.kind not in ("compare", "growth_check") or cond.applies or left is None or of is None:
        return False
    return left.label == of.label or _key(left) == _key(of)


def _growth_start(node: Node, conds: Sequence[Condition]) -> Condition | None:
    """The condition that is where a ``growth_steps`` node starts counting (增速达到/超过 its
    ``above``): the sentence says it once, “营业收入同比增速达到10%的，每增加1个百分点…”."""
    if node.type != "growth_steps":
        return None
    above = node.numbers.get("above", 0)
    for cond in conds:
        right = cond.right
        if (_about(cond, node) and cond.op in (">=", ">") and right is not None
                and right.kind == "value" and right.value == above):  # fmt: skip
            return cond
    return None


def _start_words(node: Node, cond: Condition) -> str:
    return f"{node.of.label}{MET_WORDS[cond.op]}{num(cond.right.value)}%"  # type: ignore[union-attr]


def formula_text(node: Node, stated: Sequence[Condition] = (), *, inner: bool = False) -> str:
    """The formula in words; ``stated``: conditions the sentence says before it (the clause's),
    so that the figure a condition has just named is not named again; ``inner``: a part of a
    sum or of a 就高, whose own sum or 就高 says how many items it takes."""
    own = [*node.gate, *node.when, *node.require]
    start = _growth_start(node, own)
    before = own or stated  # the conditions said just before the formula: the last names
    said = bool(before) and _about(before[-1], node)
    started = start is not None or _growth_start(node, stated) is not None
    text = _body(node, said=said, started=started, inner=inner)
    if node.cap is not None and node.type not in ("fixed",):
        text += f"，最高{money_words(node.cap)}"
    if node.ceiling:
        text += "（为上限，审核可核减）"
    if own:
        words = {id(start): _start_words(node, start)} if start is not None else {}
        text = f"{conditions_text(own, words)}的，{text}"
    return text


def _steps_text(node: Node, said: bool) -> str:
    """每增加N奖励M; once a condition has named the figure, not again: “…数≥1个的，每个奖励…”."""
    unit = node.of.unit or "元"  # type: ignore[union-attr]
    n = node.numbers
    step = quantity_words(n["step"], unit)
    head = "" if said or node.of.kind == "increase" else node.of.label  # type: ignore[union-attr]
    if node.over:
        every = "每超过" if node.over == ">" else "每达到"
        return f"{head}{every}{step}奖励{_m(node, 'per_step')}"
    if said and n["step"] == 1 and unit not in ("元", "%"):
        return f"每{unit}奖励{_m(node, 'per_step')}"
    return f"{head}每增加{step}奖励{_m(node, 'per_step')}"


def _body(node: Node, *, said: bool = False, started: bool = False, inner: bool = False) -> str:
    """``said``: a condition has just named the figure this node computes from; ``started``:
    one has said where a growth's steps start."""
    k, n = node.type, node.numbers
    of = node.of.label if node.of is not None else ""
    if k == "fixed":
        return f"给予{_m(node, 'amount')}奖励"
    if k == "percent":
        base = "" if said else f"{of}的"
        if "min_rate" in n:
            return f"按{base}{num(n['min_rate'])}%-{num(n['rate'])}%给予奖励"
        return f"按{base}{num(n['rate'])}%给予奖励"
    if k == "steps":
        return _steps_text(node, said)
    if k == "growth_steps":
        per = f"每增加{num(n['points'])}个百分点奖励{_m(node, 'per_step')}"
        if started:
            return per
        above = f"超过{num(n.get('above', 0))}%的部分" if n.get("above") else ""
        return f"{of}{above}{per}"
    if k == "tiers":
        rows = "，".join(
            f"{OPS[t.threshold.op]}{quantity_words(t.threshold.value, node.of.unit)}的奖励"  # type: ignore[union-attr]
            f"{money_words(t.amount)}"
            for t in node.tiers
        )
        return f"{of}{rows}（取最高一档）"
    if k == "table":
        rows = "、".join(
            f"{node.fact.choices[c]}{money_words(a)}"  # type: ignore[union-attr]
            for c, a in node.amounts.items()
        )
        how = (
            "（可相加）"
            if node.pick == "sum"
            else "（就高）"
            if node.fact.kind == "choice_list"
            else ""
        )  # type: ignore[union-attr]
        return f"按{node.fact.label}分别给予：{rows}{how}"  # type: ignore[union-attr]
    if k == "per_unit":
        if said:
            return f"每{node.unit}给予{_m(node, 'amount')}"
        return f"按{of}，每{node.unit}给予{_m(node, 'amount')}"
    if k == "per_item":
        text = f"{of}每项按{num(n['rate'])}%给予补贴"
        if "item_cap" in n:
            text += f"，单项最高{_m(node, 'item_cap')}"
        if "max_items" in n:
            text += f"，每年最多{num(n['max_items'])}项"
        return text
    if k == "matching":
        return f"按{of}1:{num(n.get('ratio', 1))}配套"
    if k == "interest":
        text = f"按{of}的{num(n.get('rate', 100))}%给予贴息"
        if "rate" not in n and node.rate_cap_of is not None:
            text = f"按{of}给予贴息"
        if "loan_cap" in n:
            text += f"（贷款额超过{_m(node, 'loan_cap')}的按比例计）"
        if node.rate_cap_of is not None:
            text += f"（利率最高按{node.rate_cap_of.label}计）"
        return text
    if k == "difference":
        rows = "、".join(f"{node.fact.choices[c]}{money_words(a)}" for c, a in node.amounts.items())  # type: ignore[union-attr]
        return f"按{node.fact.label}给予：{rows}，扣减已获较低等级奖励（级差）"  # type: ignore[union-attr]
    if k == "up_to":
        if node.of is not None:
            return f"按{of}给予，不超过{_m(node, 'amount')}（审核可核减）"
        if "min" in n:
            return f"给予{_m(node, 'min')}至{_m(node, 'amount')}的支持（审核核定）"
        return f"给予不超过{_m(node, 'amount')}的支持（审核可核减）"
    if k == "first_over":
        rows = "、".join(quantity_words(t.threshold.value, node.of.unit) for t in node.tiers)  # type: ignore[union-attr]
        gifts = "、".join(money_words(t.amount) for t in node.tiers)
        text = f"{of}首次{OPS[node.tiers[0].threshold.op]}{rows}的，分别奖励{gifts}"
        if node.repeat:
            r = node.repeat
            text += (
                f"；超{quantity_words(r['from'], node.of.unit)}后每上一个"  # type: ignore[union-attr]
                f"{quantity_words(r['step'], node.of.unit)}台阶，再奖励{money_words(r['amount'])}"  # type: ignore[union-attr]
            )
        return text + "（以历年最高为准）"
    if k == "title_ladder":
        rows = "、".join(f"{node.fact.choices[c]}{money_words(a)}" for c, a in node.amounts.items())  # type: ignore[union-attr]
        return f"按{node.fact.label}给予：{rows}；获得不同等级称号的按级差奖励"  # type: ignore[union-attr]
    if k == "each":
        text = f"{of}每项按{num(n['rate'])}%给予补贴"
        if "item_cap" in n:
            text += f"，每项最高{_m(node, 'item_cap')}"
        return text
    if k == "amount":
        return f"按{of}给予"
    if k == "heads_once":
        return node.heads.sentence()  # type: ignore[union-attr]
    if k == "choose":
        rows = [f"{conditions_text(conds)}的，{formula_text(n)}" for conds, n in node.cases]
        return "；".join([*rows, f"其他的，{formula_text(node.parts[0])}"])
    if k == "sum" and len(node.parts) == 1:
        return formula_text(node.parts[0], inner=inner)
    parts = "；".join(formula_text(p, inner=True) for p in node.parts)
    count = COUNTS.get(len(node.parts), str(len(node.parts)))
    if k == "sum":  # a sum inside a sum says its own items, not “以上各项” twice
        return f"{parts}；以上{count}项相加" if inner else f"{parts}；以上各项相加"
    if k == "highest":
        return f"{parts}（以上{count}项就高取一项）" if inner else f"就高取一项：{parts}"
    return node.note


def clause_sentence(clause) -> str:
    """The whole clause in one Chinese sentence (conditions, formula, caps)."""
    text = formula_text(clause.formula, clause.when)
    if clause.when:
        start = _growth_start(clause.formula, clause.when)
        words = {id(start): _start_words(clause.formula, start)} if start is not None else {}
        text = f"{conditions_text(clause.when, words)}的，{text}"
    declared = {p.name for p in getattr(clause, "declared", ())}  # said where they stand
    for spec in clause.params:
        if spec.name not in declared and spec.kind == "cap" and spec.default is not None:
            text += f"；{spec.label}{money_words(spec.default)}"
    if clause.is_ceiling:
        text += "（计算结果为上限，审核时可核减）"
    return text + "。"
