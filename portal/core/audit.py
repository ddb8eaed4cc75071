"""The hash-chained audit log.

Every record stores the hash of the previous one; ``audit_verify()`` recomputes the chain and
reports the first edited, missing or reordered record. Appends are serialised by a lock on the
chain's end (``_chain_head``), so two writers can never fork the chain.

What is recorded: every row of the event tables named in ``settings.PORTAL_AUDITED_MODELS``,
every login, logout and failed login, and every re-authentication before a sensitive act
(``auth.reauth`` / ``auth.reauth_failed``, ``portal.accounts.reauth``). Event rows are copied after their transaction
commits (``audit_catch_up``), never inside it: the chain lock is then never held together with
a case's row lock (no deadlocks), and a copy missed by a crash is found by the next catch-up
(rows without a record), which ``verify_audit_chain`` also runs. On PostgreSQL those
tables and the audit table refuse UPDATE, DELETE and TRUNCATE (triggers installed after
migrations).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from portal.core.models import AuditRecord

GENESIS = "0" * 64


def _digest(
    prev_hash: str, seq: int, created_at: str, actor: str, kind: str, ref: str, data
) -> str:
    body = json.dumps(
        [prev_hash, seq, created_at, actor, kind, ref, data],
        cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _record_hash(record: AuditRecord) -> str:
    return _digest(
        record.prev_hash, record.seq, record.created_at.isoformat(), record.actor, record.kind,
        record.object_ref, record.data,
    )  # fmt: skip


@transaction.atomic
def audit_append(
    *, kind: str, actor: str = "", object_ref: str = "", object_id: int | None = None,
    summary: str = "", data=None,
) -> AuditRecord:  # fmt: skip
    """Append one record at the end of the chain."""
    last = _chain_head()
    return _append(last, kind=kind, actor=actor, object_ref=object_ref, object_id=object_id,
                   summary=summary, data=data)  # fmt: skip


def audit_download(request, *, what: str, object_ref: str = "", object_id=None, **data):
    """Record that the user downloaded ``what`` (a bank list, the audit log, ...), with the
    query that chose the rows; one call at the download view."""
    from portal.core.net import client_ip

    query = {key: request.GET.getlist(key) for key in request.GET if key != "format"}
    return audit_append(
        kind=f"export.{what}",
        actor=request.user.get_username(),
        object_ref=object_ref,
        object_id=object_id,
        data={"ip": client_ip(request), "path": request.path, "query": query, **data},
    )


CHAIN_LOCK = 0x417564_697443  # "AuditC": the PostgreSQL advisory lock of the chain's end


def _chain_head() -> AuditRecord | None:
    """The last record, read under the chain's lock: appends queue behind each other.

    PostgreSQL: a transaction-level advisory lock, taken before the head is read. Locking the
    head row itself (``SELECT ... FOR UPDATE``) is not enough: a writer that waited for it
    reads, once it gets it, the head its statement saw when it started, not the record the
    first writer just added, and collides on the next sequence number (found by the load
    test: logins failing with a duplicate ``seq``). SQLite: IMMEDIATE transactions already
    serialise writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        return AuditRecord.objects.order_by("-seq").first()
    return AuditRecord.objects.select_for_update().order_by("-seq").first()


def _append(last, *, kind, actor, object_ref, object_id, summary, data) -> AuditRecord:
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))  # what the JSON field stores
    record = AuditRecord(
        seq=(last.seq + 1) if last else 1,
        created_at=timezone.now(),
        actor=actor[:150],
        kind=kind[:60],
        object_ref=object_ref[:120],
        object_id=object_id,
        summary=summary[:300],
        data=data,
        prev_hash=last.hash if last else GENESIS,
    )
    record.hash = _record_hash(record)
    record.save(force_insert=True)
    return record


def _event_copy(instance) -> dict:
    actor = getattr(instance, "actor", None) or getattr(instance, "created_by", None)
    return {
        "kind": instance._meta.label_lower,
        "actor": str(getattr(actor, "username", "") or ""),
        "object_ref": f"{instance._meta.label}:{instance.pk}",
        "object_id": instance.pk,
        "summary": str(instance)[:300],
        "data": {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields},
    }


def audit_catch_up(model, *, limit: int = 2000) -> int:
    """Copy ``model``'s event rows that have no audit record yet, in id order; returns how many."""
    kind = model._meta.label_lower
    copied = AuditRecord.objects.filter(kind=kind, object_id__isnull=False).values("object_id")
    with transaction.atomic():
        last = _chain_head()
        missing = list(model.objects.exclude(pk__in=copied).order_by("pk")[:limit])
        for instance in missing:
            last = _append(last, **_event_copy(instance))
    return len(missing)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify(batch: int = 5000) -> ChainReport:
    """Walk the chain in order; the first broken link is reported, with its sequence number."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=batch):
        if record.seq != expected_seq:
            return ChainReport(
                checked, f"第 {expected_seq} 条记录缺失（下一条为第 {record.seq} 条）"
            )
        if record.prev_hash != prev_hash:
            return ChainReport(checked, f"第 {record.seq} 条记录的前序哈希不符：链条被改动")
        if _record_hash(record) != record.hash:
            return ChainReport(checked, f"第 {record.seq} 条记录的内容与哈希不符：记录被修改")
        prev_hash, expected_seq, checked = record.hash, expected_seq + 1, checked + 1
    return ChainReport(checked)


APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION portal_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: audit and event records are append-only', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def install_append_only_triggers(tables: list[str]) -> None:
    """PostgreSQL: refuse UPDATE, DELETE and TRUNCATE on ``tables`` (idempotent; run after
    migrations). TRUNCATE fires no row trigger, hence the statement-level one."""
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_SQL)
        for table in tables:
            if table not in existing:
                continue
            name = f"{table}_append_only"[:63]
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            cursor.execute(
                f'CREATE TRIGGER "{name}" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change()"
            )
            name = f"{table}_no_truncate"[:63]
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            cursor.execute(
                f'CREATE TRIGGER "{name}" BEFORE TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change()"
            )
