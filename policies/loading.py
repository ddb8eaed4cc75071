"""Load the policy library from ``policies/data/*.yaml`` into the database. Idempotent.

A clause's first rule version takes the engine's defaults (the numbers of the policy text);
reloading never touches versions an administrator has published since.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from policies import engine
from policies.engine.library import policy_file
from policies.models import Clause, ClauseRuleVersion, Policy
from policies.rules import params_to_json

DATA_DIR = Path(__file__).resolve().parent / "data"
POLICY_FIELDS = (
    "doc_number", "title", "issuer", "level", "issued_on", "effective_from", "effective_to",
    "status", "interpreting_departments", "funding_split", "payout_targets", "stacking_rule",
)  # fmt: skip
CLAUSE_FIELDS = (
    "title", "category", "redemption_mode", "responsible_department", "review_path",
    "payment_schedule", "funding_split", "materials", "guide",
)  # fmt: skip


@dataclass
class LoadReport:
    policies: int = 0
    clauses: int = 0
    versions_created: int = 0


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _excerpt(text: str, lines: list[int] | None) -> str:
    """The article's text from its line range, with the PDF's line breaks joined."""
    if not lines:
        return ""
    first, last = lines
    chunk = text.splitlines()[first - 1 : last]
    return re.sub(r"\s*\n\s*", "", "\n".join(line.strip() for line in chunk)).strip()


def _plain(value: object) -> object:
    """YAML gives dates as date objects; JSON fields keep ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def policy_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(data_dir.glob("*.yaml"))


DEFINED_DIR = DATA_DIR / "defined"


@transaction.atomic
def policy_library_load(
    data_dir: Path = DATA_DIR, defined_dir: Path | None = DEFINED_DIR
) -> LoadReport:
    """The policies declared in code (``data_dir``), then those defined as data
    (``defined_dir``: one file per policy, through the import service)."""
    from policies.importing import policy_file_import

    report = LoadReport()
    for path in sorted(defined_dir.glob("*.yaml")) if defined_dir else ():
        imported = policy_file_import(path=path, audit=False)
        report.policies += 1
        report.clauses += imported.clauses
        report.versions_created += len(imported.versions_created)
    for path in policy_files(data_dir):
        data = copy.deepcopy(policy_file(path))  # parsed once per process, as the registry reads it
        text = ""
        if data.get("text_file"):
            text = (data_dir / data["text_file"]).read_text(encoding="utf-8")
        defaults = {name: _plain(data.get(name)) for name in POLICY_FIELDS if name in data}
        for name in ("issued_on", "effective_from", "effective_to"):
            defaults[name] = _date(defaults.get(name))
        defaults["effective_from"] = defaults["effective_from"] or defaults["issued_on"]
        defaults["supersedes"] = data.get("supersedes") or ""
        defaults["stacking_rule"] = defaults.get("stacking_rule") or ""
        defaults["original_text"] = text
        policy, _ = Policy.objects.update_or_create(code=data["code"], defaults=defaults)
        report.policies += 1
        for item in data.get("clauses", []):
            _load_clause(policy, item, text, report)
    return report


def _load_clause(policy: Policy, item: dict, text: str, report: LoadReport) -> None:
    window = item.get("application_window") or {}
    original = item.get("original_text") or ""
    if original.strip() in ("", "@"):
        original = _excerpt(text, item.get("source_lines"))
    defaults = {name: _plain(item.get(name)) for name in CLAUSE_FIELDS if name in item}
    defaults.update(
        policy=policy,
        article=int(item["article"]),
        original_text=original.strip(),
        stacking_group=item.get("stacking_group") or "",
        responsible_department=item.get("responsible_department") or "",
        payment_schedule=item.get("payment_schedule") or [],
        materials=item.get("materials") or [],
        guide=item.get("guide") or "",
    )
    if window:
        # 原申报时间 is what the text says, so every load writes it (an older demo moved these
        # dates; it now opens its own 申报批次 instead). Later periods are ApplicationBatch rows.
        defaults["application_opens"] = _date(window.get("opens"))
        defaults["application_closes"] = _date(window.get("closes"))
    clause, _ = Clause.objects.update_or_create(code=item["code"], defaults=defaults)
    report.clauses += 1
    if not clause.versions.exists():
        try:
            params = params_to_json(engine.get_clause(clause.code), None)
        except engine.UnknownClause:
            params = {}
        ClauseRuleVersion.objects.create(
            clause=clause,
            number=1,
            params=params,
            effective_from=policy.effective_from,
            note="按政策原文载入",
        )
        report.versions_created += 1
