"""``spec_to_definition(clause)``: a clause declared with ``register_spec`` (``spec.py``) written
as a definition, for moving the library onto definitions (issue 20 item 5). The definition
gives the same amount and the same trace (reasons and steps) as the spec: the tests compare
them on every golden case."""

from __future__ import annotations

from collections.abc import Mapping

from ..fmt import num
from ..spec import DataClause
from ..thresholds import Threshold, Tier

WORD = {">=": "以上", ">": "超过"}


def _threshold(raw: object) -> dict:
    thr = Threshold.parse(raw)
    return {"op": WORD[thr.op], "value": num(thr.value)}


def _fact(spec) -> dict:
    out: dict = {"name": spec.name, "label": spec.label, "type": spec.kind}
    if not spec.required:
        out["required"] = False
    for key, value in (("unit", spec.unit), ("help", spec.help), ("needed_if", spec.needed_if)):
        if value:
            out[key] = value
    if spec.choices:
        out["choices"] = dict(spec.choices)
    if spec.minimum is not None:
        out["min"] = num(spec.minimum)
    if spec.maximum is not None:
        out["max"] = num(spec.maximum)
    return out


def _condition(raw: object, facts: Mapping, prefix: str | None = None) -> dict:
    """``prefix`` (not None): the threshold as the parameter the spec declares for it."""
    cond = {"fact": raw} if isinstance(raw, str) else dict(raw)  # type: ignore[call-overload]
    fact = facts[cond["fact"]]
    out: dict = {"fact": fact.name}
    if "op" in cond and prefix is not None:
        out["threshold"] = {"param": cond.get("param") or f"{prefix}{fact.name}_threshold"}
    elif "op" in cond:
        thr = Threshold.parse({"value": cond.get("value"), "op": cond["op"]})
        out.update(_threshold(thr))
        out["met"] = f"{fact.label}为{{值}}，{thr.words(fact.unit)}"
        out["unmet"] = f"{fact.label}为{{值}}，未{thr.words(fact.unit)}"
    elif "in" in cond:
        out["in"] = list(cond["in"])
    elif cond.get("is", True) is False:
        out["is"] = False
        out["unmet"] = f"不满足「{fact.label}」"
    if "yes" in cond:
        out["met"] = cond["yes"]
    if "no" in cond:
        out["unmet"] = cond["no"]
    return out


def _node(
    spec: Mapping, facts: Mapping, *, conditions: bool = True, prefix: str | None = None
) -> dict:
    """``prefix`` (not None): every number the spec declares as a parameter is written as a
    reference to it (``{param: prefix + key}``), as ``spec._Node`` names them."""
    kind = spec["type"]
    node: dict = {"label": str(spec.get("label") or spec.get("name") or "奖励")}
    if spec.get("name"):
        node["name"] = spec["name"]
    if conditions and spec.get("conditions"):
        node["when"] = [_condition(c, facts, prefix) for c in spec["conditions"]]
    if spec.get("cap") is not None and kind != "claim_capped":
        node["cap"] = str(spec["cap"])
    if kind == "fixed":
        node.update(type="fixed", amount=str(spec["amount"]))
    elif kind == "percent_capped":
        node.update(type="percent", of=spec["base"], rate=str(spec["rate"]))
        if spec.get("threshold") is not None:
            node["threshold"] = _threshold(spec["threshold"])
    elif kind == "steps":
        node.update(type="steps", of=spec["base"], step=str(spec["step"]),
                    per_step=str(spec["per_step"]))  # fmt: skip
        if spec.get("threshold") is not None:
            node["threshold"] = _threshold(spec["threshold"])
    elif kind == "tiers":
        rows = [Tier.parse(r) for r in spec["tiers"]]
        node.update(type="tiers", of=spec["base"], tiers=[
            {**_threshold(r.threshold), "amount": num(r.amount)} for r in rows])  # fmt: skip
    elif kind == "choice":
        node.update(type="table", fact=spec["fact"], amounts={k: str(v) for k, v in spec["amounts"].items()},
                    pick=spec.get("pick", "max"))  # fmt: skip
    elif kind == "matching":
        node.update(type="matching", of=spec["base"], ratio=str(spec.get("ratio", "1")))
    elif kind == "per_item_percent":
        node.update(type="per_item", of=spec["base"], rate=str(spec["rate"]),
                    item_threshold=_threshold(spec.get("item_threshold", ">=0")))  # fmt: skip
    elif kind == "claim_capped":
        node.update(
            type="up_to", of={"fact": spec["base"], "label": "申请金额"}, amount=str(spec["cap"])
        )
    elif kind == "band":
        node.update(type="up_to", min=str(spec["min"]), amount=str(spec["max"]))
    elif kind == "no_formula":
        node.update(type="none", note=spec["note"])
    else:
        node.update(type="sum" if kind == "sum" else "highest", parts=[
            _node(item, facts, prefix=None if prefix is None else f"{item.get('name') or f'item{i}'}.")
            for i, item in enumerate(spec["items"], start=1)
        ])  # fmt: skip
    if prefix is not None:
        _as_references(node, spec, prefix)
    return node


# spec type -> (definition key, the spec's parameter key) for each number it declares
PARAMETERS = {
    "fixed": [("amount", "amount")],
    "percent_capped": [("rate", "rate"), ("cap", "cap"), ("threshold", "threshold")],
    "steps": [("step", "step"), ("per_step", "per_step"), ("cap", "cap"), ("threshold", "threshold")],
    "tiers": [("tiers", "tiers")],
    "choice": [("amounts", "amounts")],
    "matching": [("ratio", "ratio"), ("cap", "cap")],
    "per_item_percent": [("rate", "rate"), ("item_threshold", "item_threshold"), ("cap", "cap")],
    "claim_capped": [("amount", "cap")],
    "band": [("min", "min"), ("amount", "max")],
    "sum": [("cap", "cap")],
}  # fmt: skip


def _as_references(node: dict, spec: Mapping, prefix: str) -> None:
    """Each number ``spec._Node`` declares as a parameter, as a reference to it (a threshold
    only when the spec gives one; a cap always: its value may be none, 不设上限)."""
    for key, name in PARAMETERS.get(spec["type"], ()):
        if key == "threshold" and "threshold" not in spec:
            continue
        node[key] = {"param": prefix + name}


def spec_to_definition(clause: DataClause, *, parameters: bool = False) -> dict:
    """``parameters``: the clause's ``ParamSpec``s declared (``params``) and every number they
    stand for written as a reference, so that a rule version's values (条款规则维护) apply."""
    facts = {f.name: f for f in clause.facts}
    spec = clause.spec
    prefix = "" if parameters else None
    definition: dict = {
        "code": clause.code,
        "article": int(clause.code.rsplit("/", 1)[1]),
        "title": clause.title,
        "quote": clause.doc,
        "facts": [_fact(f) for f in clause.facts],
        "when": [_condition(c, facts, prefix) for c in spec.get("conditions", ())],
        "formula": _node(spec, facts, conditions=False, prefix=prefix),
    }
    if parameters:
        definition["params"] = [
            {k: v for k, v in p.to_dict().items() if v != "" or k == "label"} for p in clause.params
        ]
    if clause.is_ceiling:
        definition["ceiling"] = True
    stacking = {
        "groups": list(clause.stacking_groups), "stacks_with": list(clause.stacks_with),
        "matters": list(clause.matters), "ladder": clause.ladder, "once": clause.once_per_enterprise,
        "subject": clause.subject_kind, "paid_per": clause.paid_per, "fixed_period": clause.fixed_period,
        "group_items": {g: list(n) for g, n in clause.group_items.items()},
    }  # fmt: skip
    definition["stacking"] = {k: v for k, v in stacking.items() if v}
    defaults = clause.validate_params(None)
    caps: dict = {}
    if clause.annual_cap_param:
        caps["per_year"] = (
            {"param": clause.annual_cap_param}
            if parameters
            else num(defaults[clause.annual_cap_param])
        )
    if clause.enterprise_cap_params:
        first = clause.enterprise_cap_params[0]
        caps["per_period"] = {"param": first} if parameters else num(defaults[first])
    if caps:
        definition["caps"] = caps
    return definition
