"""The policy studio: 政策管理员 builds a policy and its clauses in the browser (issue 20, item 3).

The editor page posts plain fields (facts, conditions, formula, caps, test cases); ``draft_build``
turns them into a clause definition (``policies.engine.definitions``), or reads the definition
written as YAML in the advanced mode, and validates it with the import service's own checks, so
the messages are the same Chinese ones naming the part. ``clause_draft_save`` keeps what was
typed even when it does not validate (nothing is lost); ``clause_draft_publish`` refuses until
every test case passes, then writes the clause and a new rule version, audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.db import transaction
from django.utils import timezone

from policies import engine
from policies.definitions import definitions_forget
from policies.engine.definitions import (
    DefinedClause,
    DefinitionError,
    clause_sentence,
    compile_definition,
)
from policies.engine.definitions.numbers import NotANumber, parse_number
from policies.importing import UNEXPECTED, UNEXPECTED_MESSAGE, _plain
from policies.importing import _clause as import_clause_check
from policies.models import Clause, ClauseDraft, ClauseRuleVersion, Policy
from policies.studio_words import shown_messages
from policies.yamltext import YamlTooLarge, yaml_load
from portal.core import links
from portal.core.audit import audit_append
from portal.core.errors import DomainError
from portal.core.money import format_yuan
from portal.core.text import clean_name, fold_width, has_nul

logger = logging.getLogger(__name__)
FACT_SLOTS = 6
CONDITION_SLOTS = 4
TIER_SLOTS = 5
TEST_SLOTS = 4
NEW_FACT_TYPES = ("金额", "百分比", "是否", "整数", "面积", "电量")
COMPARE_WORDS = ("以上", "达到", "超过", "以下", "不满", "等于")
FLAG_WORDS = ("是", "否")
NUMBER_UNITS = {"": "", "元": "", "万元": "万", "亿元": "亿", "%": "%"}
MONEY_UNITS = {"元": "", "万元": "万"}
SHAPES = {
    "fixed": "固定金额（给予X万元）",
    "percent": "按比例（基数的X%，可设最高）",
    "steps": "每增加一档（每增加N奖励M，可设最高）",
    "tiers": "分档奖励（达到不同档位，取最高一档）",
    "levels": "按等级给予（如市级、省级、国家级；可选级差）",
    "growth_steps": "增速每增加（同比增长超过X%的，每再增加1个百分点奖励M，可设最高）",
    "interest": "贴息（按实际贷款利息的X%给予贴息，可设贷款额上限和最高）",
    "sum": "多项相加（二至四项分别计算后相加，可设总额最高）",
    "highest": "就高（二至四项分别计算，只取最高一项）",
}
PART_SHAPES = ("fixed", "percent", "steps", "tiers")  # what one part of 相加/就高 can be
PART_SLOTS = 4
PART_TIER_SLOTS = 3
GROWTH_WORDS = ("超过", "达到")
LEVEL_SLOTS = 5
SPLIT = re.compile(r"[、,，;；\s]+")
TEXT_LIMIT = 20_000


def known_facts() -> dict[str, tuple[str, str]]:
    """Facts the enterprise file gives (name -> (label, type)), through a typed link: a clause
    built on them is estimated in 为我推荐 from an enterprise's stored figures."""
    return {name: (label, kind) for name, label, kind in links.KNOWN_FACTS()}


# -- the policy -----------------------------------------------------------------------------
@transaction.atomic
def policy_create(*, values: Mapping, actor) -> Policy:
    """A new policy (a draft until its first clause is published), with a generated code."""
    year = values["issued_on"].year
    prefix = f"zc-{year}-"
    taken = {
        int(c.rsplit("-", 1)[1])
        for c in Policy.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if c.rsplit("-", 1)[1].isdigit()
    }
    number = max(taken, default=0) + 1
    policy = Policy.objects.create(
        code=f"{prefix}{number}",
        doc_number=values["doc_number"],
        title=values["title"],
        issuer=values["issuer"],
        level=values["level"],
        issued_on=values["issued_on"],
        effective_from=values.get("effective_from") or values["issued_on"],
        effective_to=values.get("effective_to"),
        status=Policy.Status.DRAFT,
        original_text=values.get("original_text") or "",
    )
    record = {
        "kind": "policies.policy_created",
        "actor": getattr(actor, "username", "") or "系统",
        "object_ref": f"policies.Policy:{policy.pk}",
        "object_id": policy.pk,
        "summary": f"在政策编辑器中新建政策 {policy.doc_number}（草稿）",
        "data": {"policy": policy.code},
    }
    transaction.on_commit(lambda: audit_append(**record), robust=True)
    return policy


# -- building a clause from the editor's fields -------------------------------------------------
@dataclass
class TestRow:
    why: str
    expected: str
    got: str = ""
    ok: bool = False
    message: str = ""


class Problems(list):
    """The problems (Chinese, naming the part) and, for those about one field, ``at``: the
    field's name -> its message, shown next to that field."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[str, str] = {}


def _add(problems: list[str], message: str, key: str = "") -> None:
    problems.append(message)
    at = getattr(problems, "at", None)
    if key and at is not None and key not in at:
        at[key] = message


@dataclass
class Built:
    """What the editor's fields make: the clause item (import format), its definition, the
    problems (Chinese, naming the part), the compiled clause and its sentence, the test runs."""

    item: dict = field(default_factory=dict)
    definition: dict | None = None
    problems: list[str] = field(default_factory=Problems)
    field_errors: dict[str, str] = field(default_factory=dict)
    compiled: DefinedClause | None = None
    sentence: str = ""
    yaml_text: str = ""
    tests: list[TestRow] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return not self.problems and self.compiled is not None

    @property
    def summary(self) -> list[tuple[str, str]]:
        """Each problem with the id of the field it is about ("" for none): the error summary
        at the top of the page links each to its field, as the messages stand next to them."""
        about: dict[str, str] = {}
        for key, message in self.field_errors.items():
            about.setdefault(message, field_id(key))
        return [(message, about.get(message, "")) for message in self.problems]


def field_id(key: str) -> str:
    """The id of the editor's field named ``key`` (``p2_tier1_value`` → ``f-p2-tier1-value``)."""
    return FIELD_IDS.get(key) or "f-" + key.replace("_", "-")


FIELD_IDS = {"original_text": "f-original"}  # fields whose id is not the rule's


def _get(form: Mapping, key: str) -> str:
    value = form.get(key, "")
    return str(value if value is not None else "").strip()


def _number_text(raw: str, unit: str, where: str, problems: list[str], key: str = ""
                 ) -> str | None:  # fmt: skip
    """The number as the definition writes it ("1000万", "10%"); full-width digits folded.
    ``key``: the field typed in, whose message is shown next to it too."""
    text = fold_width(raw).replace(" ", "")
    if not text:
        _add(problems, f"{where}：请填写数值", key)
        return None
    if text.startswith("-"):
        _add(problems, f"{where}：不能为负数，写的是「{raw}」", key)
        return None
    try:
        parse_number(text)  # what was typed, said as typed
        suffix = NUMBER_UNITS.get(unit, "")
        text += "" if text.endswith(suffix) else suffix  # "10%" typed in a % field
        parse_number(text)  # in its unit (数值过大)
    except NotANumber as exc:
        _add(problems, f"{where}：{exc}", key)
        return None
    return text


def _money_text(raw: str, unit: str, where: str, problems: list[str], key: str = ""
                ) -> str | None:  # fmt: skip
    return _number_text(raw, "万元" if unit == "万元" else "元", where, problems, key)


def _fact_name(policy: Policy, article: str, slot: int) -> str:
    base = re.sub(r"[^a-z0-9]", "_", policy.code.lower())
    return f"{base}_{article or 0}_{slot}"


def _facts(policy: Policy, form: Mapping, article: str, problems: list[str]):
    known = known_facts()
    facts, slots = [], {}
    for i in range(1, FACT_SLOTS + 1):
        src, label = _get(form, f"fact{i}_src"), clean_name(_get(form, f"fact{i}_label"))
        kind, unit = _get(form, f"fact{i}_type"), clean_name(_get(form, f"fact{i}_unit"))
        where = f"第{i}个事实"
        if not src and not label:
            continue
        if src and src != "new":
            if src not in known:
                _add(problems, f"{where}：所选的企业档案指标不存在", f"fact{i}_src")
                continue
            known_label, known_kind = known[src]
            spec = {"name": src, "label": label or known_label, "type": known_kind}
        else:
            if not label:
                _add(problems, f"{where}：请填写中文名称", f"fact{i}_label")
                continue
            if kind not in NEW_FACT_TYPES:
                words = "、".join(NEW_FACT_TYPES)
                _add(problems, f"{where}「{label}」：请选择类型（{words}）", f"fact{i}_type")
                continue
            spec = {"name": _fact_name(policy, article, i), "label": label, "type": kind}
        if len(spec["label"]) > 100:
            _add(problems, f"{where}：中文名称不超过100个字", f"fact{i}_label")
            continue
        if unit and spec["type"] not in ("是否",):
            spec["unit"] = unit[:10]
        if any(f["name"] == spec["name"] for f in facts):
            _add(problems, f"{where}「{spec['label']}」：与前面的事实重复", f"fact{i}_src")
            continue
        facts.append(spec)
        slots[str(i)] = spec
    return facts, slots


def _slot(form: Mapping, key: str, slots: Mapping, where: str, problems: list[str]):
    slot = _get(form, key)
    if not slot:
        _add(problems, f"{where}：请选择事实", key)
        return None
    if slot not in slots:
        _add(problems, f"{where}：所选的事实{slot}未填写（请先在“事实”中填写第{slot}个事实）", key)
        return None
    return slots[slot]


def _condition(form: Mapping, p: str, slots: Mapping, where: str, problems: list[str],
               words: tuple[str, ...] = COMPARE_WORDS) -> dict | None:  # fmt: skip
    """One condition from the fields ``{p}fact``, ``{p}op``, ``{p}value``, ``{p}unit``."""
    spec = _slot(form, p + "fact", slots, where, problems)
    op = _get(form, p + "op")
    if spec is None:
        return None
    if spec["type"] == "是否":
        if op not in FLAG_WORDS:
            _add(problems, f"{where}：「{spec['label']}」是是否类事实，请选择“是”或“否”", p + "op")
            return None
        return {"fact": spec["name"], "is": op == "是"}
    if op not in words:
        _add(problems, f"{where}：请选择比较词（{'、'.join(words)}）", p + "op")
        return None
    value = _number_text(_get(form, p + "value"), _get(form, p + "unit"), where, problems,
                         p + "value")  # fmt: skip
    return None if value is None else {"fact": spec["name"], "op": op, "value": value}


def _conditions(form: Mapping, slots: Mapping, problems: list[str]) -> list:
    out = []
    for i in range(1, CONDITION_SLOTS + 1):
        p = f"cond{i}_"
        if not _get(form, p + "fact") and not _get(form, p + "value"):
            continue
        cond = _condition(form, p, slots, f"适用条件：第{i}个条件", problems)
        if cond is not None:
            out.append(cond)
    return out


def _levels(form: Mapping, node: dict, extra: dict, problems: list[str]) -> None:
    """按等级: a choice fact made from the rows (等级名称, 金额); with 级差 a second fact, the
    levels already awarded, whose amounts are deducted (the engine's ``difference`` block)."""
    where = "计算方式：按等级"
    label = clean_name(_get(form, "level_label"))
    if not label:
        _add(problems, f"{where}：请填写等级的名称（如 认定等级）", "level_label")
    money = _money_unit(form)
    choices, amounts = {}, {}
    for j in range(1, LEVEL_SLOTS + 1):
        name, raw = clean_name(_get(form, f"level{j}_name")), _get(form, f"level{j}_amount")
        if not name and not raw:
            continue
        if not name:
            _add(problems, f"{where}：第{j}个等级：请填写等级名称", f"level{j}_name")
            continue
        if name in choices.values():
            _add(problems, f"{where}：第{j}个等级「{name}」重复", f"level{j}_name")
            continue
        amount = _money_text(raw, money, f"{where}：第{j}个等级「{name}」的金额", problems,
                             f"level{j}_amount")  # fmt: skip
        choices[f"l{j}"], amounts[f"l{j}"] = name[:40], amount
    if not choices:
        _add(problems, f"{where}：请至少填写一个等级和金额", "level1_name")
        return
    base = extra["base"]
    level = {"name": f"{base}_level", "label": label or "等级", "type": "选项", "choices": choices}
    extra["facts"] = [level]
    node.update({"type": "table", "fact": level["name"], "amounts": amounts})
    if _get(form, "ladder"):
        previous = {
            "name": f"{base}_prev", "label": f"此前已获奖励的{label or '等级'}", "type": "多选",
            "choices": choices, "required": False,
        }  # fmt: skip
        extra["facts"].append(previous)
        node.update({"type": "difference", "previous": previous["name"]})
    extra["choices"] = choices


def _simple(form: Mapping, p: str, node: dict, slots: Mapping, where: str, problems: list[str],
            tier_slots: int = TIER_SLOTS) -> None:  # fmt: skip
    """The simple shapes (固定金额、按比例、每增加一档、分档) from the fields named ``{p}…``: the
    clause's own formula (``p`` empty) or one part of 相加/就高 (``p`` = "p1_")."""
    shape = node["type"]
    money = _money_unit(form)

    def amount(key: str, words: str) -> str | None:
        return _money_text(_get(form, p + key), money, f"{where}：{words}", problems, p + key)

    if shape in ("percent", "steps", "tiers"):
        spec = _slot(form, p + "of", slots, f"{where}：计算基数", problems)
        if spec is not None:
            if spec["type"] == "是否":
                _add(problems, f"{where}：计算基数「{spec['label']}」应为数值类事实", p + "of")
            node["of"] = spec["name"]
    if shape == "fixed":
        node["amount"] = amount("amount", "奖励金额")
    elif shape == "percent":
        node["rate"] = _number_text(_get(form, p + "rate"), "%", f"{where}：比例", problems,
                                    p + "rate")  # fmt: skip
    elif shape == "steps":
        node["step"] = _number_text(
            _get(form, p + "step"), _get(form, p + "step_unit"), f"{where}：每增加", problems,
            p + "step",
        )  # fmt: skip
        node["per_step"] = amount("per_step", "每档奖励")
    elif shape == "tiers":
        rows = []
        for j in range(1, tier_slots + 1):
            t = f"{p}tier{j}_"
            if not _get(form, t + "value") and not _get(form, t + "amount"):
                continue
            at = f"第{j}档"
            op = _get(form, t + "op")
            if op not in COMPARE_WORDS[:3]:
                _add(problems, f"{where}：{at}：请选择比较词（以上、达到、超过）", t + "op")
                continue
            value = _number_text(_get(form, t + "value"), _get(form, t + "unit"),
                                 f"{where}：{at}门槛", problems, t + "value")  # fmt: skip
            award = amount(f"tier{j}_amount", f"{at}奖励金额")
            rows.append({"op": op, "value": value, "amount": award})
        if not rows:
            _add(problems, f"{where}：请至少填写一档", f"{p}tier1_value")
        node["tiers"] = rows
    if shape != "fixed" and _get(form, p + "cap"):
        node["cap"] = amount("cap", "最高金额")


def _money_unit(form: Mapping) -> str:
    return _get(form, "money_unit") or "万元"


def _cap(form: Mapping, node: dict, where: str, problems: list[str]) -> None:
    """最高金额 (the field ``cap``), in the form's money unit, when one is typed."""
    if _get(form, "cap"):
        node["cap"] = _money_text(_get(form, "cap"), _money_unit(form), f"{where}：最高金额",
                                  problems, "cap")  # fmt: skip


def _growth(form: Mapping, node: dict, slots: Mapping, extra: dict, where: str,
            problems: list[str]) -> None:  # fmt: skip
    """增速每增加 (the engine's ``growth_steps``): the growth from this year's and last year's
    figures (``{growth: [current, previous]}``) or one percent fact; the starting growth goes to
    the clause's conditions too (达到 ≥ / 超过 >: below it the enterprise is not eligible)."""
    money = _money_unit(form)
    cur, prev, one = _get(form, "g_cur"), _get(form, "g_prev"), _get(form, "g_pct")
    op = _get(form, "g_op")
    if op not in GROWTH_WORDS:
        _add(problems, f"{where}：起算增速：请选择“超过”或“达到”", "g_op")
    above = _number_text(_get(form, "g_above"), "%", f"{where}：起算增速", problems, "g_above")
    points = _number_text(_get(form, "g_points"), "", f"{where}：每增加几个百分点", problems,
                          "g_points")  # fmt: skip
    if points is not None and parse_number(points) == 0:
        _add(problems, f"{where}：每增加几个百分点：应大于0", "g_points")
        points = None
    per_step = _money_text(_get(form, "g_per_step"), money, f"{where}：每档奖励", problems,
                           "g_per_step")  # fmt: skip
    _cap(form, node, where, problems)
    node.update({"above": above, "points": points, "per_step": per_step})
    if one and (cur or prev):
        _add(problems, f"{where}：增速：请二选一，选本年和上年两个数，或选一个增速（百分比）事实",
             "g_pct")  # fmt: skip
        return
    if one:
        spec = _slot(form, "g_pct", slots, f"{where}：增速（百分比事实）", problems)
        if spec is None:
            return
        if spec["type"] != "百分比":
            _add(problems, f"{where}：增速「{spec['label']}」应为百分比类事实", "g_pct")
            return
        node["of"] = spec["name"]
        if op in GROWTH_WORDS and above is not None:
            extra["when"] = [{"fact": spec["name"], "op": op, "value": above}]
        return
    if not cur and not prev:
        _add(problems, f"{where}：增速：请选择本年和上年两个数（如本年、上年营业收入），"
             "或选一个增速（百分比）事实", "g_cur")  # fmt: skip
        return
    specs = []
    for key, words in (("g_cur", "本年数"), ("g_prev", "上年数")):
        spec = _slot(form, key, slots, f"{where}：增速的{words}", problems)
        if spec is not None and spec["type"] in ("是否", "百分比"):
            _add(problems, f"{where}：增速的{words}「{spec['label']}」应为金额等数值类事实", key)
            spec = None
        specs.append(spec)
    if None in specs:
        return
    if specs[0]["name"] == specs[1]["name"]:
        _add(problems, f"{where}：增速的本年数和上年数应为两个不同的事实", "g_prev")
        return
    label = clean_name(_get(form, "g_label")) or re.sub(r"（[^（）]*）$", "", specs[0]["label"])
    pair = [specs[0]["name"], specs[1]["name"]]
    node["of"] = {"growth": pair, "label": f"{label}同比增速"}
    if op in GROWTH_WORDS and above is not None:
        extra["when"] = [{"growth_check": pair, "label": label, "op": op, "value": above}]


def _interest(form: Mapping, node: dict, slots: Mapping, where: str, problems: list[str]
              ) -> None:  # fmt: skip
    """贴息 (the engine's ``interest``): the interest paid, the share of it, optionally a loan
    ceiling above which the interest is counted pro rata, and the cap."""
    money = _money_unit(form)
    spec = _slot(form, "i_of", slots, f"{where}：实际贷款利息（事实）", problems)
    if spec is not None:
        if spec["type"] != "金额":
            _add(problems, f"{where}：实际贷款利息「{spec['label']}」应为金额类事实", "i_of")
        node["of"] = spec["name"]
    node["rate"] = _number_text(_get(form, "i_rate"), "%", f"{where}：贴息比例", problems,
                                "i_rate")  # fmt: skip
    loan, ceiling = _get(form, "i_loan"), _get(form, "i_loan_cap")
    if loan or ceiling:
        spec = _slot(form, "i_loan", slots, f"{where}：贷款额（事实）", problems)
        if spec is not None and spec["type"] != "金额":
            _add(problems, f"{where}：贷款额「{spec['label']}」应为金额类事实", "i_loan")
        text = _money_text(ceiling, money, f"{where}：贷款额上限", problems, "i_loan_cap")
        if spec is not None:
            node.update({"loan": spec["name"], "loan_cap": text})
    _cap(form, node, where, problems)


def _parts(form: Mapping, node: dict, slots: Mapping, where: str, problems: list[str]) -> None:
    """多项相加 / 就高: two to four parts, each a simple shape with its own optional condition on
    one fact (unmet: the part gives 0, said in the trace) and its own cap; empty blocks ignored."""
    parts = []
    for k in range(1, PART_SLOTS + 1):
        p = f"p{k}_"
        if not any(_get(form, key) for key in form if str(key).startswith(p)):
            continue
        at = f"{where}：第{k}项"
        shape = _get(form, p + "shape")
        if shape not in PART_SHAPES:
            words = "、".join(SHAPES[s].split("（")[0] for s in PART_SHAPES)
            _add(problems, f"{at}：请选择这一项的计算方式（{words}）", p + "shape")
            continue
        part: dict = {
            "type": shape,
            "label": clean_name(_get(form, p + "label"))[:40] or f"第{k}项",
        }
        if _get(form, p + "cond_fact") or _get(form, p + "cond_op") or _get(form, p + "cond_value"):
            words = ("以上", "达到", "超过")
            cond = _condition(form, p + "cond_", slots, f"{at}：条件", problems, words)
            if cond is not None:
                part["when"] = [cond]
        _simple(form, p, part, slots, at, problems, PART_TIER_SLOTS)
        parts.append(part)
    if len(parts) < 2:
        words = "相加" if node["type"] == "sum" else "就高"
        _add(problems, f"{where}：{words}请至少填写两项（每项选择计算方式并填写金额）", "p1_shape")
    node["parts"] = parts
    _cap(form, node, where, problems)


def _formula(form: Mapping, slots: Mapping, title: str, problems: list[str], extra: dict
             ) -> dict | None:  # fmt: skip
    shape = _get(form, "shape")
    where = "计算公式"
    if shape not in SHAPES:
        _add(problems, f"{where}：请选择计算方式", "shape")
        return None
    node: dict = {"type": shape, "label": title or "奖励"}
    before = len(problems)
    if shape in PART_SHAPES:
        _simple(form, "", node, slots, where, problems)
    elif shape == "levels":
        _levels(form, node, extra, problems)
    elif shape == "growth_steps":
        _growth(form, node, slots, extra, where, problems)
    elif shape == "interest":
        _interest(form, node, slots, where, problems)
    else:
        _parts(form, node, slots, where, problems)
    if len(problems) > before:
        return None
    return node


def _test_value(spec: dict, raw: str, where: str, problems: list[str], key: str) -> object:
    if spec["type"] == "是否":
        if raw not in FLAG_WORDS:
            _add(problems, f"{where}：「{spec['label']}」请填“是”或“否”", key)
            return None
        return raw == "是"
    text = fold_width(raw).replace(" ", "").replace(",", "")
    try:
        value = parse_number(text)
    except NotANumber as exc:
        _add(problems, f"{where}：「{spec['label']}」{exc}", key)
        return None
    if spec["type"] in ("整数",) and value != value.to_integral_value():
        _add(problems, f"{where}：「{spec['label']}」应为整数", key)
        return None
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)  # no 4E+5


def _level_values(extra: dict, raw: str, where: str, what: str, problems: list[str], key: str
                  ) -> list:  # fmt: skip
    by_name = {v: k for k, v in extra["choices"].items()}
    names = [n for n in SPLIT.split(raw) if n]
    unknown = [n for n in names if n not in by_name]
    if unknown:
        words = f"{what}「{'、'.join(unknown)}」不在等级中（{'、'.join(by_name)}）"
        _add(problems, f"{where}：{words}", key)
        return []
    return [by_name[n] for n in names]


def _tests(form: Mapping, slots: Mapping, problems: list[str], extra: dict | None = None
           ) -> list:  # fmt: skip
    out = []
    levels = extra or {}
    for t in range(1, TEST_SLOTS + 1):
        p = f"test{t}_"
        cells = {s: _get(form, f"{p}f{s}") for s in slots}
        amount, why = _get(form, p + "amount"), clean_name(_get(form, p + "why"))
        level, prev = _get(form, p + "level"), _get(form, p + "prev")
        if not any(cells.values()) and not amount and not (levels.get("choices") and level):
            continue
        where = f"第{t}个测试用例"
        facts = {}
        if levels.get("choices"):
            facts_of = {f["type"]: f["name"] for f in levels["facts"]}
            picked = _level_values(levels, level, where, "等级", problems, p + "level")
            if len(picked) > 1:
                _add(problems, f"{where}：等级只能填一个", p + "level")
            elif picked:
                facts[facts_of["选项"]] = picked[0]
            if prev and "多选" in facts_of:
                facts[facts_of["多选"]] = _level_values(
                    levels, prev, where, "已获等级", problems, p + "prev"
                )
        for slot, raw in cells.items():
            if raw:
                value = _test_value(slots[slot], raw, where, problems, f"{p}f{slot}")
                if value is not None:
                    facts[slots[slot]["name"]] = value
        text = fold_width(amount).replace(" ", "").replace(",", "")
        try:
            want = format_yuan(parse_number(text.removesuffix("元")))
        except NotANumber as exc:
            _add(problems, f"{where}：应得金额{exc}", p + "amount")
            continue
        out.append({"why": why or f"测试用例{t}", "facts": facts, "amount": want})
    return out


def _definition_from_fields(policy: Policy, form: Mapping, article: str, problems: list[str]):
    facts, slots = _facts(policy, form, article, problems)
    definition: dict = {"facts": facts}
    definition["when"] = _conditions(form, slots, problems)
    extra: dict = {"base": re.sub(r"[^a-z0-9]", "_", policy.code.lower()) + f"_{article or 0}"}
    definition["formula"] = _formula(form, slots, clean_name(_get(form, "title")), problems, extra)
    definition["when"].extend(extra.get("when") or [])  # 增速每增加: the starting growth
    facts.extend(extra.get("facts") or [])
    if _get(form, "ceiling"):
        definition["ceiling"] = True
    if _get(form, "cap_per_year"):
        cap = _money_text(_get(form, "cap_per_year"), _get(form, "money_unit") or "万元",
                          "每年最高", problems)  # fmt: skip
        if cap:
            definition["caps"] = {"per_year": cap}
    definition["tests"] = _tests(form, slots, problems, extra)
    return definition


def _definition_from_yaml(text: str, problems: list[str]) -> dict | None:
    try:
        data = yaml_load(text) if text.strip() else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        problems.append(f"条款定义（YAML）{where}格式有误，请检查缩进和冒号")
        return None
    except YamlTooLarge as exc:
        problems.append(f"条款定义（YAML）{exc}")
        return None
    if not isinstance(data, dict):
        problems.append("条款定义（YAML）应为“键: 值”的对象（facts、when、formula、tests…）")
        return None
    for key in ("code", "article", "title"):
        data.pop(key, None)
    return data


def draft_build(policy: Policy, form: Mapping) -> Built:
    """Everything the editor page shows for ``form``: the problems (in Chinese words, no key of
    the YAML format: ``studio_words``), the sentence, the tests."""
    built = _draft_build(policy, form)
    at = getattr(built.problems, "at", {})
    built.field_errors = dict(zip(at, shown_messages(at.values()), strict=True))
    built.problems[:] = shown_messages(built.problems)
    return built


def _draft_build(policy: Policy, form: Mapping) -> Built:
    built = Built()
    problems = built.problems
    article = fold_width(_get(form, "article"))
    if not article.isascii() or not article.isdigit() or not 0 < int(article) < 1000:
        _add(problems, "条号：请填写1至999的数字（第几条）", "article")
        article = ""
    title = clean_name(_get(form, "title"))
    if has_nul(dict(form)):
        problems.append("填写的内容含有无法保存的字符")
        return built
    if _get(form, "mode") == "yaml":
        definition = _definition_from_yaml(str(form.get("yaml") or ""), problems)
    else:
        definition = _definition_from_fields(policy, form, article, problems)
    if definition is None or not article:
        return built
    definition.setdefault("quote", _get(form, "quote") or _get(form, "original_text"))
    if not definition["quote"]:
        definition.pop("quote")
        _add(problems, "条款原文：请填写条款原文（或计算依据的关键原文）", "original_text")
    materials = [clean_name(m) for m in str(form.get("materials") or "").splitlines()]
    opens, closes = _get(form, "opens"), _get(form, "closes")
    item = {
        "code": f"{policy.code}/{article}",
        "article": int(article),
        "title": title,
        "category": _get(form, "category") or "奖励",
        "redemption_mode": _get(form, "redemption_mode") or "申报审核",
        "review_path": _get(form, "review_path") or "district_then_city",
        "responsible_department": clean_name(_get(form, "responsible_department")),
        "materials": [m for m in materials if m],
        "guide": _get(form, "guide")[:TEXT_LIMIT],
        "original_text": _get(form, "original_text")[:TEXT_LIMIT],
        "definition": definition,
    }
    if opens or closes:
        item["application_window"] = {"opens": opens or None, "closes": closes or None}
    built.item = item
    full = _plain({"code": item["code"], "article": int(article), "title": title, **definition})
    built.yaml_text = yaml.safe_dump(
        {k: v for k, v in full.items() if k not in ("code", "article", "title")},
        allow_unicode=True, sort_keys=False, width=100,
    )  # fmt: skip
    if problems:  # the fields' own problems first: the definition is not complete yet
        return built
    try:
        compiled = compile_definition(full, run_tests=False)
        sentence = clause_sentence(compiled)
    except DefinitionError as exc:
        problems.extend(exc.messages)
        return built
    except UNEXPECTED:  # the draft is saved: its page must still open, saying what is wrong
        logger.exception("definition of %s raised inside the compiler", item["code"])
        problems.append(UNEXPECTED_MESSAGE)
        return built
    built.compiled, built.definition, built.sentence = compiled, full, sentence
    built.tests = _run_tests(built.compiled, full.get("tests") or [])
    checks: list[str] = []
    import_clause_check(item, policy.code, set(), checks)  # the import's own checks, tests too
    problems.extend(m for m in checks if m not in problems)
    if not built.tests:
        words = "测试用例：请至少写一个测试用例（企业数据和应得金额），全部通过后才能发布"
        _add(problems, words, "" if _get(form, "mode") == "yaml" else "test1_amount")
    return built


def _run_tests(clause: DefinedClause, cases: list) -> list[TestRow]:
    rows = []
    for case in cases:
        if not isinstance(case, Mapping):
            continue
        row = TestRow(why=str(case.get("why") or ""), expected=str(case.get("amount") or ""))
        try:
            want = format_yuan(parse_number(case.get("amount")))
            result = clause.calculate(case.get("facts") or {})
        except NotANumber as exc:
            row.message = f"应得金额{exc}"
        except engine.EngineError as exc:
            row.message = f"企业数据有误：{exc.message}"
        except UNEXPECTED:
            logger.exception("a test case of %s raised inside the clause", clause.code)
            row.message = UNEXPECTED_MESSAGE
        else:
            row.expected, row.got = want, format_yuan(result.amount)
            row.ok = row.got == want
            if not row.ok:
                why = "；".join(result.reasons) if result.reasons else ""
                row.message = f"应得{want}元，按定义算得{row.got}元" + (f"（{why}）" if why else "")
        rows.append(row)
    return rows


# -- saving and publishing ---------------------------------------------------------------------
def _stored_form(form: Mapping) -> dict:
    """The fields as typed (strings), capped in size; what the draft keeps."""
    out = {}
    for key, value in form.items():
        if key in ("csrfmiddlewaretoken", "action") or not isinstance(key, str):
            continue
        text = str(value if value is not None else "")[:TEXT_LIMIT]
        out[key[:40]] = text.replace("\x00", "")
    return out


def _now() -> dt.datetime:
    """The time a draft is first saved and published at (patched by the tests of the time a
    clause took)."""
    return timezone.now()


def built_in_words(took: dt.timedelta | None) -> str:
    """The time a clause took from its draft's first save to its publish, as a page says it."""
    if took is None:
        return ""
    seconds = max(int(took.total_seconds()), 0)
    return "不到 1 分钟" if seconds < 60 else f"{(seconds + 30) // 60} 分钟"


def studio_built_in_median() -> tuple[dt.timedelta | None, int]:
    """每条款平均用时: the median time from first save to first publish over the drafts published
    from the studio (drafts published before the time was kept are not counted), and how many."""
    times = list(ClauseDraft.objects.exclude(built_in=None).values_list("built_in", flat=True))
    if not times:
        return None, 0
    median = statistics.median(times)
    return median, len(times)


def draft_article_locked(draft: ClauseDraft | None) -> str:
    """Why the draft's article cannot change ("" when it can): once published, the clause's code
    (policy code + "/" + article) is what cases, calculations and rule versions point at, so
    renumbering would leave the published clause behind and make a second one."""
    if draft is None or draft.published_version_id is None:
        return ""
    return (
        f"第{draft.article}条已发布，企业可能已按本条申报，条号不能修改；"
        "如需新增条款，请在政策页点击“添加条款”。"
    )


@transaction.atomic
def clause_draft_save(*, policy: Policy, draft: ClauseDraft | None, form: Mapping, actor
                      ) -> ClauseDraft:  # fmt: skip
    """Keep what was typed (valid or not). A new draft takes the article typed, or the next one.
    A published draft keeps its article (``draft_article_locked``), whatever the form says."""
    values = _stored_form(form)
    if draft_article_locked(draft):
        values["article"] = str(draft.article)
    article_text = fold_width(values.get("article", ""))
    if draft is None:
        used = _articles_taken(policy)
        number = (
            int(article_text)
            if article_text.isascii() and article_text.isdigit() and 0 < int(article_text) < 1000
            and int(article_text) not in used
            else max(used, default=0) + 1
        )  # fmt: skip
        draft = ClauseDraft(policy=policy, article=number, created_at=_now())
    draft.form = values
    draft.updated_by = actor if getattr(actor, "pk", None) else None
    draft.save()
    return draft


@transaction.atomic
def clause_draft_publish(*, draft: ClauseDraft, actor, note: str) -> ClauseRuleVersion:
    """Publish the draft: refused (``DomainError`` listing every problem and failing test case)
    unless it validates and every test case passes; then the clause and a new rule version
    (earlier versions stay as they are: cases keep theirs), the policy in force, an audit record."""
    policy = Policy.objects.select_for_update().get(pk=draft.policy_id)
    built = draft_build(policy, draft.form)
    problems = list(built.problems)
    note = clean_name(note)
    if not note:
        problems.append("发布说明：请填写发布依据（文号、会议纪要等）")
    if problems or built.definition is None:
        raise DomainError(
            "未发布：" + "；".join(problems),
            errors={str(i): m for i, m in enumerate(problems, start=1)},
        )
    item = built.item
    if (
        ClauseDraft.objects.filter(policy=policy, article=item["article"])
        .exclude(pk=draft.pk)
        .exists()
    ):
        message = f"条号：第{item['article']}条已有另一份草稿，请改用其他条号"
        raise DomainError(message, errors={"article": message})
    _check_one_clause_per_article(draft, item)
    checks: list[str] = []
    fields, definition, compiled = import_clause_check(item, policy.code, set(), checks)
    if checks or definition is None:
        shown = "；".join(shown_messages(checks))
        raise DomainError("未发布：" + shown, errors={"definition": shown})
    fields = dict(fields)
    code = fields.pop("code")
    clause, _ = Clause.objects.update_or_create(code=code, defaults={**fields, "policy": policy})
    Clause.objects.select_for_update().get(pk=clause.pk)
    latest = clause.versions.order_by("-number").first()
    params = engine_params(compiled)
    if latest is not None and latest.definition == definition and latest.params == params:
        message = "条款定义没有变化，无需发布新版本。"
        raise DomainError(message, errors={"definition": message})
    today = timezone.localdate()
    version = ClauseRuleVersion.objects.create(
        clause=clause,
        number=(latest.number if latest else 0) + 1,
        params=params,
        definition=definition,
        effective_from=policy.effective_from
        if latest is None
        else max(today, policy.effective_from),
        note=note[:2000],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if policy.status == Policy.Status.DRAFT:
        policy.status = Policy.Status.IN_FORCE
        policy.save(update_fields=["status"])
    first = draft.published_version_id is None  # the clause's time: first save to first publish
    took = _now() - draft.created_at
    ClauseDraft.objects.filter(pk=draft.pk).update(
        published_version=version, article=item["article"], **({"built_in": took} if first else {})
    )
    record = {
        "kind": "policies.clause_published",
        "actor": getattr(actor, "username", "") or "系统",
        "object_ref": f"policies.ClauseRuleVersion:{version.pk}",
        "object_id": version.pk,
        "summary": f"在政策编辑器中发布 {policy.doc_number} 第{clause.article}条 第{version.number}版：{note}"
        + (f"（从起草到发布用时 {built_in_words(took)}）" if first else ""),
        "data": {"clause": clause.code, "version": version.number, "note": note,
                 "tests": len(definition.get("tests") or []), "rule": built.sentence,
                 "first_publish": first, "seconds_since_first_save": int(took.total_seconds()),
                 "took": built_in_words(took)},
    }  # fmt: skip
    transaction.on_commit(lambda: audit_append(**record), robust=True)
    definitions_forget()
    transaction.on_commit(definitions_forget)
    return version


def _check_one_clause_per_article(draft: ClauseDraft, item: dict) -> None:
    """One draft, one clause: a published draft publishes only onto its own clause (its code
    never changes), and a draft never published does not take over a clause already published
    (imported from a policy file, say), which may have cases under it."""
    published = draft.published_version.clause if draft.published_version_id is not None else None
    if published is not None and published.code != item["code"]:
        message = (
            f"条号：第{published.article}条已发布，企业可能已按本条申报，条号不能改为"
            f"第{item['article']}条（否则会多出一个条款）。请把条号改回{published.article}；"
            "如需新增条款，请在政策页点击“添加条款”"
        )
        raise DomainError("未发布：" + message, errors={"article": message})
    if published is None and Clause.objects.filter(code=item["code"]).exists():
        message = f"条号：第{item['article']}条已发布，不能由另一份草稿覆盖，请改用其他条号"
        raise DomainError("未发布：" + message, errors={"article": message})


def draft_impact(*, built: Built) -> list | None:
    """For a clause already published: each live case, worked example and stored calculation
    computed under the version in force and under the draft (the rule editor's impact preview).
    None for a clause not published yet or a draft that does not compile."""
    from policies.definitions import clause_for_version
    from policies.impact import impact_cases
    from policies.rules import rule_version_on
    from policies.services import ImpactRow

    clause = Clause.objects.filter(code=built.item.get("code", "")).first()
    if clause is None or built.compiled is None:
        return None
    current = rule_version_on(clause)
    if current is None:
        return None
    old = clause_for_version(current)
    rows = []
    for label, facts in impact_cases(clause):
        try:
            before = old.calculate(facts, current.params)
            after = built.compiled.calculate(facts)
        except engine.EngineError:
            continue  # facts the clause no longer accepts: nothing to compare
        rows.append(ImpactRow(label, facts, before.amount, after.amount,
                              before.eligible, after.eligible))  # fmt: skip
    return rows


def engine_params(compiled: DefinedClause) -> dict:
    from policies.rules import params_to_json

    return params_to_json(compiled, None)


def _articles_taken(policy: Policy) -> set[int]:
    """Articles that have a draft or a published clause (one imported from a file has no draft):
    a new clause takes none of them."""
    drafts = set(policy.drafts.values_list("article", flat=True))
    return drafts | set(Clause.objects.filter(policy=policy).values_list("article", flat=True))


def draft_from_clause(*, clause: Clause, actor) -> ClauseDraft:
    """The editor's draft of a published clause that has none (imported from a policy file or
    loaded with the library): its definition in force, in the YAML mode (the blocks a file may
    use are more than the form's), its article locked as a published draft's is. ``DomainError``
    for a built-in clause (class or seed file): its numbers are changed in 条款规则维护."""
    from policies.rules import rule_version_on

    version = rule_version_on(clause)
    if version is None or not version.definition:
        raise DomainError(
            f"第{clause.article}条是政策库内置条款（随程序发布），不能在编辑器中修改；"
            "其中的数字请在“条款规则维护”中修改。"
        )
    definition = {
        k: v for k, v in version.definition.items() if k not in ("code", "article", "title")
    }
    form = {
        "article": str(clause.article), "title": clause.title, "category": clause.category,
        "redemption_mode": clause.redemption_mode, "review_path": clause.review_path,
        "responsible_department": clause.responsible_department,
        "materials": "\n".join(clause.materials or []), "guide": clause.guide,
        "original_text": clause.original_text,
        "opens": clause.application_opens.isoformat() if clause.application_opens else "",
        "closes": clause.application_closes.isoformat() if clause.application_closes else "",
        "mode": "yaml",
        "yaml": yaml.safe_dump(_plain(definition), allow_unicode=True, sort_keys=False, width=100),
    }  # fmt: skip
    draft, created = ClauseDraft.objects.get_or_create(  # opened twice at once: one draft
        policy_id=clause.policy_id, article=clause.article, defaults={
            "form": _stored_form(form), "published_version": version, "created_at": _now(),
            "updated_by": actor if getattr(actor, "pk", None) else None,
        },
    )  # fmt: skip
    if not created:
        return draft
    record = {
        "kind": "policies.clause_draft_opened", "actor": getattr(actor, "username", ""),
        "object_ref": f"clause:{clause.code}", "object_id": clause.pk,
        "summary": f"在编辑器中修改 {clause.code}（自第{version.number}版）",
    }  # fmt: skip
    transaction.on_commit(lambda: audit_append(**record), robust=True)
    return draft


def draft_initial(policy: Policy) -> dict:
    """A new clause's fields: the next article, the policy's dates as the window."""
    article = max(_articles_taken(policy), default=0) + 1
    today = timezone.localdate()
    opens = max(policy.effective_from, today) if policy.effective_from else today
    return {
        "article": str(article), "shape": "fixed", "money_unit": "万元", "category": "奖励",
        "g_op": "超过", "g_points": "1",
        "redemption_mode": "申报审核", "review_path": "district_then_city",
        "opens": opens.isoformat(),
        "closes": (policy.effective_to or (opens + dt.timedelta(days=90))).isoformat(),
    }  # fmt: skip


__all__ = [
    "SHAPES",
    "Built",
    "Decimal",
    "built_in_words",
    "clause_draft_publish",
    "clause_draft_save",
    "draft_article_locked",
    "draft_build",
    "draft_from_clause",
    "draft_initial",
    "known_facts",
    "policy_create",
    "studio_built_in_median",
]  # fmt: skip
