"""Reads of 免申即享: runs with their progress, proposals, outreach, the enterprise's proposals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from applications.models import Application, award_period_of
from applications.workflow import Status
from enterprises import permissions
from enterprises.selectors import enterprise_for_user
from policies.models import Calculation, Clause
from portal.core.errors import NotFound, PermissionRefused
from proactive.models import GovImport, GovImportJob, MatchChunk, MatchRun, OutreachCandidate


def require_admin(user) -> None:
    allowed, reason = permissions.can_import_department_data(user)
    if not allowed:
        raise PermissionRefused(reason.replace("导入政府部门提供的数据", "管理免申即享"))


def proactive_clauses() -> QuerySet[Clause]:
    return (
        Clause.objects.filter(redemption_mode=Clause.Redemption.PROACTIVE)
        .select_related("policy")
        .order_by("policy__code", "article")
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    evaluated: int
    proposed: int
    amount_fen: int
    outreach: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)


def run_progress(run: MatchRun) -> Progress:
    row = run.chunks.aggregate(
        done=Count("pk", filter=Q(status=MatchChunk.Status.DONE)),
        evaluated=Sum("evaluated"),
        proposed=Sum("proposed"),
        amount=Sum("amount_fen"),
        outreach=Sum("outreach"),
    )
    return Progress(
        row["done"] or 0,
        run.chunks_total,
        row["evaluated"] or 0,
        row["proposed"] or 0,
        row["amount"] or 0,
        row["outreach"] or 0,
    )


def run_list() -> list[tuple[MatchRun, Progress]]:
    """Latest runs with progress: the aggregate per run in one grouped query."""
    runs = list(
        MatchRun.objects.select_related("created_by").prefetch_related("clauses__policy")[:30]
    )
    rows = (
        MatchChunk.objects.filter(run__in=runs)
        .values("run_id")
        .annotate(
            done=Count("pk", filter=Q(status=MatchChunk.Status.DONE)),
            evaluated=Sum("evaluated"),
            proposed=Sum("proposed"),
            amount=Sum("amount_fen"),
            outreach=Sum("outreach"),
        )
    )
    by_run = {r["run_id"]: r for r in rows}
    result = []
    for run in runs:
        r = by_run.get(run.pk, {})
        result.append(
            (
                run,
                Progress(
                    r.get("done") or 0,
                    run.chunks_total,
                    r.get("evaluated") or 0,
                    r.get("proposed") or 0,
                    r.get("amount") or 0,
                    r.get("outreach") or 0,
                ),
            )
        )
    return result


def access_run(user, run_id: object) -> MatchRun:
    require_admin(user)
    try:
        pk = int(str(run_id))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    run = MatchRun.objects.filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def run_proposals(run: MatchRun) -> QuerySet[Application]:
    """Cases the system proposed for the run's clauses and period (one case per pair): the
    award each clause pays for the run's period (its ``award_key``), not the period as typed."""
    awards = Q(pk__in=[])
    for clause in run.clauses.all():
        awards |= Q(clause=clause, award_key=award_period_of(clause.code, run.period).key)
    return (
        Application.objects.filter(awards, calculation__source=Calculation.Source.PROACTIVE)
        .select_related("enterprise", "clause", "clause__policy")
        .order_by("enterprise__credit_code", "clause__code")
    )


def run_outreach(run: MatchRun) -> QuerySet[OutreachCandidate]:
    return run.outreach.select_related("clause", "clause__policy").order_by("credit_code", "clause")


def import_list() -> QuerySet[GovImport]:
    return GovImport.objects.select_related("actor")[:50]


def import_jobs() -> list[GovImportJob]:
    """The latest background imports, for the imports page's progress table."""
    return list(GovImportJob.objects.select_related("actor")[:10])


def enterprise_proposals(user, *, pending_only: bool = False) -> QuerySet[Application]:
    """The logged-in enterprise's 免申即享 cases, newest first (only those still to confirm
    with ``pending_only``)."""
    enterprise = enterprise_for_user(user)
    if enterprise is None:
        return Application.objects.none()
    qs = Application.objects.filter(
        enterprise=enterprise, calculation__source=Calculation.Source.PROACTIVE
    )
    if pending_only:
        qs = qs.filter(status=Status.PROPOSED)
    return qs.select_related("enterprise", "clause", "clause__policy", "calculation").order_by(
        "-created_at", "-id"
    )


def access_proposal(user, application_id: object) -> Application:
    try:
        pk = int(str(application_id))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    application = enterprise_proposals(user).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


PENDING = Status.PROPOSED


def run_failures(run: MatchRun) -> list[MatchChunk]:
    """Chunks of the run with a failed attempt (kept on the chunk), newest problems first."""
    return list(
        run.chunks.exclude(errors=[])
        .defer("keys")  # up to a thousand ids a chunk: not what the page shows
        .order_by("-status", "number")[:50]
    )
