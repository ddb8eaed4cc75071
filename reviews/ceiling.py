"""The most a reviewer may approve: the engine on the verified facts, then (at city level) the
cross-case rules against the enterprise's other awards."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from applications.models import Application
from applications.workflow import Level, Status
from policies import engine
from policies.engine.stacking import GRANTED, PENDING, Award, StackingResult, apply_stacking
from policies.services import award_calculate
from portal.core.money import from_fen
from reviews import selectors

OTHER_AWARD_STATUSES = (Status.APPROVED, Status.IN_NOTICE, Status.DETERMINED, Status.PAID)


@dataclass(frozen=True)
class Ceiling:
    amount: Decimal
    result: engine.AwardResult
    facts: dict
    corrections: dict
    calculation_id: int | None = None
    stacking: StackingResult | None = None
    others: list[str] = field(default_factory=list)

    def correction_lines(self, clause_code: str) -> list[tuple[str, str, str]]:
        """``(label, declared, verified)`` of each corrected fact, in words (no fact codes)."""
        specs = {s.name: s for s in engine.get_clause(clause_code).facts}
        shown = selectors.fact_value_text
        return [
            (specs[n].label if n in specs else n, shown(specs.get(n), c["declared"]),
             shown(specs.get(n), c["verified"]))
            for n, c in self.corrections.items()
        ]  # fmt: skip

    def trace(self) -> dict:
        """What the approval event stores: both fact sets, the engine's steps, the reductions."""
        return {
            "verified_facts": self.facts,
            "corrected_facts": self.corrections,
            "calculation": self.calculation_id,
            "engine": self.result.to_dict(),
            "ceiling": f"{self.amount:.2f}",
            "stacking": self.stacking.lines if self.stacking else [],
            "other_awards": self.others,
        }


def other_awards(application: Application) -> list[Award]:
    """The enterprise's other approved, noticed or determined cases as stacking awards, each
    with its subject, period and award key (so that only awards for the same thing meet)."""
    rows = (
        Application.objects.filter(
            enterprise_id=application.enterprise_id, status__in=OTHER_AWARD_STATUSES
        )
        .exclude(pk=application.pk)
        .select_related("clause")
        .order_by("id")
    )
    return [
        Award(
            code=row.clause.code,
            amount=from_fen(
                row.approved_amount_fen
                if row.approved_amount_fen is not None
                else row.estimated_amount_fen
            ),
            year=int(row.period[:4]),
            title=row.clause.title,
            status=GRANTED if row.status in (Status.DETERMINED, Status.PAID) else PENDING,
            ref=row.number,
            subject=row.subject,
            award_key=row.award_key,
            parts=_parts(row.clause.code, row.facts),
        )
        for row in rows
    ]


def _parts(code: str, facts: dict) -> dict | None:
    """The shares by group or cap of a stored case (clauses with ``stacking_parts`` only):
    the engine on the case's facts; ``None`` (the whole amount counts) when they do not parse."""
    clause = engine.get_clause(code)
    if not clause.stacking_parts:
        return None
    try:
        return clause.calculate(facts).parts
    except engine.EngineError:
        return None


def review_ceiling(
    application: Application, *, level: str, user=None, store: bool = False
) -> Ceiling:
    """Raises ``engine.EngineError`` when the verified facts are not valid."""
    facts, corrections = selectors.verified_facts(application)
    calculated = award_calculate(
        code=application.clause.code,
        facts=facts,
        source="review" if store else None,
        user=user,
    )
    result = calculated.result
    amount = result.amount if result.eligible else Decimal("0.00")
    stacking, names = None, []
    if level == Level.CITY and amount > 0:
        others = other_awards(application)
        names = [a.name() for a in others]
        candidate = Award(
            code=application.clause.code,
            amount=amount,
            year=int(application.period[:4]),
            title=application.clause.title,
            status=PENDING,
            ref=application.number,
            subject=application.subject,
            award_key=application.award_key,
            parts=result.parts,
        )
        stacking = apply_stacking(candidate, others)
        amount = stacking.amount
    return Ceiling(
        amount=amount,
        result=result,
        facts=facts,
        corrections=corrections,
        calculation_id=calculated.calculation.pk if calculated.calculation else None,
        stacking=stacking,
        others=names,
    )
