"""Writes to the indicator data: one figure at a time, or a whole workbook (all or nothing).

A figure's ``source`` is ``self_reported`` when the enterprise enters it and ``imported``
(with the department's name) when a policy/system administrator loads government data; the
two are separate rows and never overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from enterprises import excel, permissions
from enterprises.catalogue import (
    IndicatorInputError,
    IndicatorSpec,
    Period,
    future_period_problem,
    implausible_value_problem,
    parse_period_for,
    parse_value,
    spec_for,
    value_as_text,
)
from enterprises.models import (
    Enterprise,
    EnterpriseEvent,
    Indicator,
    IndicatorImport,
    IndicatorSource,
)
from enterprises.services.common import lock, record_event
from portal.accounts.models import User
from portal.core import uploads
from portal.core.errors import DomainError, PermissionRefused

Event = EnterpriseEvent.Type
MAX_CHANGES_IN_EVENT = 200


class IndicatorImportError(DomainError):
    """A workbook with bad rows: ``row_errors`` lists (row number, reason); nothing was imported."""

    def __init__(self, row_errors: list[tuple[int, str]]) -> None:
        summary = f"共有{len(row_errors)}行有误，本次未导入任何数据。请按提示修改后重新上传。"
        errors = {"file": summary}
        errors.update({f"row_{row}": f"第{row}行：{reason}" for row, reason in row_errors})
        super().__init__(summary, errors=errors)
        self.row_errors = row_errors


def _source_for(actor: User, enterprise: Enterprise, department: str) -> str:
    """Self-reported for the enterprise's own users; imported (named department) for admins."""
    department = (department or "").strip()
    if department:
        allowed, reason = permissions.can_import_department_data(actor)
        if not allowed:
            raise PermissionRefused(reason)
        return IndicatorSource.IMPORTED
    allowed, reason = permissions.can_report_indicators(actor, enterprise)
    if not allowed:
        raise PermissionRefused(reason)
    return IndicatorSource.SELF_REPORTED


@dataclass(frozen=True)
class _Parsed:
    spec: IndicatorSpec
    period: Period
    value: int


def _parse(name: object, period: object, value: object) -> tuple[_Parsed | None, dict[str, str]]:
    errors: dict[str, str] = {}
    spec = parsed_period = stored = None
    try:
        spec = spec_for(name)
    except IndicatorInputError as exc:
        errors["name"] = str(exc)
    if spec is not None:
        try:
            parsed_period = parse_period_for(spec, period)
        except IndicatorInputError as exc:
            errors["period"] = str(exc)
        try:
            stored = parse_value(spec, value)
        except IndicatorInputError as exc:
            errors["value"] = str(exc)
    if parsed_period is not None:  # figures no enterprise can have, like negative ones
        problem = future_period_problem(spec, parsed_period, timezone.localdate())
        if problem:
            errors["period"] = problem
        if stored is not None:
            problem = implausible_value_problem(spec, parsed_period, stored)
            if problem:
                errors["value"] = problem
    if errors:
        return None, errors
    return _Parsed(spec, parsed_period, stored), {}


@transaction.atomic
def indicator_set(
    *,
    enterprise: Enterprise,
    actor: User,
    name: str,
    period: object,
    value: object,
    department: str = "",
) -> Indicator:
    """Create or change one figure. ``department`` given = a department's figure (admins only)."""
    source = _source_for(actor, enterprise, department)
    parsed, errors = _parse(name, period, value)
    if errors:
        raise DomainError("指标填写有误，请按提示修改。", errors=errors)
    lock(enterprise)  # serialises writers of this enterprise's indicators
    key = {"enterprise": enterprise, "name": parsed.spec.name, "period": str(parsed.period)}
    indicator = Indicator.objects.filter(**key, source=source).first()
    before = value_as_text(parsed.spec, indicator.value) if indicator else None
    if indicator is None:
        try:
            with transaction.atomic():
                indicator = Indicator.objects.create(
                    **key,
                    source=source,
                    department=department.strip(),
                    value=parsed.value,
                    updated_by=actor,
                )
        except IntegrityError as exc:  # unique (enterprise, name, period, source)
            message = "该指标在该期间已有数值，请刷新页面后修改。"
            raise DomainError(message, errors={"period": message}) from exc
    elif indicator.value == parsed.value and indicator.department == department.strip():
        return indicator
    else:
        indicator.value, indicator.updated_by = parsed.value, actor
        indicator.department, indicator.import_batch = department.strip(), None
        indicator.save(
            update_fields=["value", "updated_by", "department", "import_batch", "updated_at"]
        )
    after = value_as_text(parsed.spec, parsed.value)
    record_event(
        enterprise,
        actor,
        Event.INDICATOR_SET,
        note=f"{parsed.spec.label} {parsed.period.label}：{before or '（无）'} → {after}",
        data={
            "name": parsed.spec.name,
            "period": str(parsed.period),
            "source": source,
            "department": department.strip(),
            "from": before,
            "to": after,
        },
    )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor: User) -> None:
    """Remove a figure entered by mistake (the event keeps what it was)."""
    enterprise = indicator.enterprise
    if indicator.source == IndicatorSource.IMPORTED:
        allowed, reason = permissions.can_import_department_data(actor)
    else:
        allowed, reason = permissions.can_report_indicators(actor, enterprise)
    if not allowed:
        raise PermissionRefused(reason)
    lock(enterprise)
    spec = indicator.spec
    record_event(
        enterprise,
        actor,
        Event.INDICATOR_DELETED,
        note=f"删除 {spec.label} {indicator.period}（{indicator.source_label}）",
        data={
            "name": indicator.name,
            "period": indicator.period,
            "source": indicator.source,
            "department": indicator.department,
            "value": value_as_text(spec, indicator.value),
        },
    )
    indicator.delete()


def _parse_rows(rows: list[excel.SheetRow]) -> tuple[list[_Parsed], list[tuple[int, str]]]:
    parsed_rows: list[_Parsed] = []
    problems: list[tuple[int, str]] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in rows:
        parsed, errors = _parse(row.name, row.period, row.value)
        if errors:
            problems.append((row.number, "".join(errors.values())))  # each ends with "。"
            continue
        key = (parsed.spec.name, str(parsed.period))
        if key in first_row:
            problems.append(
                (row.number, f"与第{first_row[key]}行重复（{parsed.spec.label} {parsed.period}）。")
            )
            continue
        first_row[key] = row.number
        parsed_rows.append(parsed)
    return parsed_rows, problems


@transaction.atomic
def indicators_import_excel(
    *, enterprise: Enterprise, actor: User, file, department: str = ""
) -> IndicatorImport:
    """Import a filled-in template. Any bad row: nothing is imported, every bad row is reported.

    Raises ``DomainError`` (key ``file``) for a file that is not a usable .xlsx and
    ``IndicatorImportError`` (``row_errors``) for bad rows.
    """
    source = _source_for(actor, enterprise, department)
    rows = excel.read_indicator_rows(file)
    parsed_rows, problems = _parse_rows(rows)
    if problems:
        raise IndicatorImportError(problems)
    lock(enterprise)
    batch = IndicatorImport.objects.create(
        enterprise=enterprise,
        actor=actor,
        file_name=uploads.safe_name(getattr(file, "name", ""), kind=uploads.XLSX),
        source=source,
        department=department.strip(),
        rows_count=len(parsed_rows),
    )
    existing = {
        (i.name, i.period): i
        for i in Indicator.objects.filter(enterprise=enterprise, source=source)
    }
    new, changed, changes = [], [], []
    now = timezone.now()
    for parsed in parsed_rows:
        key = (parsed.spec.name, str(parsed.period))
        current = existing.get(key)
        if current is None:
            new.append(
                Indicator(
                    enterprise=enterprise,
                    name=key[0],
                    period=key[1],
                    value=parsed.value,
                    source=source,
                    department=department.strip(),
                    import_batch=batch,
                    updated_by=actor,
                )
            )
            before = None
        else:
            before = value_as_text(parsed.spec, current.value)
            current.value, current.import_batch, current.updated_by = parsed.value, batch, actor
            current.updated_at = now
            changed.append(current)
        after = value_as_text(parsed.spec, parsed.value)
        if before != after:
            changes.append({"name": key[0], "period": key[1], "from": before, "to": after})
    Indicator.objects.bulk_create(new)
    Indicator.objects.bulk_update(changed, ["value", "import_batch", "updated_by", "updated_at"])
    record_event(
        enterprise,
        actor,
        Event.INDICATORS_IMPORTED,
        note=f"导入“{batch.file_name}”，共{len(parsed_rows)}行（新增{len(new)}行，更新{len(changed)}行）",
        data={
            "batch": batch.pk,
            "file": batch.file_name,
            "source": source,
            "department": batch.department,
            "rows": len(parsed_rows),
            "created": len(new),
            "updated": len(changed),
            "changes": changes[:MAX_CHANGES_IN_EVENT],
        },
    )
    return batch
