"""Audit retention: at least 180 days (a system check), never deleted by the application,
archived as a verifiable export of the hash chain."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from portal.core.audit import audit_append
from portal.core.audit_export import audit_export, audit_verify_export

pytestmark = pytest.mark.django_db


def check_ids() -> set[str]:
    return {message.id for message in run_checks()}


@pytest.mark.parametrize("days", [180, 365, 3650])
def test_six_months_or_more_pass_the_check(settings, days):
    settings.PORTAL_AUDIT_RETENTION_DAYS = days
    assert "core.E001" not in check_ids()


@pytest.mark.parametrize("days", [179, 30, 0, -1, "180", None])
def test_less_than_six_months_is_a_system_check_error(settings, days):
    settings.PORTAL_AUDIT_RETENTION_DAYS = days
    errors = [m for m in run_checks() if m.id == "core.E001"]
    assert errors and "180" in errors[0].msg and errors[0].is_serious()


def test_the_default_is_180_days():
    from portal.settings import base

    assert base.PORTAL_AUDIT_RETENTION_DAYS == 180


@pytest.fixture
def old_and_new(monkeypatch):
    """Two records from a year ago, then two from today (the chain is one)."""
    year_ago = timezone.now() - dt.timedelta(days=365)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: year_ago)
        old = [audit_append(kind="test", actor="审计员", data={"i": i}) for i in range(2)]
    new = [audit_append(kind="test", actor="tester", data={"i": i, "yuan": "1.00"}) for i in (2, 3)]
    return old, new


def export(before: dt.date) -> tuple[list[str], object]:
    out = io.StringIO()
    summary = audit_export(before=before, out=out)
    return out.getvalue().splitlines(), summary


def test_export_before_a_date_is_the_chain_prefix_and_verifies(old_and_new):
    old, _ = old_and_new
    cut = timezone.localdate() - dt.timedelta(days=200)
    lines, summary = export(cut)
    assert summary.count == 2 and summary.last_seq == old[-1].seq and summary.archivable
    header = json.loads(lines[0])
    assert header["format"].startswith("huiqi-audit-export") and header["retention_days"] == 180
    rows = [json.loads(line) for line in lines[1:]]
    assert [r["hash"] for r in rows] == [r.hash for r in old]
    assert rows[0]["actor"] == "审计员"  # UTF-8 kept
    assert audit_verify_export(lines).ok and audit_verify_export(lines).checked == 2

    everything, summary = export(timezone.localdate() + dt.timedelta(days=1))
    assert summary.count == 4 and not summary.archivable  # today's records: a copy only
    assert audit_verify_export(everything).ok


def test_an_edited_or_cut_export_fails_verification(old_and_new):
    lines, _ = export(timezone.localdate() + dt.timedelta(days=1))
    row = json.loads(lines[2])
    row["data"]["i"] = 99
    edited = [*lines[:2], json.dumps(row, ensure_ascii=False), *lines[3:]]
    report = audit_verify_export(edited)
    assert not report.ok and "被修改" in report.problem and report.checked == 1
    assert "缺失" in audit_verify_export([lines[0], lines[1], *lines[3:]]).problem
    assert "不完整" in audit_verify_export(lines[:-1]).problem
    assert not audit_verify_export(["not json"]).ok


def test_the_command_exports_verifies_and_never_overwrites(old_and_new, tmp_path):
    path = tmp_path / "audit.jsonl"
    before = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    out = io.StringIO()
    call_command("export_audit", "--before", before, "--output", str(path), stdout=out)
    assert "已导出 2 条" in out.getvalue() and "可归档" in out.getvalue()
    out = io.StringIO()
    call_command("export_audit", "--verify", str(path), stdout=out)
    assert "完好：共 2 条" in out.getvalue()
    with pytest.raises(CommandError, match="已存在"):
        call_command("export_audit", "--before", before, "--output", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("审计员", "某人", 1), "utf-8")
    with pytest.raises(CommandError, match="校验失败"):
        call_command("export_audit", "--verify", str(path))
    with pytest.raises(CommandError):
        call_command("export_audit")
