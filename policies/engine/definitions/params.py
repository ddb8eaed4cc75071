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

from ..facts import DEFAULT_UNITS
from ..fmt import num
from ..params import PARAM_KINDS, ParamSpec
from ..thresholds import Threshold, Tier

PARAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_.]{0,79}$")  # spec clauses' names carry "item1."
WORDS = {">=": "以上", ">": "超过"}
_REMOVE = object()


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
            out.append(ParamSpec(name, str(item.get("label") or name), kind, item.get("default"),
                                 help=str(item.get("help") or ""), unit=str(item.get("unit") or "")))  # fmt: skip
        except (ValueError, TypeError) as exc:
            errors.append(f"{where}「{name}」：默认值{exc}")
    return tuple(out)


def references(data: object) -> set[str]:
    """The names every ``{param: NAME}`` of ``data`` refers to."""
    found: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            if is_reference(value):
                found.add(str(value["param"]))
                continue
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def substitute(data: Mapping, specs: tuple[ParamSpec, ...], values: Mapping[str, object]) -> dict:
    """``data`` without its ``params`` and with every reference replaced by ``values``."""
    by_name = {p.name: p for p in specs}
    facts = {
        f.get("name"): f for f in data.get("facts") or [] if isinstance(f, Mapping)
    }  # for a condition's sentences: the fact's label and unit

    def walk(value: object) -> object:
        if isinstance(value, Mapping):
            if is_reference(value) and value["param"] in by_name:
                return notation(values[value["param"]])
            if "type" not in value and "fact" in value and is_reference(value.get("threshold")):
                return walk(_condition(value, values[value["threshold"]["param"]], facts))
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
