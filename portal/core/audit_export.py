"""Archiving the audit log: a verifiable JSON Lines copy of the chain up to a date.

The application never deletes audit records (on PostgreSQL a trigger refuses it). Archiving
is an export: ``manage.py export_audit --before DATE`` writes every record of the chain from
its first one up to the last one created before DATE, each with its ``prev_hash`` and
``hash``, after a header line. ``manage.py export_audit --verify FILE`` recomputes every hash
from the file alone and, while the database still holds the file's last record, checks that
the file ends on the live chain.

Each record's hash is SHA-256 over the UTF-8 JSON array
``[prev_hash, seq, created_at, actor, kind, object_ref, data]`` written with sorted keys, no
spaces and non-ASCII characters kept (``json.dumps(..., ensure_ascii=False, sort_keys=True,
separators=(",", ":"))``); the first record's ``prev_hash`` is 64 zeros. Any tool can check a
file with that rule.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.core.audit import GENESIS, ChainReport, _digest
from portal.core.models import AuditRecord

FORMAT = "huiqi-audit-export/1"
FIELDS = ("seq", "created_at", "actor", "kind", "object_ref", "object_id", "summary", "data")


@dataclass(frozen=True)
class ExportSummary:
    count: int
    first_seq: int | None
    last_seq: int | None
    last_hash: str
    archivable: bool  # every record is older than the retention period


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def audit_export(*, before: dt.date, out: TextIO, batch: int = 5000) -> ExportSummary:
    """Write the chain's records created before ``before`` (local midnight) to ``out``."""
    last = AuditRecord.objects.filter(created_at__lt=_start_of(before)).order_by("seq").last()
    # the chain's prefix up to ``last``: a record written with an earlier clock after a later
    # one is not left out of the middle
    prefix = AuditRecord.objects.filter(seq__lte=last.seq if last else 0).order_by("seq")
    first = prefix.first()
    retention = int(getattr(settings, "PORTAL_AUDIT_RETENTION_DAYS", 180))
    summary = ExportSummary(
        count=prefix.count(),
        first_seq=first.seq if first else None,
        last_seq=last.seq if last else None,
        last_hash=last.hash if last else GENESIS,
        archivable=before <= timezone.localdate() - dt.timedelta(days=retention),
    )
    header = {
        "format": FORMAT,
        "before": before.isoformat(),
        "exported_at": timezone.now().isoformat(),
        "retention_days": retention,
        **asdict(summary),
    }
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    for record in prefix.iterator(chunk_size=batch):
        line = {name: getattr(record, name) for name in FIELDS}
        line["created_at"] = record.created_at.isoformat()  # the exact string that was hashed
        line.update(prev_hash=record.prev_hash, hash=record.hash)
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return summary


def audit_verify_export(lines: Iterable[str]) -> ChainReport:
    """Recompute the chain of an exported file; the first broken link is reported."""
    lines = iter(lines)
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError):
        return ChainReport(0, "文件为空或首行不是导出说明")
    if header.get("format") != FORMAT:
        return ChainReport(0, f"不是审计导出文件（格式 {header.get('format')!r}）")
    checked, prev_hash, expected_seq = 0, None, header.get("first_seq")
    for number, text in enumerate(lines, start=2):
        try:
            row = json.loads(text)
            digest = _digest(
                row["prev_hash"], row["seq"], row["created_at"], row["actor"], row["kind"],
                row["object_ref"], row["data"],
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            return ChainReport(checked, f"第 {number} 行无法解析")
        if row["seq"] != expected_seq:
            return ChainReport(
                checked, f"第 {expected_seq} 条记录缺失（下一条为第 {row['seq']} 条）"
            )
        if prev_hash is not None and row["prev_hash"] != prev_hash:
            return ChainReport(checked, f"第 {row['seq']} 条记录的前序哈希不符：链条被改动")
        if prev_hash is None and row["seq"] == 1 and row["prev_hash"] != GENESIS:
            return ChainReport(checked, "第 1 条记录的前序哈希不是链首")
        if digest != row["hash"]:
            return ChainReport(checked, f"第 {row['seq']} 条记录的内容与哈希不符：记录被修改")
        prev_hash, expected_seq, checked = row["hash"], row["seq"] + 1, checked + 1
    if checked != header.get("count") or (checked and prev_hash != header.get("last_hash")):
        return ChainReport(
            checked, f"文件不完整：说明行记 {header.get('count')} 条，实有 {checked} 条"
        )
    live = AuditRecord.objects.filter(seq=header.get("last_seq")).first()
    if checked and live is not None and live.hash != prev_hash:
        return ChainReport(checked, "文件的最后一条与数据库中的审计链不一致")
    return ChainReport(checked)
