"""为我推荐: every clause open to the enterprise, estimated from its profile and indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from enterprises.facts import indicator_facts
from enterprises.models import Enterprise
from policies import engine
from policies.models import Clause, Policy
from policies.services import Estimate, awards_estimate


@dataclass(frozen=True)
class Recommendation:
    estimate: Estimate
    open_now: bool

    @property
    def group(self) -> str:
        e = self.estimate
        if e.result is not None and not e.result.computable:
            return "no_formula"
        if e.eligible:
            return "eligible"
        if e.missing or e.invalid:
            return "incomplete"
        return "ineligible"


def clauses_to_match(today: dt.date) -> list[Clause]:
    """Clauses of policies in force, or whose application window is open today."""
    in_force = Q(policy__effective_from__lte=today) & (
        Q(policy__effective_to__isnull=True) | Q(policy__effective_to__gte=today)
    )
    window_open = Q(application_opens__lte=today, application_closes__gte=today)
    clauses = (
        Clause.objects.select_related("policy")
        .filter(in_force | window_open)
        .exclude(policy__status__in=[Policy.Status.REPEALED, Policy.Status.DRAFT])
        .order_by("policy__code", "article")
    )
    known = set(engine.clause_codes())
    return [c for c in clauses if c.code in known]


def recommendations_for(enterprise: Enterprise, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    clauses = clauses_to_match(today)
    estimates = awards_estimate(facts=indicator_facts(enterprise), clauses=clauses, on=today)
    groups: dict[str, list[Recommendation]] = {
        "eligible": [], "incomplete": [], "no_formula": [], "ineligible": []
    }  # fmt: skip
    for estimate in estimates:
        rec = Recommendation(estimate, estimate.clause.window_open_on(today))
        groups[rec.group].append(rec)
    groups["eligible"].sort(key=lambda r: r.estimate.result.amount, reverse=True)
    return groups
