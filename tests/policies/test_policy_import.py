"""Import and export of a whole policy file; versions of definitions (cases keep theirs); the
database refuses changing a version a calculation used (SQLite and PostgreSQL)."""

from __future__ import annotations

import copy

import pytest
import yaml
from django.core.management import call_command
from django.db import DatabaseError, transaction

from policies import engine
from policies.definitions import clause_for_version
from policies.importing import PolicyFileInvalid, policy_export, policy_import
from policies.models import Calculation, Clause, ClauseRuleVersion, Policy
from policies.services import award_calculate
from portal.core.audit import AuditRecord

pytestmark = pytest.mark.django_db

POLICY = {
    "code": "tst-2024-7",
    "doc_number": "测试〔2024〕7号",
    "title": "测试政策",
    "issuer": "测试市人民政府",
    "level": "市",
    "issued_on": "2024-01-01",
    "clauses": [
        {
            "code": "tst-2024-7/3",
            "article": 3,
            "title": "设备投资补助",
            "category": "补助",
            "materials": ["设备发票"],
            "payment_schedule": [{"share": 40, "when": "立项后"}, {"share": 60, "when": "验收后"}],
            "application_window": {"opens": "2024-03-01", "closes": "2099-12-31"},
            "definition": {
                "quote": "按设备投资的10%给予补助，最高100万元。",
                "facts": [
                    {"name": "qualified", "label": "规模以上工业企业", "type": "是否"},
                    {"name": "equipment", "label": "设备投资额", "type": "金额"},
                ],
                "when": ["qualified"],
                "formula": {"type": "percent", "of": "equipment", "rate": "10%", "cap": "100万"},
                "tests": [
                    {"facts": {"qualified": True, "equipment": "5000000"}, "amount": "500000"}
                ],
            },
        }
    ],
}
FACTS = {"qualified": True, "equipment": "5000000"}


def _policy(**changes) -> dict:
    data = copy.deepcopy(POLICY)
    data["clauses"][0]["definition"].update(changes)
    return data


def _counts() -> tuple[int, int, int]:
    return Policy.objects.count(), Clause.objects.count(), ClauseRuleVersion.objects.count()


def test_a_policy_file_becomes_a_policy_whose_clauses_every_caller_computes(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = policy_import(data=POLICY)
    assert report.policy_created and report.versions_created == ["tst-2024-7/3 第1版"]
    clause = Clause.objects.get(code="tst-2024-7/3")
    assert (clause.policy.level, clause.category, clause.materials) == (
        "city",
        "补助",
        ["设备发票"],
    )
    version = clause.versions.get()
    assert version.definition["formula"]["rate"] == "10%" and version.params == {}
    meta = engine.get_clause("tst-2024-7/3")
    assert [f.label for f in meta.facts] == ["规模以上工业企业", "设备投资额"]
    assert award_calculate(code="tst-2024-7/3", facts=FACTS).result.amount == 500000
    assert AuditRecord.objects.filter(kind="policies.policy_imported").exists()


def test_an_invalid_file_changes_nothing_and_says_what_is_wrong_in_chinese():
    policy_import(data=POLICY)
    before = _counts()
    bad = _policy(when=[{"fact": "营业收入", "op": "以上", "value": 1}])
    bad["title"] = "改过的标题"
    bad["clauses"][0]["category"] = "红包"
    with pytest.raises(PolicyFileInvalid) as caught:
        policy_import(data=bad)
    assert caught.value.messages == [
        "第1个条款（tst-2024-7/3）：类别「红包」应为奖励、补贴、补助、贴息、服务券之一",
        "第1个条款（tst-2024-7/3）：适用条件：第1个条件：事实「营业收入」不存在（请先在“事实”中声明）",
    ]
    assert _counts() == before
    assert Policy.objects.get(code="tst-2024-7").title == "测试政策"


def test_a_failing_worked_example_refuses_the_whole_file():
    with pytest.raises(PolicyFileInvalid) as caught:
        policy_import(data=_policy(tests=[{"facts": FACTS, "amount": "400000"}]))
    assert caught.value.messages == [
        "第1个条款（tst-2024-7/3）：第1个测试用例：应得400000.00元，按定义算得500000.00元"
    ]
    assert not Policy.objects.filter(code="tst-2024-7").exists()


def test_a_code_declared_in_python_cannot_be_redefined_as_data():
    data = copy.deepcopy(POLICY)
    data["code"], data["clauses"][0]["code"] = "zzw-2022-155", "zzw-2022-155/3"
    data["doc_number"] = "另一个文号"
    with pytest.raises(PolicyFileInvalid) as caught:
        policy_import(data=data)
    assert "此条款为政策库内置条款，其定义随程序发布，不能由导入修改" in caught.value.messages[0]


def test_any_change_is_a_new_version_and_the_old_one_stays():
    policy_import(data=POLICY)
    changed = _policy(formula={"type": "percent", "of": "equipment", "rate": "4%"}, tests=[])
    report = policy_import(data=changed)
    assert report.versions_created == ["tst-2024-7/3 第2版"]
    versions = ClauseRuleVersion.objects.filter(clause__code="tst-2024-7/3").order_by("number")
    assert [v.definition["formula"]["rate"] for v in versions] == ["10%", "4%"]
    assert award_calculate(code="tst-2024-7/3", facts=FACTS).result.amount == 200000
    assert policy_import(data=changed).unchanged == ["tst-2024-7/3"]


def test_a_change_after_a_case_used_the_version_is_a_new_version_and_the_case_keeps_its_own():
    policy_import(data=POLICY)
    used = award_calculate(code="tst-2024-7/3", facts=FACTS, source="application").calculation
    report = policy_import(
        data=_policy(formula={"type": "percent", "of": "equipment", "rate": "20%"}, tests=[])
    )
    assert report.versions_created == ["tst-2024-7/3 第2版"]
    old, new = ClauseRuleVersion.objects.filter(clause__code="tst-2024-7/3").order_by("number")
    used.refresh_from_db()
    assert used.rule_version == old and old.definition["formula"]["rate"] == "10%"
    assert clause_for_version(old).calculate(FACTS).amount == 500000  # the case's own rule
    assert clause_for_version(new).calculate(FACTS).amount == 1000000
    assert award_calculate(code="tst-2024-7/3", facts=FACTS).result.amount == 1000000
    assert engine.get_clause("tst-2024-7/3").version != used.engine_version


def test_the_database_refuses_changing_a_version_a_calculation_used():
    """SQLite: a trigger of this app; PostgreSQL: versions are append-only altogether."""
    policy_import(data=POLICY)
    award_calculate(code="tst-2024-7/3", facts=FACTS, source="calculator")
    version = ClauseRuleVersion.objects.get(clause__code="tst-2024-7/3")
    with pytest.raises(DatabaseError), transaction.atomic():
        ClauseRuleVersion.objects.filter(pk=version.pk).update(definition={"changed": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        ClauseRuleVersion.objects.filter(pk=version.pk).update(params={"x": 1})
    assert Calculation.objects.get().rule_version.definition == version.definition


def test_export_then_import_changes_nothing(library):
    for code in ("tst-2024-7",):
        policy_import(data=POLICY)
        exported = policy_export(code=code)
        before = _counts()
        report = policy_import(data=yaml.safe_load(yaml.safe_dump(exported, allow_unicode=True)))
        assert report.unchanged == ["tst-2024-7/3"] and not report.versions_created
        assert _counts() == before
    henan = policy_export(code="hnzxcs-2022-1")
    report = policy_import(data=henan)
    assert len(report.unchanged) == len(henan["clauses"]) >= 20


@pytest.mark.parametrize("code", ["zzw-2022-155", "zzb-2022-51", "zz-2022-17"])
def test_a_seed_policy_exports_its_built_in_definitions_and_imports_back_unchanged(library, code):
    """The file an officer downloads carries each clause's definition (the seed file's, or a
    spec's written as one, with its parameters); importing it back changes nothing, and a
    changed built-in definition is refused (its numbers change through 条款规则维护)."""
    exported = policy_export(code=code)
    defined = [c for c in exported["clauses"] if "definition" in c]
    assert len(defined) >= len(exported["clauses"]) - 1  # 17号第4条 is still a class
    assert any("params" in c["definition"] for c in defined)  # the numbers 条款规则维护 changes
    before = _counts()
    again = yaml.safe_load(yaml.safe_dump(exported, allow_unicode=True))
    report = policy_import(data=again)
    assert len(report.unchanged) == len(exported["clauses"]) and not report.versions_created
    assert _counts() == before
    again["clauses"][0]["definition"]["quote"] = "改过的原文"
    with pytest.raises(PolicyFileInvalid) as exc:
        policy_import(data=again)
    assert "政策库内置条款" in "".join(exc.value.messages)
    assert _counts() == before


def test_commands_import_check_and_export(tmp_path, capsys):
    good = tmp_path / "p.yaml"
    good.write_text(yaml.safe_dump(POLICY, allow_unicode=True), encoding="utf-8")
    call_command("import_policy", str(good), "--check")
    assert not Policy.objects.filter(code="tst-2024-7").exists()
    call_command("import_policy", str(good))
    assert Policy.objects.filter(code="tst-2024-7").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [不是政策", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("import_policy", str(bad))
    assert exited.value.code == 2
    assert "不是有效的 YAML" in capsys.readouterr().err
    out = tmp_path / "out.yaml"
    call_command("export_policy", "tst-2024-7", "-o", str(out))
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["clauses"][0]["definition"]["quote"]
    with pytest.raises(SystemExit):
        call_command("export_policy", "tst-2024-7", "-o", str(out))  # never overwrites
    with pytest.raises(SystemExit):
        call_command("export_policy", "no-such-1")


def test_another_process_sees_a_newly_imported_clause_within_two_seconds(monkeypatch):
    """Each process keeps its compiled definitions; an import bumps the generation in the shared
    cache, which another process (here a second source) reads at most every CHECK_SECONDS."""
    from policies import definitions

    clock = [1000.0]
    monkeypatch.setattr(definitions.time, "monotonic", lambda: clock[0])
    other = definitions.DatabaseDefinitions()  # another gunicorn or Celery process
    assert other.get("tst-2024-7/3") is None  # loaded: nothing defined yet
    policy_import(data=POLICY)
    assert engine.get_clause("tst-2024-7/3").title == "设备投资补助"  # this process at once
    clock[0] += 1.0
    assert other.get("tst-2024-7/3") is None  # not looked at again within CHECK_SECONDS
    clock[0] += definitions.CHECK_SECONDS
    assert other.get("tst-2024-7/3").title == "设备投资补助"  # the generation moved: reloaded
    clock[0] += definitions.CHECK_SECONDS + 1
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:  # generation unchanged: kept, no query
        assert other.get("tst-2024-7/3") is not None
    assert len(queries) == 0
