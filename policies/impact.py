"""The cases a rule change is previewed on: the policy text's worked examples, the case file's
cases under the clause and the calculator's stored calculations, each named as people know it
(案件 HQ2026-000006 郑州示范机械制造有限公司), never by an id.

Policies sits below the case file, so the case file registers its cases here when it starts
(``applications.apps``) instead of being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

from policies.golden import golden_cases

if TYPE_CHECKING:
    from policies.models import Clause

CaseSource = Callable[["Clause"], list[tuple[str, dict]]]
_SOURCES: list[CaseSource] = []
STORED = 200  # most recent calculator/API calculations previewed


def impact_source_register(source: CaseSource) -> None:
    """Add a source of (label, facts) for a clause (idempotent)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def impact_cases(clause: Clause) -> list[tuple[str, dict]]:
    """(label, facts) of everything the preview recomputes for ``clause``."""
    from policies.models import Calculation

    cases = [
        (f"样例：{c.get('why') or c.get('name') or ''}", c["facts"])
        for c in golden_cases(clause.code)
    ]
    for source in _SOURCES:
        cases += source(clause)
    sources = dict(Calculation.Source.choices)
    stored = (
        clause.calculations.filter(
            source__in=[Calculation.Source.CALCULATOR, Calculation.Source.API]
        )
        .select_related("created_by")
        .order_by("-created_at")[:STORED]
    )
    for calc in stored:
        who = str(calc.created_by) if calc.created_by else "未登录用户"
        when = timezone.localtime(calc.created_at).strftime("%Y-%m-%d %H:%M")
        cases.append((f"{sources.get(calc.source, '')}测算（{who}，{when}）", calc.facts))
    return cases
