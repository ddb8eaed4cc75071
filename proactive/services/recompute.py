"""Nightly: proposals (待确认) whose enterprise's figures changed after they were made are
computed again through the same engine, so the enterprise never confirms a stale amount.

A proposal is due when one of its enterprise's indicators was written after the proposal last
changed (``updated_at``). Recomputing it gives one of three outcomes, each recorded on the case:
the same figures (only ``updated_at`` moves, so the next night skips it), new figures or a new
amount (a new ``Calculation``, an event ``recomputed`` with both amounts, a message to the
enterprise), or no award any more (the proposal is withdrawn through the workflow, action
``expire``, as the system user, with the reason). Repeatable: a second pass finds nothing due.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from applications.models import Application
from applications.services import (
    application_event_record,
    application_transition,
    notification_send,
)
from applications.workflow import Action, Status
from enterprises.models import Indicator
from policies.models import Calculation
from policies.services import facts_jsonable
from portal.accounts.system import system_user
from portal.core.money import from_fen, to_fen
from proactive.facts import facts_for_enterprises, profiles
from proactive.services.matching import ClauseEvaluator

RECOMPUTED = "recomputed"  # event action: not a transition
BATCH = 500


@dataclass
class RecomputeReport:
    due: int = 0
    unchanged: int = 0
    changed: int = 0
    withdrawn: int = 0


def proposals_due_for_recompute() -> list[int]:
    """Ids of proposals whose enterprise has a figure newer than the proposal."""
    newest = (
        Indicator.objects.filter(enterprise_id=OuterRef("enterprise_id"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return list(
        Application.objects.filter(status=Status.PROPOSED)
        .annotate(newest=Subquery(newest))
        .filter(newest__gt=F("updated_at"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def proposals_recompute() -> RecomputeReport:
    """Recompute every due proposal, ``BATCH`` at a time (one transaction each)."""
    ids = proposals_due_for_recompute()
    report = RecomputeReport(due=len(ids))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            _recompute_batch(ids[start : start + BATCH], report)
    return report


def _recompute_batch(ids: list[int], report: RecomputeReport) -> None:
    cases = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status=Status.PROPOSED)  # answered meanwhile: left alone
        .select_related("clause")
        .order_by("pk")
    )
    by_year: dict[int, list[Application]] = {}
    for case in cases:
        by_year.setdefault(int(case.period[:4]), []).append(case)
    for year, group in by_year.items():
        evaluator = ClauseEvaluator(sorted({c.clause for c in group}, key=lambda c: c.pk), year)
        plan = {entry[0].pk: entry for entry in evaluator.plan}
        facts_by_id = facts_for_enterprises(profiles([c.enterprise_id for c in group]), year=year)
        for case in group:
            clause, required, meta, validated = plan[case.clause_id]
            facts = facts_by_id.get(case.enterprise_id, {})
            result = evaluator.evaluate(required, meta, validated, facts)
            if result is None or not result.eligible or result.amount <= 0:
                _withdraw(case, result)
                report.withdrawn += 1
                continue
            stored = facts_jsonable(evaluator.clause_facts(clause, facts))
            amount_fen = to_fen(result.amount)
            if stored == case.facts and amount_fen == case.estimated_amount_fen:
                case.save(update_fields=["updated_at"])
                report.unchanged += 1
                continue
            _update(case, evaluator, stored, result, amount_fen)
            report.changed += 1


def _update(case: Application, evaluator: ClauseEvaluator, facts: dict, result, fen: int) -> None:
    calculation = Calculation.objects.create(
        clause=case.clause,
        rule_version=evaluator.versions[case.clause_id],
        engine_version=evaluator.meta[case.clause_id].version,
        facts=facts,
        result=result.to_dict(),
        eligible=True,
        amount_fen=fen,
        source=Calculation.Source.PROACTIVE,
    )
    before = case.estimated_amount_fen
    case.facts, case.calculation, case.estimated_amount_fen = facts, calculation, fen
    case.save(update_fields=["facts", "calculation", "estimated_amount_fen", "updated_at"])
    comment = f"部门数据更新，重新测算：{from_fen(before):,.2f} 元 → {from_fen(fen):,.2f} 元。"
    application_event_record(
        application=case,
        user=system_user(),
        action=RECOMPUTED,
        label="数据更新后重新测算",
        comment=comment,
        data={"from_amount_fen": before, "to_amount_fen": fen, "calculation": calculation.pk},
        visible_to_enterprise=True,
    )
    users = [m.user for m in case.enterprise.members.select_related("user")]
    notification_send(
        users=users,
        application=case,
        title="免申即享：测算金额已按最新数据更新",
        body=f"您单位待确认的“{case.clause.title}”（{case.period}）{comment}请核对后确认。",
    )


def _withdraw(case: Application, result) -> None:
    reason = "；".join(result.reasons) if result is not None and result.reasons else ""
    comment = "根据更新后的数据重新测算，已不再符合条件" + (f"：{reason}" if reason else "。")
    application_transition(
        application=case,
        user=system_user(),
        action=Action.EXPIRE,
        comment=comment,
        data={"recomputed_at": timezone.now().isoformat(timespec="seconds")},
        system=True,
    )  # the case is locked and still 待确认 (the batch's filter): the move is in the table
