"""Writes of the policy library: calculations (through the one engine) and rule versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.db.models import Max

from policies import engine
from policies.definitions import clause_for_version
from policies.models import ApplicationBatch, Calculation, Clause, ClauseRuleVersion
from policies.rules import params_to_json, rule_version_on, rule_versions_on
from portal.core.audit import audit_append
from portal.core.errors import DomainError
from portal.core.money import to_fen


@dataclass(frozen=True)
class Calculated:
    result: engine.AwardResult
    version: ClauseRuleVersion | None
    calculation: Calculation | None


def award_calculate(
    *,
    code: str,
    facts: Mapping[str, object],
    source: str | None = None,
    user=None,
    on: dt.date | None = None,
) -> Calculated:
    """Compute ``code`` for ``facts`` with the rule version in force ``on`` (today).

    With ``source`` set, the calculation (facts, result, rule version) is stored. Raises
    ``engine.EngineError`` for an unknown clause or bad facts. Without a loaded library (a
    fresh checkout, the CLI before ``migrate``) the engine's defaults are used: the numbers of
    the policy text.
    """
    clause_meta = engine.get_clause(code)  # UnknownClause before touching the database
    clause = version = None
    try:
        clause = Clause.objects.filter(code=code).first()
        version = rule_version_on(clause, on) if clause else None
    except DatabaseError:  # no tables yet: calculate from the text's own numbers
        clause = version = None
    if version is not None and version.definition:
        clause_meta = clause_for_version(version)  # the definition of the version in force
    result = clause_meta.calculate(facts, version.params if version else None)
    calculation = None
    if source and clause and version:
        calculation = Calculation.objects.create(
            clause=clause,
            rule_version=version,
            engine_version=clause_meta.version,
            facts=_jsonable(facts, clause_meta),
            result=result.to_dict(),
            eligible=result.eligible,
            amount_fen=to_fen(result.amount),
            source=source,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    return Calculated(result=result, version=version, calculation=calculation)


def facts_jsonable(facts: Mapping[str, object]) -> dict:
    """Facts as stored in a JSON field: numbers that are not whole (Decimal, float) and anything
    else JSON cannot hold become their text, so no float creeps in; the rest stays as given."""
    return {
        k: (v if v is None or isinstance(v, bool | int | str | list | dict) else str(v))
        for k, v in facts.items()
    }


def _jsonable(facts: Mapping[str, object], clause_meta: engine.Clause) -> dict:
    """Keep only the clause's facts, as given (strings stay strings: no float creeps in)."""
    names = {f.name for f in clause_meta.facts}
    return facts_jsonable({k: v for k, v in facts.items() if k in names})


@dataclass(frozen=True)
class Estimate:
    """One clause estimated for one enterprise's facts (nothing stored)."""

    clause: Clause
    result: engine.AwardResult | None = None
    missing: tuple[str, ...] = ()  # labels of required facts not known
    invalid: tuple[str, ...] = ()  # messages for facts the engine refused
    error: engine.EngineError | None = None  # the refusal itself (a form shows it by field)

    @property
    def eligible(self) -> bool:
        return self.result is not None and self.result.eligible


def awards_estimate(
    *,
    facts: Mapping[str, object],
    clauses: list[Clause],
    on: dt.date | None = None,
    source: str | None = None,
    user=None,
) -> list[Estimate]:
    """Estimate many clauses at once with the versions in force ``on``: one query in all.

    With ``source`` (the calculator page) each clause computed is stored as a ``Calculation``
    (facts, result, rule version, as ``award_calculate`` stores one), all in one insert."""
    versions = rule_versions_on([c.pk for c in clauses], on)
    estimates, computed = [], []
    for clause in clauses:
        version = versions.get(clause.pk)
        meta = (
            clause_for_version(version)
            if version is not None and version.definition
            else engine.get_clause(clause.code)
        )
        missing = tuple(s.label for s in meta.facts if s.required and facts.get(s.name) is None)
        if missing:
            estimates.append(Estimate(clause, missing=missing))
            continue
        try:
            result = meta.calculate(facts, version.params if version else None)
        except engine.EngineError as exc:
            estimates.append(Estimate(clause, invalid=tuple(exc.errors.values()), error=exc))
            continue
        estimates.append(Estimate(clause, result=result))
        if source and version is not None:
            computed.append(Calculation(
                clause=clause, rule_version=version, engine_version=meta.version,
                facts=_jsonable(facts, meta), result=result.to_dict(), eligible=result.eligible,
                amount_fen=to_fen(result.amount), source=source,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            ))  # fmt: skip
    if computed:
        Calculation.objects.bulk_create(computed)
    return estimates


@dataclass(frozen=True)
class ImpactRow:
    label: str
    facts: dict
    old_amount: Decimal
    new_amount: Decimal
    old_eligible: bool
    new_eligible: bool

    @property
    def delta(self) -> Decimal:
        return self.new_amount - self.old_amount


def clause_rule_impact(
    *, clause: Clause, params: Mapping[str, object], cases: list[tuple[str, dict]]
) -> list[ImpactRow]:
    """How the amounts of ``cases`` (label, facts) change from the current rule to ``params``."""
    meta = engine.get_clause(clause.code)
    current = rule_version_on(clause)
    new_params = params_to_json(meta, params)
    rows = []
    for label, facts in cases:
        try:
            old = meta.calculate(facts, current.params if current else None)
            new = meta.calculate(facts, new_params)
        except engine.EngineError:
            continue  # a stored case whose facts this clause no longer accepts: nothing to compare
        rows.append(ImpactRow(label, facts, old.amount, new.amount, old.eligible, new.eligible))
    return rows


@transaction.atomic
def clause_rule_publish(
    *,
    clause: Clause,
    params: Mapping[str, object],
    effective_from: dt.date,
    actor,
    note: str,
) -> ClauseRuleVersion:
    """A new rule version; earlier calculations keep pointing at the version they used."""
    if not note.strip():
        raise DomainError(
            "请填写修改说明。", errors={"note": "请填写修改说明（修改依据、文号等）。"}
        )
    meta = engine.get_clause(clause.code)
    try:
        values = params_to_json(meta, params)
    except engine.ParamError as exc:
        raise DomainError(exc.message, errors=exc.errors) from exc
    Clause.objects.select_for_update().get(pk=clause.pk)  # one publisher at a time per clause
    current = rule_version_on(clause, effective_from)
    if current and current.params == values:
        raise DomainError("参数没有变化，无需发布新版本。", errors={"params": "参数没有变化。"})
    number = (clause.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ClauseRuleVersion.objects.create(
        clause=clause,
        number=number,
        params=values,
        effective_from=effective_from,
        note=note.strip(),
        created_by=actor,
    )


BATCH_FIELDS = ("opens_on", "closes_on", "is_demo", "note")


@transaction.atomic
def application_batch_open(
    *,
    clause: Clause,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date | None,
    actor=None,
    is_demo: bool = False,
    note: str = "",
) -> ApplicationBatch:
    """Open (or move) the 申报批次 ``name`` of ``clause``: the dates people apply in from now on,
    beside the text's 原申报时间, which never moves. Audited when anything changes."""
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写批次名称。", errors={"name": "请填写批次名称。"})
    if closes_on is not None and closes_on < opens_on:
        message = "申报批次的截止日期不能早于开始日期。"
        raise DomainError(message, errors={"closes_on": message})
    values = {"opens_on": opens_on, "closes_on": closes_on, "is_demo": is_demo, "note": note}
    batch = ApplicationBatch.objects.select_for_update().filter(clause=clause, name=name).first()
    if batch is not None and all(getattr(batch, f) == values[f] for f in BATCH_FIELDS):
        return batch  # nothing changed: nothing to record
    if batch is None:
        batch = ApplicationBatch.objects.create(clause=clause, name=name, **values)
    else:
        ApplicationBatch.objects.filter(pk=batch.pk).update(**values)
        batch.refresh_from_db()
    application_batch_audit(batch=batch, actor=actor)
    return batch


def application_batch_audit(
    *, batch: ApplicationBatch, actor=None, removed: bool = False, pk: int | None = None
) -> None:
    """One audit record for a batch opened, changed or removed (by the service or the admin)."""
    username = getattr(actor, "username", "") or ("演示数据载入" if batch.is_demo else "系统")
    pk = pk or batch.pk
    dates = f"{batch.opens_on} 至 {batch.closes_on or '长期'}"
    record = {
        "kind": "policies.application_batch_removed" if removed else "policies.application_batch",
        "actor": username,
        "object_ref": f"policies.ApplicationBatch:{pk}",
        "object_id": pk,
        "summary": f"{'删除' if removed else '开设/调整'}申报批次 {batch.clause.code} {batch.name}：{dates}",
        "data": {"clause": batch.clause.code, "name": batch.name}
        | {f: getattr(batch, f) for f in BATCH_FIELDS},
    }
    transaction.on_commit(lambda: audit_append(**record), robust=True)
