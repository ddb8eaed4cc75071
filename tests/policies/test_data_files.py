"""The policy library files (``policies/data/*.yaml``): shape, codes, dates, texts.

Pure file checks (no database): ``.venv/bin/pytest tests/policies/test_data_files.py -p no:django``.
Each YAML file is one policy; its clauses are the money-granting articles, each quoting its
article verbatim from the policy's full text in ``policies/data/texts/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "policies" / "data"
FILES = sorted(DATA_DIR.glob("*.yaml"))

POLICY_KEYS = {
    "code", "doc_number", "title", "issuer", "level", "issued_on", "effective_from",
    "effective_to", "status", "supersedes", "interpreting_departments", "funding_split",
    "payout_targets", "text_file", "clauses",
}  # fmt: skip
CLAUSE_KEYS = {
    "code", "article", "title", "category", "rule", "redemption_mode",
    "responsible_department", "application_window", "review_path", "payment_schedule",
    "funding_split", "stacking_group", "facts", "materials", "guide", "original_text",
}  # fmt: skip
LEVELS = {"national", "provincial", "city", "county"}
STATUSES = {"in_force", "expired"}
CATEGORIES = {"奖励", "补贴", "补助", "贴息", "服务券"}
MODES = {"免申即享", "即申即享", "申报审核"}
REVIEW_PATHS = {"district_then_city", "city_only"}
RULES = {"formula", "no_formula"}
# 文号 prefix -> policy code prefix (award contract: 郑政文 → zzw, 郑政 → zz, 郑政办 → zzb)
DOC_PREFIX = {"郑政文": "zzw", "郑政办": "zzb", "郑政": "zz"}
DOC_RE = re.compile(r"^(郑政文|郑政办|郑政)〔(\d{4})〕(\d+)号$")
GROUP_RE = re.compile(r"^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$")
WHITESPACE = re.compile(r"\s+")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


POLICIES = {path.name: _load(path) for path in FILES}
CLAUSES = [(name, c) for name, p in POLICIES.items() for c in p.get("clauses") or ()]


def _date(value: object) -> dt.date:
    """YAML gives ``date`` objects for ISO dates; a quoted string must still parse."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _squash(text: str) -> str:
    return WHITESPACE.sub("", text)


def test_the_library_has_its_nine_policies():
    codes = {p["code"] for p in POLICIES.values()}
    expected = {"zzw-2022-155", "zz-2023-23"} | {f"zzb-2022-{n}" for n in range(51, 58)}
    assert expected <= codes


@pytest.mark.parametrize("name", POLICIES)
def test_policy_has_required_keys_and_known_values(name):
    policy = POLICIES[name]
    assert set(policy) >= POLICY_KEYS, POLICY_KEYS - set(policy)
    assert name == f"{policy['code']}.yaml"
    assert policy["level"] in LEVELS
    assert policy["status"] in STATUSES
    assert isinstance(policy["interpreting_departments"], list)
    assert policy["supersedes"] is None or DOC_RE.match(policy["supersedes"])
    assert policy["clauses"], "a policy file lists its money-granting articles"


@pytest.mark.parametrize("name", POLICIES)
def test_policy_code_follows_its_doc_number(name):
    policy = POLICIES[name]
    m = DOC_RE.match(policy["doc_number"])
    assert m, policy["doc_number"]
    prefix, year, number = m.groups()
    assert policy["code"] == f"{DOC_PREFIX[prefix]}-{year}-{number}"


def _end(value: object) -> dt.date:
    """``effective_to`` / a window's ``closes``: null when the text gives no end (长期)."""
    return dt.date.max if value is None else _date(value)


@pytest.mark.parametrize("name", POLICIES)
def test_policy_dates_parse_and_are_in_order(name):
    policy = POLICIES[name]
    issued, start = _date(policy["issued_on"]), _date(policy["effective_from"])
    end = _end(policy["effective_to"])
    assert issued <= start < end
    if policy["effective_to"] is None:
        assert policy["status"] == "in_force", "a policy with no end date has not expired"
    for target in policy["payout_targets"]:
        assert start <= _date(target["date"]) <= end
        assert target["scope"] and isinstance(target["article"], int)


@pytest.mark.parametrize("name", POLICIES)
def test_funding_splits_are_non_negative_shares(name):
    policy = POLICIES[name]
    for split in [policy["funding_split"]] + [c["funding_split"] for c in policy["clauses"]]:
        if split is None:
            continue
        assert split and all(isinstance(v, int | float) and v >= 0 for v in split.values())
        assert sum(split.values()) > 0


def test_policy_and_clause_codes_are_unique():
    policy_codes = Counter(p["code"] for p in POLICIES.values())
    clause_codes = Counter(c["code"] for _, c in CLAUSES)
    assert [c for c, n in policy_codes.items() if n > 1] == []
    assert [c for c, n in clause_codes.items() if n > 1] == []


@pytest.mark.parametrize(("name", "clause"), CLAUSES, ids=[c["code"] for _, c in CLAUSES])
def test_clause_has_required_keys_and_known_values(name, clause):
    policy = POLICIES[name]
    assert set(clause) >= CLAUSE_KEYS, CLAUSE_KEYS - set(clause)
    assert clause["code"] == f"{policy['code']}/{clause['article']}"
    assert clause["category"] in CATEGORIES
    assert clause["rule"] in RULES
    assert clause["redemption_mode"] in MODES
    assert clause["review_path"] in REVIEW_PATHS
    assert clause["title"] and clause["responsible_department"]
    assert clause["materials"] and all(isinstance(m, str) and m for m in clause["materials"])
    assert clause["guide"].strip()
    group = clause["stacking_group"]
    assert group is None or GROUP_RE.match(group), group


@pytest.mark.parametrize(("name", "clause"), CLAUSES, ids=[c["code"] for _, c in CLAUSES])
def test_application_window_lies_within_the_effective_dates(name, clause):
    policy = POLICIES[name]
    opens = _date(clause["application_window"]["opens"])
    closes = _end(clause["application_window"]["closes"])
    assert _date(policy["effective_from"]) <= opens <= closes <= _end(policy["effective_to"])


@pytest.mark.parametrize(("name", "clause"), CLAUSES, ids=[c["code"] for _, c in CLAUSES])
def test_payment_schedule_shares_add_up(name, clause):
    schedule = clause["payment_schedule"]
    assert schedule and all(item["when"] for item in schedule)
    shares = [item["share"] for item in schedule]
    numeric = [s for s in shares if s is not None]
    # null shares: instalments whose amount the text ties to that year's figure (连续补贴3年…)
    assert all(isinstance(s, int | float) and 0 < s <= 100 for s in numeric)
    if len(numeric) == len(shares):
        assert sum(numeric) == 100


@pytest.mark.parametrize("name", POLICIES)
def test_text_file_exists_and_quotes_every_article_verbatim(name):
    policy = POLICIES[name]
    text_path = DATA_DIR / policy["text_file"]
    assert text_path.is_file(), text_path
    text = text_path.read_text(encoding="utf-8")
    assert policy["doc_number"].replace("号", "") in _squash(text)
    squashed = _squash(text)
    for clause in policy["clauses"]:
        quote = _squash(clause["original_text"])
        assert quote and quote != "@", clause["code"]
        assert quote in squashed, f"{clause['code']}: original_text not found in {text_path.name}"
        assert re.match(rf"^{clause['article']}[.．]", quote), clause["code"]


def test_stacking_groups_name_at_least_two_clauses():
    """A 从高不重复 group with a single member would never apply: likely a typo."""
    used = Counter(g for _, c in CLAUSES for g in (c["stacking_group"] or "").split(",") if g)
    assert [g for g, n in used.items() if n < 2] == []


def test_facts_and_groups_mirror_the_engine():
    """``facts`` (``name`` or ``name?`` when optional), ``rule`` and ``stacking_group`` say what
    the engine declares for the same code, so the library cannot drift from the calculator."""
    engine = pytest.importorskip("policies.engine")
    problems = []
    for _, clause in CLAUSES:
        try:
            declared = engine.get_clause(clause["code"])
        except engine.UnknownClause:
            problems.append(f"{clause['code']}: not registered in the engine")
            continue
        facts = [f.name + ("" if f.required else "?") for f in declared.facts]
        if clause["facts"] != facts:
            problems.append(f"{clause['code']}: facts {clause['facts']} != engine {facts}")
        rule = "formula" if declared.computable else "no_formula"
        if clause["rule"] != rule:
            problems.append(f"{clause['code']}: rule {clause['rule']} != engine {rule}")
        groups = ",".join(declared.stacking_groups) or None
        if clause["stacking_group"] != groups:
            problems.append(
                f"{clause['code']}: group {clause['stacking_group']} != engine {groups}"
            )
    assert problems == []
