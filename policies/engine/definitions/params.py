"""Numbers of a definition that a rule version may change: ``params`` and ``{param: NAME}``.

A definition may declare the numbers a policy officer changes per rule version (条款规则维护), as a
class clause declares its ``ParamSpec``s, and refer to them where a number stands::

    params:
      - {name: rate, label: 比例（%）, kind: percent, default: "10"}
      - {name: cap, label: 最高金额（空为不设上限）, kind: cap, default: "1000000"}
      - {name: revenue_threshold, label: 营业收入门槛, kind: threshold,
         default: {value: "50000000", op: ">="}, unit: 元}
    when: [{fact: revenue, threshold: {param: revenue_threshold}}]
    formula: {type: percent, of: investment, rate: {param: rate}, cap: {param: cap}}
    caps: {per_year: {param: cap}}      # the yearly cap is that same number

Before a definition is compiled every ``{param: NAME}`` is replaced by the value (a rule
version's, else the default) in the definition's own notation: a number as text, a threshold as
``{op, value}``, tiers as rows, amounts as a table; a ``cap`` of none (不设上限) removes its key.
A condition ``{fact: F, threshold: {param: NAME}}`` becomes ``op``/``value`` with the sentences a
class clause writes ("营业收入为{值}，达到50,000,000.00 元"). ``DefinedClause`` compiles once per
distinct set of values and keeps them (a rule version's numbers are few and change rarely).
Nothing here runs code from the data: substitution is a walk over dicts and lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from portal.core.money import MAX_YUAN

from ..facts import DEFAULT_UNITS
from ..fmt import grouped, num, pct, qty, yuan
from ..params import PARAM_KINDS, ParamSpec
from ..thresholds import OPS, Threshold, Tier
from .numbers import money_words

PARAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_.]{0,79}$")  # spec clauses' names carry "item1."
WORDS = {">=": "以上", ">": "超过"}
_REMOVE = object()
NUMBERS = ("money", "percent", "ratio", "number")
# ``{param:NAME}`` or ``{param:NAME:FORMAT}`` inside a sentence, label or note (see ``words``)
TOKEN_RE = re.compile(r"\{param:([a-z][a-z0-9_.]{0,79})(?::([^{}:]{1,12}))?\}")


def declared_params(raw: object, errors: list[str]) -> tuple[ParamSpec, ...]:
    """The ``params`` list as ``ParamSpec``s; Chinese messages for what does not validate."""
    if raw in (None, []):
        return ()
    if not isinstance(raw, list):
        errors.append("可调整的数字（params）应为列表")
        return ()
    out: list[ParamSpec] = []
    for i, item in enumerate(raw, start=1):
        where = f"第{i}个可调整的数字"
        if not isinstance(item, Mapping) or set(item) - {"name", "label", "kind", "default",
                                                         "unit", "help"}:  # fmt: skip
            errors.append(f"{where}：应写 name、label、kind、default（可选 unit、help）")
            continue
        name, kind = item.get("name"), item.get("kind")
        if not isinstance(name, str) or not PARAM_NAME_RE.match(name):
            errors.append(f"{where}：名称「{name}」应为小写英文字母、数字、下划线和点")
            continue
        if not isinstance(kind, str) or kind not in PARAM_KINDS:
            errors.append(f"{where}「{name}」：种类应为{'、'.join(PARAM_KINDS)}之一")
            continue
        if any(p.name == name for p in out):
            errors.append(f"{where}：名称「{name}」重复")
            continue
        try:
            spec = ParamSpec(name, str(item.get("label") or name), kind, item.get("default"),
                             help=str(item.get("help") or ""), unit=str(item.get("unit") or ""))  # fmt: skip
        except (ValueError, TypeError) as exc:
            errors.append(f"{where}「{name}」：默认值{exc}")
            continue
        if any(not n.is_finite() or abs(n) >= MAX_YUAN for n in _numbers(spec.default)):
            errors.append(f"{where}「{name}」：默认值过大，请核对单位")
            continue
        out.append(spec)
    return tuple(out)


def _numbers(value: object) -> list[Decimal]:
    """Every number of a parameter's value (a threshold's, tiers', an amounts table's)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return [Decimal(value)]
    if isinstance(value, Threshold):
        return [value.value]
    if isinstance(value, tuple):
        return [n for t in value if isinstance(t, Tier) for n in (t.threshold.value, t.amount)]
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, Decimal)]
    return []


def references(data: object) -> set[str]:
    """The names every ``{param: NAME}`` of ``data`` refers to."""
    found: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            if is_reference(value) or _part_of(value):
                found.add(str(value["param"]))
                continue
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            found.update(m.group(1) for m in TOKEN_RE.finditer(value))
    return found


def substitute(data: Mapping, specs: tuple[ParamSpec, ...], values: Mapping[str, object]) -> dict:
    """``data`` without its ``params`` and with every reference replaced by ``values``."""
    by_name = {p.name: p for p in specs}
    facts = {
        f["name"]: f
        for f in (data.get("facts") if isinstance(data.get("facts"), list) else [])
        if isinstance(f, Mapping) and isinstance(f.get("name"), str)
    }  # for a condition's sentences: the fact's label and unit

    def walk(value: object) -> object:
        if isinstance(value, str):
            return TOKEN_RE.sub(lambda m: _token(m, by_name, values), value)
        if isinstance(value, Mapping):
            if is_reference(value) and value["param"] in by_name:
                return notation(values[value["param"]])
            if _part_of(value) and value["param"] in by_name:
                return _part(values[value["param"]], str(value["take"]), value)
            if _sum_of_numbers(value, by_name):  # {sum: [{param: A}, {param: B}]}: A + B
                return num(sum((values[r["param"]] for r in value["sum"]), Decimal(0)))
            ref = value.get("value")
            if (
                is_reference(ref)
                and by_name.get(ref["param"])
                and by_name[ref["param"]].kind == "threshold"
            ):  # {op?, value: {param: T}}: T's comparison and number
                thr = values[ref["param"]]
                assert isinstance(thr, Threshold)
                rest = {k: v for k, v in value.items() if k not in ("op", "value")}
                return walk({**rest, "op": WORDS[thr.op], "value": num(thr.value)})
            thr_ref = value.get("threshold")
            if (
                "type" not in value
                and isinstance(value.get("fact"), str)
                and is_reference(thr_ref)
                and isinstance(values.get(thr_ref["param"]), Threshold)
            ):
                return walk(_condition(value, values[thr_ref["param"]], facts))
            out = {}
            for key, item in value.items():
                done = walk(item)
                if done is not _REMOVE:
                    out[key] = done
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk({k: v for k, v in data.items() if k != "params"})  # type: ignore[return-value]


def _part_of(value: Mapping) -> bool:
    """``{param: NAME, take: PART}``: one part of a parameter's value (see ``_part``)."""
    return set(value) == {"param", "take"} and isinstance(value["take"], str)


def _part(value: object, take: str, written: Mapping) -> object:
    """A threshold's ``value`` (its number) or ``op`` (以上 / 超过); an amounts table's entry for
    the choice ``take``. Anything else is left as written (compiling then says where)."""
    if isinstance(value, Threshold) and take in ("value", "op"):
        return num(value.value) if take == "value" else WORDS[value.op]
    if isinstance(value, Mapping) and take in value:
        return num(value[take])
    return dict(written)


def _sum_of_numbers(value: Mapping, by_name: Mapping[str, ParamSpec]) -> bool:
    items = value.get("sum") if set(value) == {"sum"} else None
    return (
        isinstance(items, list)
        and bool(items)
        and all(
            is_reference(r) and getattr(by_name.get(r["param"]), "kind", "") in NUMBERS
            for r in items
        )
    )


def _token(match: re.Match, by_name: Mapping[str, ParamSpec], values: Mapping[str, object]) -> str:
    spec = by_name.get(match.group(1))
    if spec is None:
        return match.group(0)  # left as written: compiling reports the unknown placeholder
    return words(spec, values[spec.name], match.group(2) or "")


def words(spec: ParamSpec, value: object, fmt: str = "") -> str:
    """A parameter's value as a sentence writes it. ``fmt``: 门槛 / 门槛值 (a threshold's
    words or number, with the unit after them or the parameter's), 比较 (达到/超过), 元
    (20,000.00 元), 万元 (2万元), % (10%), 数 (2000), 千分 (2,000); without it the
    parameter's own way: a threshold's words, a comparator's 达到/超过, money in 元, % for a
    percent, else the number."""
    if value is None:
        return "不设上限"
    if isinstance(value, Threshold):
        if fmt.startswith("门槛值"):
            return qty(value.value, fmt[3:] or spec.unit)
        if fmt.startswith("门槛") or not fmt:
            return value.words(fmt[2:] or spec.unit)
        if fmt == "比较":
            return OPS[value.op]
        value = value.value
    if isinstance(value, str):  # a comparator
        return OPS.get(value, value)
    if not isinstance(value, Decimal | int):
        return str(value)
    fmt = fmt or {"money": "元", "cap": "元", "percent": "%"}.get(spec.kind, "数")
    shown = {"元": yuan, "万元": money_words, "%": pct, "数": num, "千分": grouped}.get(fmt)
    return shown(Decimal(value)) if shown else num(value)


def is_reference(value: object) -> bool:
    """``{param: NAME}``."""
    return isinstance(value, Mapping) and set(value) == {"param"}


def _condition(cond: Mapping, thr: object, facts: Mapping) -> dict:
    """``{fact, threshold: {param}}`` as op/value with the class clause's sentences."""
    assert isinstance(thr, Threshold)
    from .clause import FACT_TYPES  # (clause.py imports this module)

    fact = facts.get(cond["fact"]) or {}
    kind = FACT_TYPES.get(str(fact.get("type")), str(fact.get("type")))
    label = str(fact.get("label") or cond["fact"])
    unit = str(fact.get("unit") or DEFAULT_UNITS.get(kind, ""))
    out = {k: v for k, v in cond.items() if k != "threshold"}
    out.update(op=WORDS[thr.op], value=num(thr.value))
    out.setdefault("met", f"{label}为{{值}}，{thr.words(unit)}")
    out.setdefault("unmet", f"{label}为{{值}}，未{thr.words(unit)}")
    return out


def notation(value: object) -> object:
    """A parameter's value as the definition writes it where a number stands."""
    if value is None:  # a cap of 不设上限: its key goes
        return _REMOVE
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, Threshold):
        return {"op": WORDS[value.op], "value": num(value.value)}
    if isinstance(value, tuple) and all(isinstance(t, Tier) for t in value):
        return [{"op": WORDS[t.threshold.op], "value": num(t.threshold.value),
                 "amount": num(t.amount)} for t in value]  # fmt: skip
    if isinstance(value, Mapping):
        return {str(k): num(v) for k, v in value.items()}
    if isinstance(value, str):  # a comparator
        return WORDS.get(value, value)
    return value  # an int


def values_key(specs: tuple[ParamSpec, ...], values: Mapping[str, object]) -> tuple:
    """A hashable key of the values (one compiled clause per distinct key)."""
    return tuple((p.name, repr(p.serialize(values[p.name]))) for p in specs)
