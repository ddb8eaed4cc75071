"""Department files in: validated row by row, all or nothing, idempotent by file hash.

Every figure is staged by credit code (``GovRecord``) so enterprises not yet registered can be
found for outreach; for registered enterprises the figures also become ``Indicator`` rows with
source ``imported`` and the department's name. Self-reported figures are separate rows and are
never touched.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises import permissions
from enterprises.models import Enterprise, EnterpriseEvent, Indicator, IndicatorSource
from portal.core import uploads
from portal.core.errors import DomainError, PermissionRefused
from portal.core.tasks import enqueue
from proactive import sources
from proactive.models import GovImport, GovImportJob, GovRecord

logger = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024
BATCH = 2000


@dataclass
class ImportReport:
    source: str
    file_name: str
    rows_read: int = 0
    rows_imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    unregistered: list[tuple[str, str]] = field(default_factory=list)  # (credit code, name)
    registered: int = 0
    already_imported: GovImport | None = None
    batch: GovImport | None = None


class GovImportRejected(DomainError):
    """Bad rows: nothing was imported; ``report.rejected`` lists (row number, reason)."""

    def __init__(self, report: ImportReport) -> None:
        summary = f"共有{len(report.rejected)}行有误，本次未导入任何数据。请按提示修改后重新上传。"
        errors = {"file": summary}
        errors.update({f"row_{row}": f"第{row}行：{reason}" for row, reason in report.rejected})
        super().__init__(summary, errors=errors)
        self.report = report


def _read(file) -> bytes:
    return uploads.read_limited(file, max_bytes=MAX_BYTES)


def gov_import(*, actor, source: str, file) -> ImportReport:
    """Import one department file. Raises ``GovImportRejected`` when any row is bad."""
    _check_actor(actor)
    spec = sources.source_for(source)
    content = _read(file)
    return _import(actor, spec, content, uploads.safe_name(getattr(file, "name", "")))


def _check_actor(actor) -> None:
    allowed, reason = permissions.can_import_department_data(actor)
    if not allowed:
        raise PermissionRefused(reason)


def _import(actor, spec, content: bytes, file_name: str, progress=None) -> ImportReport:
    digest = hashlib.sha256(content).hexdigest()
    report = ImportReport(source=spec.code, file_name=file_name)
    existing = GovImport.objects.filter(sha256=digest).first()
    if existing is not None:  # the same file again: nothing changes
        report.already_imported = existing
        report.rows_read, report.rows_imported = existing.rows_read, existing.rows_imported
        return report
    parsed = sources.parse_file(spec, content, file_name, progress=progress)
    report.rows_read, report.rejected = parsed.rows_read, parsed.rejected
    codes = sorted({r.credit_code for r in parsed.records} | set())
    registered = _registered(codes)
    names = {r.credit_code: r.name for r in parsed.records}
    report.unregistered = [(c, names[c]) for c in codes if c not in registered]
    report.registered = len(codes) - len(report.unregistered)
    if parsed.rejected:
        raise GovImportRejected(report)
    report.rows_imported = len({r.row for r in parsed.records})
    report.batch = _write(actor, spec, file_name, digest, parsed.records, registered, report)
    return report


def _registered(codes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(codes), BATCH):
        part = codes[start : start + BATCH]
        found.update(
            Enterprise.objects.filter(credit_code__in=part).values_list("credit_code", "pk")
        )
    return found


@transaction.atomic
def _write(actor, spec, file_name, digest, records, registered, report) -> GovImport:
    batch = GovImport.objects.create(
        source=spec.code,
        department=spec.department,
        file_name=file_name,
        sha256=digest,
        rows_read=report.rows_read,
        rows_imported=report.rows_imported,
        registered=report.registered,
        unregistered=len(report.unregistered),
        actor=actor,
    )
    GovRecord.objects.bulk_create(
        [
            GovRecord(
                batch=batch,
                source=spec.code,
                credit_code=r.credit_code,
                name=r.name,
                kind=r.kind,
                item=r.item,
                period=r.period,
                value=r.value,
            )
            for r in records
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["source", "credit_code", "item", "period"],
        update_fields=["batch", "name", "kind", "value"],
    )
    indicators = [
        Indicator(
            enterprise_id=registered[r.credit_code],
            name=r.item,
            period=r.period,
            value=r.value,
            source=IndicatorSource.IMPORTED,
            department=spec.department,
            updated_by=actor,
        )
        for r in records
        if r.kind == sources.FIGURE and r.credit_code in registered
    ]
    # Upsert on (enterprise, name, period, source): the department's newer figure replaces its
    # older one; the enterprise's self-reported row has another source and is never touched.
    Indicator.objects.bulk_create(
        indicators,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["enterprise", "name", "period", "source"],
        update_fields=["value", "department", "updated_by", "updated_at"],
    )
    batch.indicators_written = len(indicators)
    batch.save(update_fields=["indicators_written"])
    per_enterprise: dict[int, int] = {}
    for indicator in indicators:
        per_enterprise[indicator.enterprise_id] = per_enterprise.get(indicator.enterprise_id, 0) + 1
    EnterpriseEvent.objects.bulk_create(
        [
            EnterpriseEvent(
                enterprise_id=enterprise_id,
                actor=actor,
                type=EnterpriseEvent.Type.INDICATORS_IMPORTED,
                note=f"{spec.department}数据导入“{file_name}”，{count}项指标",
                data={"gov_import": batch.pk, "department": spec.department, "rows": count},
            )
            for enterprise_id, count in per_enterprise.items()
        ],
        batch_size=BATCH,
    )
    return batch


# --- large files: in the background, with progress ----------------------------------------

REPORT_ROWS = 500  # rows listed in a background job's report (the counts are complete)


def gov_import_in_background(file) -> bool:
    """Files above ``PROACTIVE_IMPORT_SYNC_BYTES`` (1 MB: some 15,000 rows) are imported by a
    task, so no web worker is held for the minute a 200,000-row file takes."""
    limit = getattr(settings, "PROACTIVE_IMPORT_SYNC_BYTES", 1024 * 1024)
    return (getattr(file, "size", 0) or 0) > limit


@transaction.atomic
def gov_import_start(*, actor, source: str, file) -> GovImportJob:
    """Keep the file and queue its import; the imports page shows the job's progress."""
    _check_actor(actor)
    spec = sources.source_for(source)
    content = _read(file)
    file_name = uploads.safe_name(getattr(file, "name", ""))
    job = GovImportJob(source=spec.code, file_name=file_name, size=len(content), actor=actor)
    job.file.save("import.xlsx" if content.startswith(uploads.ZIP_MAGIC) else "import.csv",
                  ContentFile(content), save=False)  # fmt: skip
    job.save()
    enqueue("proactive.tasks.run_gov_import", job.pk)
    return job


def _report_data(report: ImportReport, error: str = "") -> dict:
    return {
        "rows_read": report.rows_read,
        "rows_imported": report.rows_imported,
        "rejected_count": len(report.rejected),
        "rejected": [list(r) for r in report.rejected[:REPORT_ROWS]],
        "registered": report.registered,
        "unregistered_count": len(report.unregistered),
        "unregistered": [list(u) for u in report.unregistered[:REPORT_ROWS]],
        "already_imported": report.already_imported is not None,
        "error": error,
    }


def gov_import_job_run(*, job_id: int) -> GovImportJob | None:
    """Run a queued (or interrupted) job once; a finished one is left as it is."""
    with transaction.atomic():
        job = GovImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.in_progress:
            return job
        job.status = GovImportJob.Status.RUNNING
        job.save(update_fields=["status"])

    def progress(rows: int) -> None:
        GovImportJob.objects.filter(pk=job_id).update(rows_read=rows)

    status, batch = GovImportJob.Status.DONE, None
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
        spec = sources.source_for(job.source)
        report = _import(job.actor, spec, content, job.file_name, progress=progress)
        batch = report.batch or report.already_imported
        data = _report_data(report)
    except GovImportRejected as exc:
        status, data = GovImportJob.Status.REJECTED, _report_data(exc.report, exc.message)
    except DomainError as exc:
        status = GovImportJob.Status.REJECTED
        data = _report_data(ImportReport(source=job.source, file_name=job.file_name), exc.message)
    except Exception:
        logger.exception("department import job %s failed", job_id)
        status = GovImportJob.Status.FAILED
        message = "导入时发生系统错误，请稍后重新上传；如仍失败请联系管理员。"
        data = _report_data(ImportReport(source=job.source, file_name=job.file_name), message)
    job.status, job.report, job.batch = status, data, batch
    job.rows_read = data["rows_read"] or job.rows_read
    job.finished_at = timezone.now()
    job.file.delete(save=False)  # the rows are in the database now, or were refused
    job.save()
    return job
