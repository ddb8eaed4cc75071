"""为我推荐: every clause open to the enterprise, estimated from its profile and indicators.

Whether a clause takes applications is read from ``policies.windows`` (the source the policy
pages and the application service use): a row that fits and is 正在申报 leads to 立即申报,
a row missing data links to the field where that figure is entered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from enterprises.facts import PROFILE_FACTS, indicator_facts, indicator_for_fact
from enterprises.models import Enterprise
from policies import engine
from policies.models import Clause, Policy
from policies.services import Estimate, awards_estimate
from policies.windows import OPEN, UPCOMING, ClauseWindow, clause_window


@dataclass(frozen=True)
class MissingFact:
    """A required figure the enterprise file lacks: its Chinese label and where to enter it
    (``url`` is empty for a figure asked for in the application form itself)."""

    label: str
    url: str = ""
    where: str = "申报时在申报表中填写"


@dataclass(frozen=True)
class Recommendation:
    estimate: Estimate
    window: ClauseWindow
    missing: tuple[MissingFact, ...] = field(default_factory=tuple)

    @property
    def open_now(self) -> bool:
        return self.window.is_open

    @property
    def missing_in_file(self) -> tuple[MissingFact, ...]:
        return tuple(m for m in self.missing if m.url)

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


def missing_fact(name: str, label: str) -> MissingFact:
    """Where the enterprise enters fact ``name``: the indicator form (that indicator and period
    chosen, scrolled to the value), the profile form's field, or the application form."""
    if name in PROFILE_FACTS:
        return MissingFact(
            label, f"{reverse('enterprises:profile_edit')}#id_{PROFILE_FACTS[name]}", "企业档案"
        )
    found = indicator_for_fact(name)
    if found is None:
        return MissingFact(label)
    indicator, period = found
    query = {"name": str(indicator)}
    if period:
        query["period"] = period
    anchor = "id_value" if period else "id_period"
    return MissingFact(
        label, f"{reverse('enterprises:indicators')}?{urlencode(query)}#{anchor}", "经营指标"
    )


def clauses_to_match(today: dt.date) -> list[Clause]:
    """Clauses of policies in force, or that are 正在申报 / 即将开始 on ``today`` (a batch
    opened after the policy ended counts: the enterprise can apply in it)."""
    clauses = (
        Clause.objects.select_related("policy")
        .prefetch_related("batches")
        .exclude(policy__status__in=[Policy.Status.REPEALED, Policy.Status.DRAFT])
        .order_by("policy__code", "article")
    )
    known = set(engine.clause_codes())
    return [
        c
        for c in clauses
        if c.code in known
        and (
            c.policy.status_on(today) == Policy.Status.IN_FORCE
            or clause_window(c, today).state in (OPEN, UPCOMING)
        )
    ]


def recommendations_for(enterprise: Enterprise, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    clauses = clauses_to_match(today)
    facts = indicator_facts(enterprise)
    estimates = awards_estimate(facts=facts, clauses=clauses, on=today)
    groups: dict[str, list[Recommendation]] = {
        "eligible": [], "incomplete": [], "no_formula": [], "ineligible": []
    }  # fmt: skip
    for estimate in estimates:
        missing = ()
        if estimate.missing:
            specs = engine.get_clause(estimate.clause.code).facts
            missing = tuple(
                missing_fact(s.name, s.label)
                for s in specs
                if s.required and facts.get(s.name) is None
            )
        rec = Recommendation(estimate, clause_window(estimate.clause, today), missing)
        groups[rec.group].append(rec)
    groups["eligible"].sort(key=lambda r: r.estimate.result.amount, reverse=True)
    return groups
