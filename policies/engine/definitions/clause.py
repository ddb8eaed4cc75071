"""``compile_definition(data) -> DefinedClause``: a clause declared wholly as data.

A ``DefinedClause`` is a ``policies.engine.Clause``: it parses facts, writes the same Trace and
returns the same AwardResult as a class clause, so the registry, the calculator, 为我推荐, the
application form, the review page, 免申即享 and the award contract use it unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal

from portal.core.money import ZERO, format_yuan

from .. import periods
from ..clause import CODE_RE, COMBINES, Clause
from ..errors import EngineError, ParamError
from ..facts import KINDS, FactSpec
from ..params import ParamSpec
from ..result import Trace
from .fast import freeze_all
from .formula import Node, compile_node
from .logic import Compiler, Condition, compile_conditions
from .numbers import NotANumber, parse_number
from .params import declared_params, is_reference, references, substitute, values_key

FACT_TYPES = {
    "金额": "money", "百分比": "percent", "是否": "bool", "整数": "int", "名次": "rank",
    "面积": "area", "电量": "kwh", "选项": "choice", "金额列表": "money_list", "多选": "choice_list",
}  # fmt: skip
FACT_KEYS = {
    "name",
    "label",
    "type",
    "unit",
    "required",
    "needed_if",
    "help",
    "choices",
    "min",
    "max",
}
TOP_KEYS = {
    "code", "article", "title", "quote", "facts", "when", "formula", "ceiling", "stacking",
    "caps", "tests", "combine", "params",
}  # fmt: skip
STACKING_KEYS = {
    "groups", "stacks_with", "ladder", "once", "subject", "paid_per", "fixed_period", "matters",
    "group_items",
}  # fmt: skip
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class DefinitionError(ValueError):
    """A definition that does not validate: ``messages`` in Chinese, each naming its part."""

    def __init__(self, messages: list[str], code: str = "") -> None:
        self.messages = list(messages)
        self.code = code
        super().__init__("；".join(self.messages))


class DefinedClause(Clause):
    """A clause built from a definition (see ``policies/engine/definitions/__init__.py``)."""

    def __init__(self, data: Mapping, facts: tuple[FactSpec, ...], when: list[Condition],
                 formula: Node, params: tuple[ParamSpec, ...]) -> None:  # fmt: skip
        self.definition = data
        self.code = str(data["code"])
        self.article = _article_words(data["article"])
        self.title = str(data["title"])
        self._doc = str(data.get("quote") or "").strip()
        self.cited_in = ""  # the policy's document number (set by whoever knows the policy)
        self.facts = facts
        self.when = when
        self.formula = formula
        self.params = params
        derived = {
            "sum": "sum", "highest": "max", "difference": "tier_difference",
            "title_ladder": "tier_difference", "first_over": "sum", "each": "sum",
        }.get(formula.type, "single")  # fmt: skip
        self.combine = str(data.get("combine") or derived)
        self.is_ceiling = bool(data.get("ceiling"))
        self.computable = formula.type != "none"
        stacking = data.get("stacking") or {}
        self.stacking_groups = tuple(stacking.get("groups") or ())
        self.stacks_with = tuple(stacking.get("stacks_with") or ())
        self.matters = tuple(stacking.get("matters") or ())
        self.ladder = stacking.get("ladder") or None
        self.once_per_enterprise = bool(stacking.get("once"))
        self.subject_kind = str(stacking.get("subject") or "")
        self.paid_per = str(stacking.get("paid_per") or "")
        self.fixed_period = str(stacking.get("fixed_period") or "")
        self.group_items = {g: tuple(n) for g, n in dict(stacking.get("group_items") or {}).items()}
        self.stacking_parts = bool(self.group_items)
        names = {p.name for p in params}
        self.annual_cap_param = "annual_cap" if "annual_cap" in names else None
        # 单一企业…不超过 (no 每年) over some items only: each such cap meets only their share
        self.cap_items = _cap_items(data.get("caps"))
        self.enterprise_cap_params = (("period_cap",) if "period_cap" in names else ()) + tuple(
            self.cap_items
        )
        self.stacking_parts = bool(
            self.group_items or self.cap_items or any(n.part for n in formula.walk())
        )
        self.version = definition_version(data)
        self.declared: tuple[ParamSpec, ...] = ()  # numbers a rule version may change (params.py)
        nodes = list(formula.walk())
        freeze_all(  # closures once per clause instead of walking the tree per evaluation
            [*when, *(c for n in nodes for c in n.own_conditions())],
            [q for n in nodes for q in n.own_quantities()],
        )

    def parameterised(self, raw: Mapping, declared: tuple, cap_refs: Mapping[str, str]) -> None:
        """The definition as written (``{param: NAME}`` in it) and the numbers it declares: a
        rule version with other values computes through the definition compiled for them."""
        self.definition = raw
        self.version = definition_version(raw)
        self.declared = declared
        # what validate_params(None) gives: the text's own numbers
        self._defaults = {q.name: q.default for q in self.params}
        self._default_key = values_key(declared, {q.name: q.default for q in declared})
        self._variants: dict[tuple, DefinedClause] = {}
        if "per_year" in cap_refs:
            self.annual_cap_param = cap_refs["per_year"]
        if "per_period" in cap_refs:
            self.enterprise_cap_params = (cap_refs["per_period"], *self.enterprise_cap_params)

    def _for_values(self, p: Mapping[str, object]) -> DefinedClause:
        if p == self._defaults:  # the text's own numbers (most rule versions): no key to build
            return self
        key = values_key(self.declared, p)
        if key == self._default_key:
            return self
        variant = self._variants.get(key)
        if variant is None:
            if len(self._variants) > 64:  # rule versions are few; start again if not
                self._variants.clear()
            body = substitute(self.definition, self.declared, p)
            try:
                variant = compile_definition(body, run_tests=False)
            except DefinitionError as exc:  # numbers a rule version allows, the formula not
                raise ParamError(
                    {"params": f"条款 {self.code} 的参数不能用于计算：{exc}"}, code=self.code
                ) from exc
            self._variants[key] = variant
        return variant

    @property
    def origin(self) -> str:
        return f"definition:{self.code}@{self.version}"

    @property
    def doc(self) -> str:
        """The article cited and quoted (“郑政〔2023〕23号 第5条：“……””), as a class's docstring
        gives it (``cited_in``: the policy's document number, when known); a quote that already
        cites (a spec's) as written."""
        if "“" in self._doc or not self._doc:
            return self._doc
        return f"{self.cited_in} {self.article}：“{self._doc}”".lstrip()

    @property
    def rule_text(self) -> str:
        """The rule in one Chinese sentence (the library page, the editor)."""
        from .render import clause_sentence

        return clause_sentence(self)

    @property
    def spec(self) -> Mapping:  # the registry compares declarations by ``spec``
        return self.definition

    def compute(self, f: Mapping[str, object], p: Mapping[str, object], t: Trace) -> Decimal:
        if self.declared and (variant := self._for_values(p)) is not self:
            return variant.compute(f, p, t)
        if self.is_ceiling:
            t.is_ceiling = True
        ok = True
        for cond in self.when:
            met = cond.record(f, t, so_far=ok)
            ok &= met
            if cond.stop and not met:  # 不满足即不再核对其余条件
                break
        if not ok:
            return ZERO
        amount = self.formula.evaluate(f, t, top=False)
        for group, names in self.group_items.items():
            t.part(group, sum((t.items.get(n, ZERO) for n in names), ZERO))
        for cap, names in self.cap_items.items():
            if any(n in t.items for n in names):
                t.part(cap, sum((t.items.get(n, ZERO) for n in names), ZERO))
        return amount


def _article_words(raw: object) -> str:
    text = str(raw).strip()
    return f"第{text}条" if text.isdigit() else text


def definition_version(data: Mapping) -> str:
    """A short fingerprint of the definition (kept as the calculation's engine version)."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return "d" + hashlib.sha256(canonical.encode()).hexdigest()[:12]


def compile_definition(data: object, *, run_tests: bool = True) -> DefinedClause:
    """Validate and compile ``data``; ``DefinitionError`` lists every problem in Chinese.
    ``run_tests=False`` for a definition already published (its test cases passed then: a
    stored clause must not vanish from the library because of them)."""
    if not isinstance(data, Mapping):
        raise DefinitionError(["条款定义应为对象（键: 值）"])
    code = str(data.get("code") or "")
    errors: list[str] = []
    declared = declared_params(data.get("params"), errors)
    missing = references({k: v for k, v in data.items() if k != "params"}) - {
        p.name for p in declared
    }
    if missing:
        errors.append(f"引用了未声明的可调整数字：{'、'.join(sorted(missing))}")
    if errors:
        raise DefinitionError(errors, code)
    raw = data
    caps = raw.get("caps") if isinstance(raw.get("caps"), Mapping) else {}
    cap_refs = {k: v["param"] for k, v in caps.items() if is_reference(v)}  # caps that are params
    if declared:  # the numbers in force: the defaults (a rule version's: DefinedClause.compute)
        data = substitute(raw, declared, {p.name: p.default for p in declared})
    unknown = set(data) - TOP_KEYS
    if unknown:
        errors.append(f"不认识的项：{'、'.join(sorted(map(str, unknown)))}")
    if not CODE_RE.match(code):
        errors.append(f"条款编码「{code}」格式应为“政策编码/条号”，如 abc-2024-1/5")
    article = str(data.get("article") or "").strip()
    if not article or (code and CODE_RE.match(code) and not _article_matches(code, article)):
        errors.append(f"条号「{article}」应与条款编码的条号一致（第{code.rsplit('/', 1)[-1]}条）")
    if not str(data.get("title") or "").strip():
        errors.append("请填写条款标题")
    if not str(data.get("quote") or "").strip():
        errors.append("请填写原文引用（quote：条款的关键原文）")
    facts = _facts(data.get("facts"), errors)
    c = Compiler({f.name: f for f in facts})
    with c.at("适用条件"):
        when = compile_conditions(c, data.get("when"))
    with c.at("计算公式"):
        formula = compile_node(c, data.get("formula"), str(data.get("title") or "奖励"))
    caps = data.get("caps")
    if isinstance(caps, Mapping):
        caps = {k: v for k, v in caps.items() if k not in cap_refs}
    names = {p.name for p in declared}  # a cap given as a parameter is that parameter
    params = declared + tuple(p for p in _caps(caps, c) if p.name not in names)
    combine = data.get("combine")
    if combine is not None and (not isinstance(combine, str) or combine not in COMBINES):
        c.error(f"combine（各项如何合并）应为{'、'.join(COMBINES)}之一")
    _stacking(data.get("stacking"), c)
    errors += c.errors
    if formula is not None and when is not None and not errors:
        used = formula.facts_used().union(*(x.facts_used() for x in when))
        for spec in facts:
            if spec.name not in used:
                errors.append(f"事实「{spec.label}」没有用在条件或公式中")
    if errors or formula is None or when is None:
        raise DefinitionError(errors or ["定义无效"], code)
    clause = DefinedClause(data, tuple(facts), when, formula, params)
    if declared:
        clause.parameterised(raw, declared, cap_refs)
    problems = test_failures(clause, data.get("tests") or []) if run_tests else []
    if problems:
        raise DefinitionError(problems, code)
    return clause


def _article_matches(code: str, article: str) -> bool:
    number = code.rsplit("/", 1)[1]
    return article in (number, f"第{number}条")


def _facts(raw: object, errors: list[str]) -> list[FactSpec]:
    if not isinstance(raw, list) or not raw:
        errors.append("请至少声明一个事实（facts）")
        return []
    out: list[FactSpec] = []
    names: set[str] = set()
    for i, item in enumerate(raw, start=1):
        where = f"第{i}个事实"
        if not isinstance(item, Mapping):
            errors.append(f"{where}：应为对象（name、label、type…）")
            continue
        bad = set(item) - FACT_KEYS
        if bad:
            errors.append(f"{where}：不认识的项 {'、'.join(sorted(map(str, bad)))}")
        name, label = str(item.get("name") or ""), str(item.get("label") or "").strip()
        kind = FACT_TYPES.get(str(item.get("type")), item.get("type"))
        if not NAME_RE.match(name):
            errors.append(
                f"{where}：名称「{name}」应为小写英文字母、数字和下划线（如 revenue_2023）"
            )
            continue
        if name in names:
            errors.append(f"{where}：名称「{name}」重复")
            continue
        if not label:
            errors.append(f"{where}（{name}）：请填写中文名称（label）")
            continue
        if kind not in KINDS:
            errors.append(f"{where}「{label}」：类型「{item.get('type')}」不认识，应为"
                          f"{'、'.join(FACT_TYPES)}之一")  # fmt: skip
            continue
        choices = item.get("choices") or {}
        if kind in ("choice", "choice_list") and (not isinstance(choices, Mapping) or not choices):
            errors.append(f"{where}「{label}」：选项类事实需要列出选项（choices）")
            continue
        bounds = {}
        try:
            for key, target in (("min", "minimum"), ("max", "maximum")):
                if item.get(key) is not None:
                    bounds[target] = parse_number(item[key])
        except NotANumber as exc:
            errors.append(f"{where}「{label}」：{exc}")
            continue
        names.add(name)
        out.append(FactSpec(
            name, label, kind, required=bool(item.get("required", True)),
            help=str(item.get("help") or ""), unit=str(item.get("unit") or ""),
            choices={str(k): str(v) for k, v in dict(choices).items()},
            needed_if=str(item.get("needed_if") or ""), **bounds,
        ))  # fmt: skip
    for spec in out:
        if spec.needed_if and spec.needed_if not in names:
            errors.append(f"事实「{spec.label}」：needed_if 指向的事实「{spec.needed_if}」不存在")
    return out


def _caps(raw: object, c: Compiler) -> tuple[ParamSpec, ...]:
    if not raw:
        return ()
    if not isinstance(raw, Mapping) or set(raw) - {"per_year", "per_period", "per_period_items"}:
        c.error("caps 只能写 per_year（每年最高）、per_period（政策期内累计最高）和"
                "per_period_items（某几项政策期内累计最高）")  # fmt: skip
        return ()
    out = []
    if raw.get("per_year") is not None:
        value = c.number(raw["per_year"], "每年最高金额")
        out.append(ParamSpec("annual_cap", "单个企业每年最高", "cap", str(value)))
    if raw.get("per_period") is not None:
        value = c.number(raw["per_period"], "政策期内累计最高金额")
        out.append(ParamSpec("period_cap", "单个企业政策期内累计最高", "cap", str(value)))
    items = raw.get("per_period_items") or {}
    for name, item in dict(items).items() if isinstance(items, Mapping) else []:
        if (
            not NAME_RE.match(str(name))
            or not isinstance(item, Mapping)
            or not isinstance(item.get("items"), list)
            or not item["items"]
        ):
            c.error(
                f"per_period_items 的「{name}」应写 cap（最高金额）、label 和 items（计入的子项名称）"
            )
            continue
        value = c.number(item.get("cap"), f"「{name}」的最高金额")
        label = str(item.get("label") or f"{name}政策期内累计最高")
        out.append(ParamSpec(str(name), label, "cap", str(value)))
    return tuple(out)


def _cap_items(raw: object) -> dict[str, tuple[str, ...]]:
    items = (raw or {}).get("per_period_items") if isinstance(raw, Mapping) else None
    if not isinstance(items, Mapping):
        return {}
    return {
        str(k): tuple(v["items"])
        for k, v in items.items()
        if isinstance(v, Mapping) and isinstance(v.get("items"), list)
    }


def _stacking(raw: object, c: Compiler) -> None:
    if not raw:
        return
    with c.at("叠加与兑现"):
        if not isinstance(raw, Mapping):
            c.error("应为对象")
            return
        bad = set(raw) - STACKING_KEYS
        if bad:
            c.error(f"不认识的项：{'、'.join(sorted(map(str, bad)))}")
        paid_per, subject, fixed = raw.get("paid_per"), raw.get("subject"), raw.get("fixed_period")
        if paid_per and (not isinstance(paid_per, str) or paid_per not in periods.PAID_PER):
            c.error(f"兑现频次（paid_per）应为{'、'.join(periods.PAID_PER)}之一")
        if subject and (
            not isinstance(subject, str) or subject not in (*periods.SUBJECT_KINDS, "none")
        ):
            c.error(f"申报对象（subject）应为{'、'.join(periods.SUBJECT_KINDS)}之一")
        if fixed and (not isinstance(fixed, str | int) or periods.parse_period(str(fixed)) is None):
            c.error("奖励期间（fixed_period）应写作 2022、2022Q2 或 2022H1")
        for key in ("groups", "stacks_with", "matters"):
            if raw.get(key) is not None and not isinstance(raw[key], list):
                c.error(f"{key} 应为列表")


def test_failures(clause: Clause, cases: object) -> list[str]:
    """Every test case of a definition run through the clause: Chinese messages for each one
    that does not give its expected amount (publishing is refused until all pass)."""
    if not isinstance(cases, list):
        return ["测试用例（tests）应为列表"]
    problems = []
    for i, case in enumerate(cases, start=1):
        where = f"第{i}个测试用例" + (
            f"（{case.get('why')}）" if isinstance(case, Mapping) and case.get("why") else ""
        )
        if not isinstance(case, Mapping) or "facts" not in case or "amount" not in case:
            problems.append(f"{where}：应写 facts（企业数据）和 amount（应得金额）")
            continue
        try:
            want = format_yuan(parse_number(case["amount"]))
        except NotANumber as exc:
            problems.append(f"{where}：应得金额{exc}")
            continue
        try:
            result = clause.calculate(case["facts"])
        except EngineError as exc:
            problems.append(f"{where}：企业数据有误：{exc.message}")
            continue
        got = format_yuan(result.amount)
        if got != want:
            problems.append(f"{where}：应得{want}元，按定义算得{got}元")
        elif "eligible" in case and bool(case["eligible"]) is not result.eligible:
            problems.append(
                f"{where}：应{'符合' if case['eligible'] else '不符合'}条件，按定义算得相反"
            )
    return problems
