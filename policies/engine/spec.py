"""Data-declared clauses: ``register_spec(code, spec, meta)`` builds a ``DataClause``.

For the many simple articles (a fixed amount, a percentage with a cap, a tiers table, no
figure at all) a clause is a dict instead of a class. Every number in the spec becomes an
editable param (named after its key, prefixed by the sub-item's ``name`` inside ``sum``/``max``).

Node types (each may carry ``label`` and ``conditions``):

- ``{"type": "fixed", "amount": "500000"}``
- ``{"type": "percent_capped", "base": FACT, "rate": "10", "cap": "10000000",
  "threshold": ">=20000000"}``  (``threshold`` on the base, optional; ``cap`` optional)
- ``{"type": "steps", "base": FACT, "step": "10000000", "per_step": "20000", "cap": ...}``
- ``{"type": "tiers", "base": FACT, "tiers": [{"value": "5e8", "op": ">=", "amount": "1e5"}]}``
- ``{"type": "choice", "fact": FACT, "amounts": {"national": "1000000", ...},
  "pick": "max"}``  (for a choice fact, or a choice_list fact: ``max`` = 就高, ``sum``)
- ``{"type": "matching", "base": FACT, "ratio": "1", "cap": ...}``  (1:1 配套)
- ``{"type": "per_item_percent", "base": MONEY_LIST_FACT, "rate": "1",
  "item_threshold": ">=5000000", "cap": ...}``
- ``{"type": "claim_capped", "base": FACT, "cap": "1000000"}``  (amount claimed, up to cap;
  a ceiling)
- ``{"type": "band", "min": "20000", "max": "150000"}``  (amount = max, a ceiling; floor = min)
- ``{"type": "no_formula", "note": "按照相关政策给予支持"}``  (text gives no figure)
- ``{"type": "sum", "items": [node, ...], "cap": ...}`` / ``{"type": "max", "items": [...]}``

Conditions: ``"above_scale"`` (bool fact must be true), ``{"fact": F, "is": False}``,
``{"fact": F, "op": ">=", "value": "50"}`` (an editable threshold),
``{"fact": F, "in": ["a", "b"]}``; optional ``"yes"``/``"no"`` Chinese reason texts.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal

from portal.core.money import ZERO

from . import blocks
from .clause import Clause
from .errors import SpecError
from .facts import FactSpec, fact_from_dict
from .fmt import qty, yuan
from .params import ParamSpec
from .registry import register_clause
from .result import Trace
from .thresholds import Threshold

NUMERIC = ("money", "percent", "area", "kwh", "int")
NODE_KEYS = {
    "fixed": {"amount"},
    "percent_capped": {"base", "rate", "cap", "threshold"},
    "steps": {"base", "step", "per_step", "cap", "threshold"},
    "tiers": {"base", "tiers"},
    "choice": {"fact", "amounts", "pick"},
    "matching": {"base", "ratio", "cap"},
    "per_item_percent": {"base", "rate", "item_threshold", "cap"},
    "claim_capped": {"base", "cap"},
    "band": {"min", "max"},
    "no_formula": {"note"},
    "sum": {"items", "cap"},
    "max": {"items"},
}
COMMON_KEYS = {"type", "name", "label", "conditions"}


class _Node:
    def __init__(self, spec: Mapping, prefix: str, facts: Mapping[str, FactSpec]) -> None:
        if not isinstance(spec, Mapping) or spec.get("type") not in NODE_KEYS:
            raise SpecError(f"node type must be one of {sorted(NODE_KEYS)}: {spec!r}")
        self.type = spec["type"]
        unknown = set(spec) - NODE_KEYS[self.type] - COMMON_KEYS
        if unknown:
            raise SpecError(f"{self.type}: unknown keys {sorted(unknown)}")
        self.spec = spec
        self.prefix = prefix
        self.facts = facts
        self.label = str(spec.get("label") or spec.get("name") or "奖励")
        self.params: list[ParamSpec] = []
        self.children = [
            _Node(item, f"{item.get('name') or f'item{i}'}.", facts)
            for i, item in enumerate(spec.get("items", ()), start=1)
            if isinstance(item, Mapping)
        ]
        if self.type in ("sum", "max") and len(self.children) != len(spec.get("items", ())):
            raise SpecError(f"{self.type}: items must be a list of nodes")
        self.conditions = [self._condition(c) for c in spec.get("conditions", ())]
        self._declare_params()

    # -- declaration ---------------------------------------------------------------------
    def _fact(self, key: str, kinds: Sequence[str]) -> FactSpec:
        name = self.spec.get(key)
        fact = self.facts.get(name) if isinstance(name, str) else None
        if fact is None:
            raise SpecError(f"{self.type}.{key}: {name!r} is not a declared fact")
        if fact.kind not in kinds:
            raise SpecError(f"{self.type}.{key}: fact {name} must be one of {kinds}")
        return fact

    def _param(
        self, key: str, label: str, kind: str, default: object = None, unit: str = ""
    ) -> None:
        raw = self.spec.get(key, default)
        name = self.prefix + key
        try:
            self.params.append(ParamSpec(name, f"{self.label}：{label}", kind, raw, unit=unit))
        except ValueError as exc:
            raise SpecError(f"{self.type}.{key}: {exc}") from exc

    def _declare_params(self) -> None:
        t = self.type
        if t == "fixed":
            self._param("amount", "奖励金额", "money")
        elif t in ("percent_capped", "steps", "matching", "claim_capped", "tiers"):
            self.base = self._fact("base", NUMERIC)
        elif t == "per_item_percent":
            self.base = self._fact("base", ("money_list",))
        elif t == "choice":
            self.base = self._fact("fact", ("choice", "choice_list"))
            amounts = self.spec.get("amounts")
            if not isinstance(amounts, Mapping) or not set(amounts) <= set(self.base.choices):
                raise SpecError(f"choice.amounts keys must be choices of {self.base.name}")
            if self.spec.get("pick", "max") not in ("max", "sum"):
                raise SpecError("choice.pick must be 'max' or 'sum'")
            self._param("amounts", "各选项奖励金额", "amounts")
        if t in ("percent_capped", "per_item_percent"):
            self._param("rate", "比例（%）", "percent")
        if t == "steps":
            self._param("step", "每档数额", "money")
            self._param("per_step", "每档奖励", "money")
        if t == "tiers":
            self._param("tiers", "档位表", "tiers", unit=self.base.unit)
        if t == "matching":
            self._param("ratio", "配套比例", "ratio", "1")
        if t == "band":
            self._param("min", "最低金额", "money")
            self._param("max", "最高金额", "money")
        if t in ("percent_capped", "steps") and "threshold" in self.spec:
            self._param("threshold", "门槛", "threshold", unit=self.base.unit)
        if t == "per_item_percent":
            self._param("item_threshold", "单项门槛", "threshold", ">=0", unit="元")
        if t in ("percent_capped", "steps", "matching", "per_item_percent", "sum"):
            self._param("cap", "最高金额（空为不设上限）", "cap")
        if t == "claim_capped":
            self._param("cap", "最高金额", "money")
        if t == "no_formula" and not self.spec.get("note"):
            raise SpecError("no_formula needs a note (e.g. 按照相关政策给予支持)")

    def _condition(self, raw: object) -> dict:
        cond = {"fact": raw} if isinstance(raw, str) else dict(raw)  # type: ignore[call-overload]
        fact = self.facts.get(cond.get("fact"))
        if fact is None:
            raise SpecError(f"condition {raw!r}: not a declared fact")
        cond["spec"] = fact
        if "op" in cond:
            if fact.kind not in NUMERIC:
                raise SpecError(f"condition {raw!r}: {fact.name} is not numeric")
            pname = cond.get("param") or f"{self.prefix}{fact.name}_threshold"
            threshold = {"value": cond.get("value"), "op": cond["op"]}
            try:
                self.params.append(
                    ParamSpec(pname, f"{fact.label}门槛", "threshold", threshold, unit=fact.unit)
                )
            except ValueError as exc:
                raise SpecError(f"condition {raw!r}: {exc}") from exc
            cond["param"] = pname
        elif "in" in cond:
            if fact.kind != "choice" or not set(cond["in"]) <= set(fact.choices):
                raise SpecError(f"condition {raw!r}: 'in' needs choices of {fact.name}")
        elif fact.kind != "bool":
            raise SpecError(f"condition {raw!r}: give op/value or in for a non-bool fact")
        return cond

    def all_params(self) -> list[ParamSpec]:
        return self.params + [p for c in self.children for p in c.all_params()]

    # -- evaluation ----------------------------------------------------------------------
    def _conditions_met(self, f: Mapping, p: Mapping, t: Trace, top: bool) -> bool:
        ok = True
        for cond in self.conditions:
            fact: FactSpec = cond["spec"]
            value = f[fact.name]
            shown_value = qty(value, fact.unit) if isinstance(value, Decimal) else value
            if "param" in cond:
                thr: Threshold = p[cond["param"]]  # type: ignore[assignment]
                met = thr.met(value)  # type: ignore[arg-type]
                yes = f"{fact.label}为{shown_value}，{thr.words(fact.unit)}"
                no = f"{fact.label}为{shown_value}，未{thr.words(fact.unit)}"
            elif "in" in cond:
                met = value in cond["in"]
                shown = fact.choices.get(value, "未填写") if value else "未填写"  # type: ignore
                yes, no = f"{fact.label}：{shown}", f"{fact.label}：{shown}，不在支持范围内"
            else:
                met = value is cond.get("is", True)
                yes, no = f"{fact.label}：{'是' if value else '否'}", f"不满足「{fact.label}」"
            yes, no = cond.get("yes", yes), cond.get("no", no)
            if top:
                ok &= t.check(met, yes, no)
            elif met:
                t.reason(f"{self.label}：{yes}")
            else:
                t.reason(f"{self.label}：{no}")
                ok = False
        return ok

    def evaluate(self, f: Mapping, p: Mapping, t: Trace, top: bool = False) -> Decimal:
        if not self._conditions_met(f, p, t, top):
            return ZERO
        pre = self.prefix
        label, t_ = self.label, self.type
        if t_ == "fixed":
            return blocks.fixed(t, label, p[pre + "amount"])
        if t_ == "percent_capped":
            return blocks.percent_of(
                t, label, f[self.base.name], p[pre + "rate"], p[pre + "cap"],
                p.get(pre + "threshold"), self.base.unit,
            )  # fmt: skip
        if t_ == "steps":
            base, thr = f[self.base.name], p.get(pre + "threshold")
            if thr is not None and not thr.met(base):
                t.reason(f"{label}：{self.base.label}未{thr.words(self.base.unit)}")
                return ZERO
            return blocks.whole_steps(
                t, label, base, p[pre + "step"], p[pre + "per_step"], p[pre + "cap"], self.base.unit
            )
        if t_ == "tiers":
            return blocks.highest_tier(
                t, label, f[self.base.name], p[pre + "tiers"], self.base.unit
            )
        if t_ == "choice":
            return self._choice(f, p, t)
        if t_ == "matching":
            return blocks.matching_grant(
                t, label, f[self.base.name], p[pre + "ratio"], p[pre + "cap"]
            )
        if t_ == "per_item_percent":
            return blocks.per_item_percent(
                t,
                label,
                f[self.base.name],
                p[pre + "rate"],
                p[pre + "item_threshold"],
                p[pre + "cap"],
            )
        if t_ == "claim_capped":
            t.is_ceiling = True
            t.step(f"{label}：申请金额", yuan(f[self.base.name]))
            return blocks.cap_at(t, label, f[self.base.name], p[pre + "cap"])
        if t_ == "band":
            t.is_ceiling = True
            t.floor = p[pre + "min"]
            t.step(f"{label}：奖励区间", f"{yuan(p[pre + 'min'])}至{yuan(p[pre + 'max'])}")
            return p[pre + "max"]
        if t_ == "no_formula":
            t.computable = False
            t.reason(f"{label}：{self.spec['note']}（政策原文未规定金额，由主管部门核定）")
            return ZERO
        parts = [(c.label, c.evaluate(f, p, t)) for c in self.children]
        for child, (_, amount) in zip(self.children, parts, strict=True):
            if child.spec.get("name"):
                t.items[child.spec["name"]] = amount
        if t_ == "sum":
            return blocks.capped_sum(t, label, parts, p[pre + "cap"])
        return blocks.highest_only(t, label, {n: a for n, a in parts if a > 0})

    def _choice(self, f: Mapping, p: Mapping, t: Trace) -> Decimal:
        amounts: Mapping[str, Decimal] = p[self.prefix + "amounts"]
        value = f[self.base.name]
        picked = [value] if isinstance(value, str) else list(value or ())
        items = {self.base.choices[v]: amounts[v] for v in picked if v in amounts}
        if not items:
            t.reason(f"{self.label}：未选择可奖励的{self.base.label}")
            return ZERO
        for name, amount in items.items():
            t.step(f"{self.label}：{name}", yuan(amount))
        if self.spec.get("pick", "max") == "sum":
            return blocks.capped_sum(t, self.label, list(items.items()))
        return blocks.highest_only(t, self.label, items)


META_KEYS = {
    "article", "title", "doc", "facts", "is_ceiling", "matters", "stacking_groups",
    "stacks_with", "ladder", "annual_cap_param", "once_per_enterprise", "version",
    "paid_per", "subject_kind", "fixed_period", "enterprise_cap_params", "group_items",
}  # fmt: skip


class DataClause(Clause):
    """A clause declared as data (see the module docstring for the spec format)."""

    def __init__(self, code: str, spec: Mapping, meta: Mapping, *, origin: str = "") -> None:
        unknown = set(meta) - META_KEYS
        if unknown:
            raise SpecError(f"clause {code}: unknown meta keys {sorted(unknown)}")
        self.code = code
        self.spec = spec
        self._origin = origin or f"data:{code}"
        self.article = str(meta.get("article", ""))
        self.title = str(meta.get("title", ""))
        self._doc = str(meta.get("doc", ""))
        try:
            self.facts = tuple(fact_from_dict(d) for d in meta.get("facts", ()))
        except (TypeError, ValueError) as exc:
            raise SpecError(f"clause {code}: bad fact declaration: {exc}") from exc
        self.root = _Node(spec, "", {fs.name: fs for fs in self.facts})
        self.params = tuple(self.root.all_params())
        self.combine = {"sum": "sum", "max": "max"}.get(spec["type"], "single")
        types = _types(self.root)
        self.is_ceiling = bool(meta.get("is_ceiling")) or bool({"band", "claim_capped"} & types)
        self.computable = types != {"no_formula"} and spec["type"] != "no_formula"
        for key in ("matters", "stacking_groups", "stacks_with"):
            setattr(self, key, tuple(meta.get(key, ())))
        self.ladder = meta.get("ladder")
        self.annual_cap_param = meta.get("annual_cap_param")
        self.once_per_enterprise = bool(meta.get("once_per_enterprise", False))
        self.paid_per = str(meta.get("paid_per", ""))
        self.subject_kind = str(meta.get("subject_kind", ""))
        self.fixed_period = str(meta.get("fixed_period", ""))
        self.enterprise_cap_params = tuple(meta.get("enterprise_cap_params", ()))
        # {group: [names of sum items]}: only those items' amounts meet the group's others
        self.group_items = {g: tuple(n) for g, n in dict(meta.get("group_items", {})).items()}
        self.stacking_parts = bool(self.group_items)
        self.version = str(meta.get("version", "1"))

    @property
    def origin(self) -> str:
        return self._origin

    @property
    def doc(self) -> str:
        return self._doc

    def compute(self, f: Mapping[str, object], p: Mapping[str, object], t: Trace) -> Decimal:
        amount = self.root.evaluate(f, p, t, top=True)
        for group, names in self.group_items.items():
            t.part(group, sum((t.items.get(n, ZERO) for n in names), ZERO))
        return amount


def _types(node: _Node) -> set[str]:
    return {node.type}.union(*(_types(c) for c in node.children))


_SPEC_CLAUSES: dict[str, DataClause] = {}


def register_spec(code: str, spec: Mapping, meta: Mapping) -> DataClause:
    """Declare a clause as data. ``meta`` needs ``article``, ``title``, ``doc`` (the article
    citation and quote) and ``facts`` (FactSpec objects or dicts with name, label, kind,
    required, help, unit, choices).

    The registry answers the code with the clause *definition* this spec is written as
    (``spec_to_definition(parameters=True)``: the same facts, parameters and results, proven on
    every golden case with every parameter changed in turn); the ``DataClause`` itself stays
    reachable through ``spec_clause`` (the proof compares the two)."""
    caller = sys._getframe(1).f_globals.get("__name__", "")
    clause = DataClause(code, spec, meta, origin=f"{caller}:{code}")
    clause.check_declaration()
    _SPEC_CLAUSES[code] = clause
    register_clause(_as_definition(clause))
    return clause


def _as_definition(clause: DataClause) -> Clause:
    """The definition the spec is written as; the ``DataClause`` itself when the spec says
    something a definition refuses (a fact it never reads: a definition must use every fact).
    Every spec of the library is a definition (``test_definitions_equal_classes.py``)."""
    from .definitions import DefinitionError, compile_definition
    from .definitions.from_spec import spec_to_definition

    try:
        return compile_definition(spec_to_definition(clause, parameters=True), run_tests=False)
    except DefinitionError:
        return clause


def spec_clause(code: str) -> DataClause:
    """The ``DataClause`` a spec declared (the registry answers with its definition)."""
    return _SPEC_CLAUSES[code]


def spec_codes() -> list[str]:
    from .registry import class_codes

    return [c for c in class_codes() if c in _SPEC_CLAUSES]
