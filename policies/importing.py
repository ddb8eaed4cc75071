"""Import and export a whole policy as one YAML file (the format is in the README).

``policy_file_import(path=..., actor=...)`` reads, validates everything first (the policy, each
clause, each clause's definition and its test cases) and writes nothing unless all of it is
valid; Chinese messages name the part (“第3个条款（hnzx-2022-1/5）：计算公式：……”). A changed
definition becomes a new rule version when a calculation has used the current one (cases keep
theirs); a version nobody used yet is corrected in place. ``policy_export(code=...)`` writes
the same format back, so export → import changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from policies import engine
from policies.definitions import definitions_forget
from policies.engine.definitions import DefinitionError, clause_sentence, compile_definition
from policies.models import Clause, ClauseRuleVersion, Policy
from policies.rules import params_to_json, rule_version_on
from policies.yamltext import YamlTooLarge, yaml_load
from portal.core.audit import audit_append
from portal.core.errors import DomainError

POLICY_KEYS = {
    "code", "doc_number", "title", "issuer", "level", "issued_on", "effective_from",
    "effective_to", "status", "supersedes", "interpreting_departments", "funding_split",
    "payout_targets", "stacking_rule", "original_text", "clauses", "source",
}  # fmt: skip
CLAUSE_KEYS = {
    "code", "article", "title", "category", "redemption_mode", "responsible_department",
    "application_window", "review_path", "payment_schedule", "funding_split", "stacking_group",
    "materials", "guide", "original_text", "definition", "source_lines",
}  # fmt: skip
POLICY_CODE_RE = r"^[a-z]+-\d{4}-\d+$"
CODE_LIMIT = 40  # Policy.code and Clause.code (max_length): longer fails on PostgreSQL
ARTICLE_LIMIT = 999  # as the studio's 条号
EXPORT_POLICY_FIELDS = (
    "code", "doc_number", "title", "issuer", "level", "issued_on", "effective_from",
    "effective_to", "status", "supersedes", "interpreting_departments", "funding_split",
    "payout_targets", "stacking_rule", "original_text",
)  # fmt: skip
EXPORT_CLAUSE_FIELDS = (
    "code", "article", "title", "category", "redemption_mode", "responsible_department",
    "review_path", "payment_schedule", "funding_split", "stacking_group", "materials", "guide",
    "original_text",
)  # fmt: skip


logger = logging.getLogger(__name__)
# The definitions compiler reports values of unexpected types as DefinitionError (a list for
# ``type``, ``paid_per`` or ``combine``, an empty ``rate``: fuzzed in the engine's tests). Should
# one still raise inside it, the import names the clause and refuses (logged, to be fixed there)
# instead of failing.
UNEXPECTED = (TypeError, KeyError, ValueError, AttributeError, IndexError)
UNEXPECTED_MESSAGE = (
    "条款定义中有无法识别的写法（例如应写文字或数字的地方写成了列表或空值），请对照格式说明检查"
)


class PolicyFileInvalid(DomainError):
    """The file does not validate; ``messages`` lists every problem in Chinese."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(
            "政策文件有误，未作任何修改：" + "；".join(messages),
            errors={str(i): m for i, m in enumerate(messages, start=1)},
        )


@dataclass
class ImportReport:
    policy: str = ""
    policy_created: bool = False
    clauses: int = 0
    versions_created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"政策 {self.policy}{'（新建）' if self.policy_created else ''}：{self.clauses} 个条款，"
            f"新建规则版本 {len(self.versions_created)} 个，未变 {len(self.unchanged)} 个。"
        )


def policy_file_read(path: Path | str) -> dict:
    """The YAML file as a dict; ``PolicyFileInvalid`` for an unreadable or malformed file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyFileInvalid([f"无法读取文件 {path.name}：{exc}"]) from exc
    try:
        data = yaml_load(text)  # bounded: deep nesting and alias bombs are refused
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise PolicyFileInvalid([f"文件 {path.name} 不是有效的 YAML{where}：{exc}"]) from exc
    except YamlTooLarge as exc:
        raise PolicyFileInvalid([f"文件 {path.name} {exc}"]) from exc
    if not isinstance(data, dict):
        raise PolicyFileInvalid([f"文件 {path.name} 应为一个政策（键: 值）"])
    return data


# -- validation -------------------------------------------------------------------------------
def _choice(value: object, choices, what: str, problems: list[str]) -> str:
    """A TextChoices value given as its code or its Chinese label."""
    by_label = {str(label): str(v) for v, label in choices.choices}
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    if value in choices.values:
        return str(value)
    if value in by_label:
        return by_label[value]
    problems.append(f"{what}「{value}」应为{'、'.join(by_label)}之一")
    return ""


def _day(
    value: object, what: str, problems: list[str], *, required: bool = False
) -> dt.date | None:
    if value in (None, ""):
        if required:
            problems.append(f"请填写{what}")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{what}「{value}」应写作 2022-05-31")
        return None


def _text(data: Mapping, key: str, what: str, limit: int, problems: list[str]) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        problems.append(f"请填写{what}")
    elif len(value) > limit:
        problems.append(f"{what}不超过{limit}个字")
    return value


def _short(data: Mapping, key: str, what: str, limit: int, problems: list[str]) -> str:
    value = str(data.get(key) or "").strip()
    if len(value) > limit:
        problems.append(f"{what}不超过{limit}个字")
    return value[:limit]


def _words(value: object, what: str, problems: list[str]) -> list[str]:
    if value in (None, "", []):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{what}应为文字列表")
        return []
    return list(value)


def _split(value: object, what: str, problems: list[str]) -> dict | None:
    if value in (None, {}):
        return None
    ok = (
        isinstance(value, Mapping)
        and set(value) <= {"city", "district"}
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
            for v in value.values()
        )
    )
    if not ok or not sum(value.values()):  # type: ignore[union-attr]
        problems.append(f"{what}应写作 {{city: 1, district: 1}}（市级:区县级，非负数）")
        return None
    return dict(value)  # type: ignore[arg-type]


def _schedule(value: object, problems: list[str]) -> list:
    if value in (None, []):
        return []
    if not isinstance(value, list) or not all(
        isinstance(r, Mapping) and r.get("when") for r in value
    ):
        problems.append("拨付安排应为列表，每项写 share（比例%）和 when（何时拨付）")
        return []
    shares = [r.get("share") for r in value]
    if (
        all(isinstance(s, int | float) and not isinstance(s, bool) for s in shares)
        and sum(shares) != 100
    ):
        problems.append(f"拨付安排各期比例之和应为100%，现为{sum(shares)}%")
    return [dict(r) for r in value]


def _plain(value: object) -> object:
    """JSON-ready (dates as ISO strings), as stored in a JSONField."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass
class _Checked:
    policy: dict
    clauses: list[tuple[dict, dict | None, engine.Clause | None]]  # fields, definition, compiled


def policy_validate(data: Mapping) -> _Checked:
    """Every problem of the file at once (``PolicyFileInvalid``), or the checked values."""
    problems: list[str] = []
    unknown = set(data) - POLICY_KEYS
    if unknown:
        problems.append(f"政策中不认识的项：{'、'.join(sorted(map(str, unknown)))}")
    import re

    code = str(data.get("code") or "")
    if not re.match(POLICY_CODE_RE, code):
        problems.append(f"政策编码「{code}」格式应为“前缀-年份-序号”，如 hnzx-2022-1")
    elif len(code) > CODE_LIMIT - 4:  # room for "/条号" in its clauses' codes
        problems.append(f"政策编码「{code}」过长（不超过{CODE_LIMIT - 4}个字符）")
    policy = {
        "doc_number": _text(data, "doc_number", "文号", 60, problems),
        "title": _text(data, "title", "政策标题", 200, problems),
        "issuer": _text(data, "issuer", "发文机关", 100, problems),
        "level": _choice(data.get("level"), Policy.Level, "层级", problems),
        "status": _choice(data.get("status") or "in_force", Policy.Status, "状态", problems),
        "supersedes": _short(data, "supersedes", "废止/替代的文件", 100, problems),
        "interpreting_departments": _words(
            data.get("interpreting_departments"), "解释部门", problems
        ),
        "funding_split": _split(data.get("funding_split"), "资金分担", problems),
        "payout_targets": _plain(data.get("payout_targets") or []),
        "stacking_rule": str(data.get("stacking_rule") or ""),
        "original_text": str(data.get("original_text") or "").strip(),
    }
    policy["issued_on"] = _day(data.get("issued_on"), "发布日期", problems, required=True)
    policy["effective_from"] = (
        _day(data.get("effective_from"), "施行日期", problems) or policy["issued_on"]
    )
    policy["effective_to"] = _day(data.get("effective_to"), "有效期至", problems)
    if (
        policy["effective_to"]
        and policy["effective_from"]
        and policy["effective_to"] < policy["effective_from"]
    ):
        problems.append("有效期至不能早于施行日期")
    same_number = Policy.objects.filter(doc_number=policy["doc_number"]).exclude(code=code).first()
    if same_number:
        problems.append(f"文号「{policy['doc_number']}」已由政策 {same_number.code} 使用")
    items = data.get("clauses")
    if not isinstance(items, list) or not items:
        problems.append("请至少列出一个条款（clauses）")
        items = []
    checked = []
    codes: set[str] = set()
    for i, item in enumerate(items, start=1):
        label = f"第{i}个条款" + (f"（{item.get('code')}）" if isinstance(item, Mapping) else "")
        mine: list[str] = []
        fields, definition, compiled = _clause(item, code, codes, mine)
        problems += [f"{label}：{m}" for m in mine]
        checked.append((fields, definition, compiled))
    if problems:
        raise PolicyFileInvalid(problems)
    return _Checked({"code": code, **policy}, checked)


def _clause(item: object, policy_code: str, codes: set[str], problems: list[str]):
    if not isinstance(item, Mapping):
        problems.append("应为对象（code、title、definition…）")
        return {}, None, None
    unknown = set(item) - CLAUSE_KEYS
    if unknown:
        problems.append(f"不认识的项：{'、'.join(sorted(map(str, unknown)))}")
    code = str(item.get("code") or "")
    if not code.startswith(policy_code + "/") or not code.rsplit("/", 1)[1].isdigit():
        problems.append(f"条款编码「{code}」应为“{policy_code}/条号”")
    elif code in codes:
        problems.append(f"条款编码「{code}」重复")
    elif len(code) > CODE_LIMIT or not 0 < int(code.rsplit("/", 1)[1]) <= ARTICLE_LIMIT:
        problems.append(f"条款编码「{code}」过长，或条号不在1至{ARTICLE_LIMIT}之间")
    codes.add(code)
    article = code.rsplit("/", 1)[-1]
    if str(item.get("article", article)) != article:
        problems.append(f"条号应为{article}（与条款编码一致）")
    window = item.get("application_window") or {}
    opens = (
        _day(window.get("opens"), "申报开始日期", problems) if isinstance(window, Mapping) else None
    )
    closes = (
        _day(window.get("closes"), "申报截止日期", problems)
        if isinstance(window, Mapping)
        else None
    )
    if opens and closes and closes < opens:
        problems.append("申报截止日期不能早于开始日期")
    materials = item.get("materials") or []
    if not isinstance(materials, list) or not all(
        isinstance(m, str) and m.strip() for m in materials
    ):
        problems.append("申报材料应为文字列表")
        materials = []
    fields = {
        "code": code,
        "article": int(article) if article.isdigit() else 0,
        "title": _text(item, "title", "条款标题", 200, problems),
        "category": _choice(item.get("category") or "奖励", Clause.Category, "类别", problems),
        "redemption_mode": _choice(
            item.get("redemption_mode") or "申报审核", Clause.Redemption, "兑现方式", problems
        ),
        "review_path": _choice(
            item.get("review_path") or "district_then_city", Clause.ReviewPath, "审核路径", problems
        ),
        "responsible_department": str(item.get("responsible_department") or "")[:100],
        "application_opens": opens,
        "application_closes": closes,
        "payment_schedule": _schedule(item.get("payment_schedule"), problems),
        "funding_split": _split(item.get("funding_split"), "资金分担", problems),
        "stacking_group": str(item.get("stacking_group") or "")[:200],
        "materials": [m.strip() for m in materials],
        "guide": str(item.get("guide") or "").strip(),
        "original_text": str(item.get("original_text") or "").strip(),
    }
    owner = Clause.objects.filter(code=code).exclude(policy__code=policy_code).first()
    if owner:
        problems.append(f"条款编码「{code}」已属于政策 {owner.policy.code}")
    raw = item.get("definition")
    if raw is None:
        if code not in engine.class_codes():
            problems.append("缺少条款定义（definition），程序中也没有此条款")
        return fields, None, None
    if not isinstance(raw, Mapping):
        problems.append("条款定义（definition）应为对象")
        return fields, None, None
    definition = _plain(
        {"code": code, "article": int(fields["article"]), "title": fields["title"], **raw}
    )
    if code in engine.class_codes():  # built into the library: its own definition passes as is
        if definition != _builtin_definition(code, fields["title"]):
            problems.append(
                "此条款为政策库内置条款，其定义随程序发布，不能由导入修改（调整数字请用条款规则维护）"
            )
        return fields, None, None
    try:
        compiled = compile_definition(definition)
        clause_sentence(compiled)  # the library shows it: a definition it cannot say is refused
    except DefinitionError as exc:
        problems += exc.messages
        return fields, None, None
    except UNEXPECTED:
        logger.exception("definition of %s raised inside the compiler", code)
        problems.append(UNEXPECTED_MESSAGE)
        return fields, None, None
    return fields, definition, compiled


def _builtin_definition(code: str, title: str) -> dict | None:
    """The definition a built-in clause computes through (a seed policy file's, or a spec's
    written as one), as an import file carries it; None for a clause only a class declares."""
    clause = engine.get_clause(code)
    if not isinstance(clause, engine.definitions.DefinedClause):
        return None
    definition = dict(clause.definition)
    definition.setdefault("title", title)
    return _plain(definition)  # type: ignore[return-value]


# -- writing ----------------------------------------------------------------------------------
@transaction.atomic
def policy_import(
    *, data: Mapping, actor=None, source: str = "", audit: bool = True
) -> ImportReport:
    """Validate ``data`` (one policy) and write it; nothing changes when it is invalid.
    ``audit=False`` for the library loader (a deploy step, like ``load_policies`` always was)."""
    checked = policy_validate(data)
    values = dict(checked.policy)
    code = values.pop("code")
    policy, created = Policy.objects.update_or_create(code=code, defaults=values)
    report = ImportReport(policy=code, policy_created=created)
    today = timezone.localdate()
    for fields, definition, compiled in checked.clauses:
        fields = dict(fields)
        clause_code = fields.pop("code")
        clause, _ = Clause.objects.update_or_create(
            code=clause_code, defaults={**fields, "policy": policy}
        )
        report.clauses += 1
        _version(clause, definition, compiled, policy, today, actor, report)
    username = getattr(actor, "username", "") or "系统"
    record = {
        "kind": "policies.policy_imported",
        "actor": username,
        "object_ref": f"policies.Policy:{policy.pk}",
        "object_id": policy.pk,
        "summary": f"导入政策 {policy.doc_number}：{report.summary()}",
        "data": {
            "policy": code, "source": source, "created": report.versions_created,
        },
    }  # fmt: skip
    if audit:
        transaction.on_commit(lambda: audit_append(**record), robust=True)
    # this process sees the new definitions at once; again after commit (another request of
    # this process may have reloaded them in between)
    definitions_forget()
    transaction.on_commit(definitions_forget)
    return report


def _version(clause, definition, compiled, policy, today, actor, report: ImportReport) -> None:
    latest = clause.versions.order_by("-number").first()
    if definition is None:  # a clause declared in code: its first version as the loader does
        if latest is None:
            params = params_to_json(engine.get_clause(clause.code), None)
            ClauseRuleVersion.objects.create(clause=clause, number=1, params=params,
                                             effective_from=policy.effective_from, note="按政策原文载入")  # fmt: skip
            report.versions_created.append(clause.code)
        else:
            report.unchanged.append(clause.code)
        return
    params = params_to_json(compiled, None)
    if latest is not None and latest.definition == definition and latest.params == params:
        report.unchanged.append(clause.code)
        return
    Clause.objects.select_for_update().get(pk=clause.pk)  # one publisher at a time per clause
    number = (clause.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    ClauseRuleVersion.objects.create(
        clause=clause,
        number=number,
        params=params,
        definition=definition,
        effective_from=policy.effective_from
        if latest is None
        else max(today, policy.effective_from),
        note="按政策文件导入" if latest is None else "政策文件导入：条款定义有修改",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    report.versions_created.append(f"{clause.code} 第{number}版")


def policy_file_import(*, path: Path | str, actor=None, audit: bool = True) -> ImportReport:
    data = policy_file_read(path)
    return policy_import(data=data, actor=actor, source=Path(path).name, audit=audit)


# -- export -----------------------------------------------------------------------------------
def policy_export(*, code: str, on: dt.date | None = None) -> dict:
    """The policy ``code`` in the import format, each clause with the definition in force."""
    policy = Policy.objects.filter(code=code).first()
    if policy is None:
        raise DomainError(f"没有编码为「{code}」的政策。", errors={"code": "没有此政策。"})
    out: dict = {}
    for name in EXPORT_POLICY_FIELDS:
        value = getattr(policy, name)
        if value not in (None, "", [], {}) or name in ("code", "doc_number"):
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    clauses = []
    for clause in policy.clauses.order_by("article", "code"):
        item: dict = {}
        for name in EXPORT_CLAUSE_FIELDS:
            value = getattr(clause, name)
            if value not in (None, "", [], {}) or name in ("code", "article", "title"):
                item[name] = value
        if clause.application_opens or clause.application_closes:
            item["application_window"] = {
                "opens": clause.application_opens.isoformat() if clause.application_opens else None,
                "closes": clause.application_closes.isoformat()
                if clause.application_closes
                else None,
            }
        version = rule_version_on(clause, on)
        definition = version.definition if version is not None else None
        if not definition and clause.code in engine.class_codes():
            definition = _builtin_definition(clause.code, clause.title)  # the library's own
        if definition:
            item["definition"] = {
                k: v
                for k, v in definition.items()
                if k not in ("code", "article") and (k != "title" or v != clause.title)
            }
        clauses.append(item)
    out["clauses"] = clauses
    return out


class _Dumper(yaml.SafeDumper):
    """Multi-line texts (guides, original text) as YAML literal blocks, readable and editable."""


def _text_block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text_block)


def policy_export_yaml(*, code: str) -> str:
    return yaml.dump(
        policy_export(code=code), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
