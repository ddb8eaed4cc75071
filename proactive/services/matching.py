"""Matching runs: every enterprise with data × every chosen 免申即享 clause, through the engine.

``match_run_start`` records the run and enqueues the coordinator; ``match_run_plan`` (the
coordinator) splits the enterprises into ``MatchChunk`` rows once and returns the unfinished
ones; ``match_chunk_process`` handles one chunk in one transaction that also marks it done, under
a row lock, so a duplicate delivery waits and then finds it done, and a killed worker's
transaction is rolled back whole. Proposals are bulk-inserted with ``ignore_conflicts`` against
the one-live-case constraint; enterprise × clause pairs that already have a case (in any status,
declined or expired included) are skipped before anything is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from applications.bulk import Proposal, application_propose_bulk
from applications.models import Application, award_period_of
from enterprises import permissions
from enterprises.models import Enterprise, Indicator
from policies import engine
from policies.engine import periods
from policies.models import Calculation, Clause
from policies.rules import rule_versions_on
from policies.services import facts_jsonable
from portal.core.errors import DomainError, PermissionRefused
from portal.core.money import to_fen
from portal.core.tasks import enqueue
from proactive import workflow
from proactive.facts import Profile, facts_for_codes, facts_for_enterprises, profiles
from proactive.models import GovRecord, MatchChunk, MatchRun, OutreachCandidate

PERIOD_RE = periods.PERIOD_RE  # ASCII digits: full-width ones are normalised first
DEFAULT_CHUNK = 1000


@transaction.atomic
def match_run_start(
    *, actor, clause_ids: list[int], period: str, chunk_size: int = DEFAULT_CHUNK, queue=None
) -> MatchRun:
    """Record a run and enqueue its coordinator after commit."""
    allowed, reason = permissions.can_import_department_data(actor)
    if not allowed:
        raise PermissionRefused(reason.replace("导入政府部门提供的数据", "发起免申即享比对"))
    period = periods.normalise_text(period).upper().replace(" ", "")
    if not PERIOD_RE.match(period):
        message = "兑现期格式应为年度（如 2023）、季度（如 2023Q1）或半年（如 2023H1）。"
        raise DomainError(message, errors={"period": message})
    clauses = list(Clause.objects.filter(pk__in=clause_ids))
    if not clauses:
        raise DomainError("请至少选择一个条款。", errors={"clauses": "请至少选择一个条款。"})
    wrong = [c for c in clauses if c.redemption_mode != Clause.Redemption.PROACTIVE]
    if wrong:
        message = f"“{wrong[0]}”不是免申即享条款。"
        raise DomainError(message, errors={"clauses": message})
    run = MatchRun.objects.create(period=period, created_by=actor, chunk_size=chunk_size)
    run.clauses.set(clauses)
    from proactive.tasks import start_match_run

    if queue:
        transaction.on_commit(lambda: start_match_run.apply_async(args=[run.pk], queue=queue))
    else:
        enqueue(start_match_run, run.pk)
    return run


def match_run_resume(*, run: MatchRun, actor) -> int:
    """Re-enqueue the coordinator, which re-enqueues the unfinished chunks; how many remain."""
    allowed, reason = permissions.can_import_department_data(actor)
    if not allowed:
        raise PermissionRefused(reason)
    pending = run.chunks.filter(status=MatchChunk.Status.PENDING).count()
    if run.status == MatchRun.Status.DONE:
        raise DomainError("该比对已完成，无需继续。")
    from proactive.tasks import start_match_run

    with transaction.atomic():
        enqueue(start_match_run, run.pk)
    return pending


def _split(keys: list, size: int) -> list[list]:
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def match_run_plan(*, run_id: int) -> list[int]:
    """Create the run's chunks once; return the ids of the chunks not done yet."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == MatchRun.Status.DONE:
            return []
        move = workflow.run_move(run.status, "plan")
        if move is not None:
            _create_chunks(run, move)
    return list(
        MatchChunk.objects.filter(run_id=run_id, status=MatchChunk.Status.PENDING)
        .order_by("number")
        .values_list("pk", flat=True)
    )


def _create_chunks(run: MatchRun, move: workflow.Move) -> None:
    verified = dict(
        Enterprise.objects.filter(verification_status=Enterprise.Status.VERIFIED).values_list(
            "pk", "credit_code"
        )
    )
    with_figures = set(Indicator.objects.values_list("enterprise_id", flat=True).distinct())
    staged_codes = set(GovRecord.objects.values_list("credit_code", flat=True).distinct())
    ids = sorted(pk for pk, code in verified.items() if pk in with_figures or code in staged_codes)
    known = set(Enterprise.objects.values_list("credit_code", flat=True))
    outreach = sorted(staged_codes - known)
    chunks = [
        MatchChunk(run=run, number=n, kind=MatchChunk.Kind.REGISTERED, keys=keys)
        for n, keys in enumerate(_split(ids, run.chunk_size), start=1)
    ]
    chunks += [
        MatchChunk(run=run, number=len(chunks) + n, kind=MatchChunk.Kind.OUTREACH, keys=keys)
        for n, keys in enumerate(_split(outreach, run.chunk_size), start=1)
    ]
    MatchChunk.objects.bulk_create(chunks, batch_size=500, ignore_conflicts=True)
    run.status, run.started_at = move.target, timezone.now()
    run.chunks_total, run.enterprises_total = len(chunks), len(ids) + len(outreach)
    run.save(update_fields=["status", "started_at", "chunks_total", "enterprises_total"])
    workflow.run_moved(run.pk, move, chunks=len(chunks), enterprises=run.enterprises_total)


def match_run_finish(*, run_id: int) -> bool:
    """Mark the run done when no chunk is pending (a conditional UPDATE: safe to repeat)."""
    if MatchChunk.objects.filter(run_id=run_id, status=MatchChunk.Status.PENDING).exists():
        return False
    move = workflow.RUN_MOVES["finish"]
    with transaction.atomic():
        done = MatchRun.objects.filter(pk=run_id, status=move.source).update(
            status=move.target, finished_at=timezone.now()
        )
        if done:
            workflow.run_moved(run_id, move)
    return bool(done)


# --- one chunk ------------------------------------------------------------------------


@dataclass
class ClauseEvaluator:
    """A chunk's clauses, prepared once: engine clause, rule version, params validated once.

    ``evaluate`` is ``calculate(code, facts, params=version.params)`` to the letter (the engine's
    ``Clause.evaluate`` with the same validated params), without re-validating the params of
    every enterprise × clause pair.
    """

    clauses: list[Clause]
    year: int
    versions: dict = field(default_factory=dict)
    evaluated: int = 0

    def __post_init__(self) -> None:
        self.versions = rule_versions_on([c.pk for c in self.clauses])
        self.meta = {c.pk: engine.get_clause(c.code) for c in self.clauses}
        self.names = {c.pk: {s.name for s in self.meta[c.pk].facts} for c in self.clauses}
        # (clause, required fact names, engine clause, validated params or None when invalid)
        self.plan = []
        for c in self.clauses:
            meta, version = self.meta[c.pk], self.versions.get(c.pk)
            try:
                validated = meta.validate_params(version.params if version else None)
            except engine.EngineError:
                validated = None  # calculate() would raise for every enterprise: nothing to propose
            required = tuple(s.name for s in meta.facts if s.required)
            self.plan.append((c, required, meta, validated))

    def evaluate(self, required, meta, validated, facts: dict):
        """The engine's result, or None when data is missing or refused (nothing to propose).

        Takes one entry of ``plan``; the required facts are checked before the engine parses
        anything, as most enterprises lack some clause's data."""
        for name in required:
            if facts.get(name) is None:
                return None
        self.evaluated += 1
        if validated is None:
            return None
        try:
            return meta.evaluate(facts, validated)
        except engine.EngineError:
            return None

    def clause_facts(self, clause: Clause, facts: dict) -> dict:
        names = self.names[clause.pk]
        return {k: v for k, v in facts.items() if k in names}


def match_chunk_process(*, chunk_id: int) -> MatchChunk | None:
    """Process one chunk exactly once; a second call (or a duplicate delivery) changes nothing."""
    with transaction.atomic():
        # of=self: the chunk's ordering joins the run, and FOR UPDATE would lock the run's row
        # too, so that the chunks of one run (on all workers) ran one after the other.
        chunk = MatchChunk.objects.select_for_update(of=("self",)).filter(pk=chunk_id).first()
        move = workflow.chunk_move(chunk.status, "process") if chunk is not None else None
        if chunk is None or move is None:
            return chunk
        run = MatchRun.objects.get(pk=chunk.run_id)
        evaluator = ClauseEvaluator(list(run.clauses.order_by("pk")), int(run.period[:4]))
        if chunk.kind == MatchChunk.Kind.REGISTERED:
            _propose(chunk, run, evaluator)
        else:
            _outreach(chunk, run, evaluator)
        chunk.status, chunk.finished_at = move.target, timezone.now()
        chunk.attempts += 1
        chunk.evaluated = evaluator.evaluated
        chunk.save(update_fields=CHUNK_RESULT_FIELDS)  # not the keys: written once
    return chunk


def match_chunk_record_failure(*, chunk_id: int, error: str) -> None:
    """Keep a failed attempt on its chunk (the run page lists it); the task is then retried or
    resumed. The chunk's own transaction was rolled back whole, so nothing else is left."""
    with transaction.atomic():
        chunk = MatchChunk.objects.select_for_update(of=("self",)).filter(pk=chunk_id).first()
        if chunk is None or chunk.status == MatchChunk.Status.DONE:
            return
        chunk.attempts += 1
        entry = {"at": timezone.now().isoformat(timespec="seconds"), "error": error[:500]}
        chunk.errors = [*chunk.errors, entry][-10:]
        chunk.save(update_fields=["attempts", "errors"])


CHUNK_RESULT_FIELDS = (
    "status",
    "finished_at",
    "attempts",
    "evaluated",
    "skipped",
    "proposed",
    "outreach",
    "amount_fen",
)


def _propose(chunk: MatchChunk, run: MatchRun, evaluator: ClauseEvaluator) -> None:
    today = timezone.localdate()
    enterprises = [p for p in profiles(chunk.keys) if not p.credit_blocked_on(today)]
    clause_ids = [c.pk for c in evaluator.clauses]
    keys = {c.pk: award_period_of(c.code, run.period).key for c in evaluator.clauses}
    existing = {
        (enterprise_id, clause_id)
        for enterprise_id, clause_id, key in Application.objects.filter(
            enterprise_id__in=chunk.keys, clause_id__in=clause_ids, award_key__in=keys.values()
        ).values_list("enterprise_id", "clause_id", "award_key")
        if keys.get(clause_id) == key
    }
    facts_by_id = facts_for_enterprises(enterprises, year=evaluator.year)
    evaluate, plan = evaluator.evaluate, evaluator.plan
    candidates: list[tuple[Profile, Clause, dict, engine.AwardResult]] = []
    skipped = 0
    for enterprise in enterprises:
        pk = enterprise.pk
        facts = facts_by_id[pk]
        for clause, required, meta, validated in plan:
            if existing and (pk, clause.pk) in existing:
                skipped += 1
                continue
            result = evaluate(required, meta, validated, facts)
            if result is not None and result.eligible and result.amount > 0:
                candidates.append(
                    (enterprise, clause, evaluator.clause_facts(clause, facts), result)
                )
    chunk.skipped += skipped
    if candidates:
        _write_proposals(chunk, run, evaluator, candidates)


def _write_proposals(chunk, run, evaluator, candidates) -> None:
    calculations = Calculation.objects.bulk_create(
        [
            Calculation(
                clause=clause,
                rule_version=evaluator.versions[clause.pk],
                engine_version=evaluator.meta[clause.pk].version,
                facts=facts_jsonable(facts),
                result=result.to_dict(),
                eligible=True,
                amount_fen=to_fen(result.amount),
                source=Calculation.Source.PROACTIVE,
                created_by=run.created_by,
            )
            for _, clause, facts, result in candidates
        ],
        batch_size=1000,
    )
    created = application_propose_bulk(  # the case file writes the cases, events and messages
        proposals=[
            Proposal(
                enterprise_id=enterprise.pk,
                district_id=enterprise.district_id,
                clause=clause,
                award=award_period_of(clause.code, run.period),
                facts=facts_jsonable(facts),
                calculation=calculation,
            )
            for (enterprise, clause, facts, _), calculation in zip(
                candidates, calculations, strict=True
            )
        ],
        actor=run.created_by,
        period_label=run.period,
        data={"run": run.pk, "chunk": chunk.number},
    )
    calc_ids = {c.pk for c in calculations}
    if len(created) < len(calc_ids):  # lost a race to another run: drop unused calculations
        Calculation.objects.filter(pk__in=calc_ids - {c.calculation_id for c in created}).delete()
    chunk.proposed = len(created)
    chunk.amount_fen = sum(c.amount_fen for c in created)


def _outreach(chunk: MatchChunk, run: MatchRun, evaluator: ClauseEvaluator) -> None:
    rows = []
    for code, (name, facts) in facts_for_codes(chunk.keys, year=evaluator.year).items():
        for clause, required, meta, validated in evaluator.plan:
            result = evaluator.evaluate(required, meta, validated, facts)
            if result is not None and result.eligible and result.amount > 0:
                rows.append(
                    OutreachCandidate(
                        run=run,
                        credit_code=code,
                        name=name,
                        clause=clause,
                        amount_fen=to_fen(result.amount),
                        facts=facts_jsonable(evaluator.clause_facts(clause, facts)),
                    )
                )
    OutreachCandidate.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    chunk.outreach = len(rows)
    chunk.amount_fen = 0
