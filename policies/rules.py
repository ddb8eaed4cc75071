"""Between the database's rule versions and the engine: which version applies, params as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from policies import engine
from policies.models import Clause, ClauseRuleVersion


def params_to_json(clause: engine.Clause, overrides: Mapping[str, object] | None) -> dict:
    """Validate ``overrides`` against the clause's params and return them JSON-ready.

    Raises ``engine.ParamError`` (Chinese messages per param) on a bad value.
    """
    values = clause.validate_params(overrides)
    return {spec.name: spec.serialize(values[spec.name]) for spec in clause.params}


def rule_version_on(clause: Clause, day: dt.date | None = None) -> ClauseRuleVersion | None:
    """The version in force on ``day`` (today by default): the newest one already effective."""
    day = day or timezone.localdate()
    return (
        ClauseRuleVersion.objects.filter(clause=clause, effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .first()
        or ClauseRuleVersion.objects.filter(clause=clause).order_by("number").first()
    )


def rule_versions_on(
    clause_ids: list[int], day: dt.date | None = None
) -> dict[int, ClauseRuleVersion]:
    """``rule_version_on`` for many clauses in one query: clause id -> version."""
    day = day or timezone.localdate()
    by_clause: dict[int, list[ClauseRuleVersion]] = {}
    for version in ClauseRuleVersion.objects.filter(clause_id__in=clause_ids):
        by_clause.setdefault(version.clause_id, []).append(version)
    chosen = {}
    for clause_id, versions in by_clause.items():
        effective = [v for v in versions if v.effective_from <= day]
        chosen[clause_id] = (
            max(effective, key=lambda v: (v.effective_from, v.number))
            if effective
            else min(versions, key=lambda v: v.number)
        )
    return chosen
