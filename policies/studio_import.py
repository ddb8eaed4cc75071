"""A whole policy imported from a YAML file on the studio's page (政策管理员).

The file is the format ``import_policy`` reads (README, "Clauses defined as data"). Uploading it
writes nothing: ``policy_upload_preview`` reads and validates it with the import service's own
checks and shows the policy, each clause's rule as a Chinese sentence and its test cases run.
``policy_upload_import`` (after the officer confirms and re-authenticates, as publishing a
clause does) validates the same text again and writes it through ``policy_import``: all or
nothing, audited as ``policies.policy_imported``. Every problem is a Chinese message naming the
part, in Chinese words only (``studio_words``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

import yaml

from policies.engine.definitions import clause_sentence
from policies.importing import (
    ImportReport,
    PolicyFileInvalid,
    policy_import,
    policy_validate,
)
from policies.models import Clause, Policy
from policies.rules import params_to_json
from policies.studio import TestRow, _run_tests
from policies.studio_words import shown_messages
from policies.yamltext import YamlTooLarge, yaml_load

MAX_BYTES = 1024 * 1024  # 1 MB: the largest policy file in policies/data/defined/ is ~60 KB
SUFFIXES = (".yaml", ".yml")


class UploadInvalid(PolicyFileInvalid):
    """The uploaded file cannot be read or does not validate; ``messages`` in Chinese words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(shown_messages(messages))


@dataclass
class ClausePreview:
    code: str
    article: int
    title: str
    sentence: str
    change: str  # 新条款 / 新版本 / 无变化
    tests: list[TestRow] = field(default_factory=list)
    defined: bool = True  # False: computed by a Python class of the engine


@dataclass
class ImportPreview:
    file_name: str
    text: str
    code: str
    doc_number: str
    title: str
    issuer: str
    level: str
    issued_on: object
    effective_from: object
    effective_to: object
    exists: bool
    clauses: list[ClausePreview] = field(default_factory=list)


def policy_upload_text(*, name: str, content: bytes) -> str:
    """The uploaded file's text, or ``UploadInvalid``: a .yaml/.yml file of at most 1 MB in
    UTF-8 (a byte-order mark is allowed, as Windows editors write one)."""
    shown = PurePath(name or "").name or "（无文件名）"
    if not name:
        raise UploadInvalid(["请选择政策文件（.yaml 或 .yml）"])
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise UploadInvalid([f"文件「{shown}」不是政策文件：请上传 .yaml 或 .yml 文件"])
    if len(content) > MAX_BYTES:
        raise UploadInvalid([f"文件「{shown}」超过1MB，请拆分后分别导入"])
    if not content.strip():
        raise UploadInvalid([f"文件「{shown}」是空的"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadInvalid(
            [f"文件「{shown}」不是UTF-8编码：请在编辑器中以UTF-8编码另存后再上传"]
        ) from exc
    if "\x00" in text:
        raise UploadInvalid([f"文件「{shown}」含有无法保存的字符"])
    return text


def _data(text: str, name: str) -> dict:
    try:
        data = yaml_load(text)  # bounded: deep nesting and alias bombs are refused
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise UploadInvalid(
            [f"文件「{name}」{where}格式有误（不是有效的YAML），请检查缩进、冒号和引号"]
        ) from exc
    except YamlTooLarge as exc:
        raise UploadInvalid([f"文件「{name}」{exc}"]) from exc
    if not isinstance(data, dict):
        raise UploadInvalid([f"文件「{name}」应为一项政策（文号、标题、条款……）"])
    return data


def policy_upload_preview(*, text: str, name: str) -> ImportPreview:
    """What importing ``text`` would do, validated exactly as the import does; writes nothing."""
    if len(text.encode()) > MAX_BYTES:
        raise UploadInvalid([f"文件「{name}」超过1MB，请拆分后分别导入"])
    data = _data(text, name)
    try:
        checked = policy_validate(data)
    except PolicyFileInvalid as exc:
        raise UploadInvalid(exc.messages) from exc
    values = checked.policy
    preview = ImportPreview(
        file_name=name,
        text=text,
        code=values["code"],
        doc_number=values["doc_number"],
        title=values["title"],
        issuer=values["issuer"],
        level=Policy.Level(values["level"]).label,
        issued_on=values["issued_on"],
        effective_from=values["effective_from"],
        effective_to=values["effective_to"],
        exists=Policy.objects.filter(code=values["code"]).exists(),
    )
    existing = {
        c.code: c
        for c in Clause.objects.filter(code__in=[f["code"] for f, _, _ in checked.clauses])
    }
    for fields, definition, compiled in checked.clauses:
        clause = existing.get(fields["code"])
        if definition is None:  # declared in code: imported as the loader does
            sentence = "按程序中已有的计算规则（与政策库现行规则相同）"
            change = "新条款" if clause is None else "无变化"
            tests: list[TestRow] = []
        else:
            sentence = clause_sentence(compiled)
            tests = _run_tests(compiled, definition.get("tests") or [])
            change = _change(clause, definition, compiled)
        preview.clauses.append(
            ClausePreview(
                fields["code"],
                fields["article"],
                fields["title"],
                sentence,
                change,
                tests,
                defined=definition is not None,
            )
        )
    return preview


def _change(clause: Clause | None, definition: dict, compiled) -> str:
    if clause is None:
        return "新条款"
    latest = clause.versions.order_by("-number").first()
    if latest is None:
        return "新版本"
    same = latest.definition == definition and latest.params == params_to_json(compiled, None)
    return "无变化" if same else "新版本"


def policy_upload_import(*, text: str, name: str, actor) -> ImportReport:
    """Import the confirmed text: validated again (it came back from the page), all or nothing,
    audited with the file's name and the officer."""
    if len(text.encode()) > MAX_BYTES:
        raise UploadInvalid([f"文件「{name}」超过1MB，请拆分后分别导入"])
    data = _data(text, name)
    try:
        return policy_import(data=data, actor=actor, source=f"政策编辑器上传：{name}")
    except PolicyFileInvalid as exc:
        raise UploadInvalid(exc.messages) from exc
