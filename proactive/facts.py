"""Engine facts for many enterprises at once: one query for a chunk's indicators, not one each.

Registered enterprises: the same facts as ``enterprises.facts.indicator_facts`` (the same
helpers build them from the same rows, the enterprise's own figure winning), plus the
department lists they are on (``GovRecord`` flags). Unregistered credit codes: facts from the
staged department figures only; 规上/行业 come from the statistics bureau's file.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from enterprises import facts as enterprise_facts_module
from enterprises import industries
from enterprises.catalogue import CATALOGUE, IndicatorName, Period, parse_period
from enterprises.models import Enterprise, Indicator, IndicatorSource
from proactive.models import GovRecord

# The per-enterprise builders of enterprises.facts, reused so both paths agree to the letter.
_derive_totals = enterprise_facts_module._derive_totals
_indicator_facts = enterprise_facts_module._indicator_facts
_revenue_year_facts = enterprise_facts_module._revenue_year_facts
_export_growth_facts = enterprise_facts_module._export_growth_facts

Rows = list[tuple[str, str, int, str, str]]  # name, period, value, source, department


@lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    return parse_period(text)


def _figures(rows: Rows) -> dict[str, dict[Period, tuple[int, str]]]:
    figures: dict[str, dict[Period, tuple[int, str]]] = {}
    for name, period_text, value, source, department in rows:
        by_period = figures.setdefault(name, {})
        period = _period(period_text)
        own = source == IndicatorSource.SELF_REPORTED
        if own or period not in by_period:
            by_period[period] = (value, "企业填报" if own else f"{department}（导入）")
    return figures


def facts_from_rows(
    rows: Rows, *, year: int | None, section: str | None, above_scale: bool | None
) -> dict[str, object]:
    """Fact name -> value from indicator rows and the profile flags (None = unknown, left out)."""
    facts: dict[str, object] = {}
    if above_scale is not None:
        facts["above_scale"] = above_scale
    if section is not None:
        facts["manufacturing"] = section in industries.MANUFACTURING
        facts["industrial"] = section in industries.INDUSTRIAL
    figures = _figures(rows)
    for name, spec in CATALOGUE.items():
        if name not in figures:
            continue
        if spec.flow:
            _derive_totals(figures[name])
        facts.update((f.name, f.value) for f in _indicator_facts(spec, figures[name]))
    if IndicatorName.REVENUE in figures:
        facts.update(
            (f.name, f.value) for f in _revenue_year_facts(figures[IndicatorName.REVENUE], year)
        )
    if IndicatorName.EXPORTS in figures:
        facts.update(
            (f.name, f.value) for f in _export_growth_facts(figures[IndicatorName.EXPORTS])
        )
    return facts


def _flags_by_code(codes: list[str]) -> dict[str, dict[str, int]]:
    flags: dict[str, dict[str, int]] = defaultdict(dict)
    rows = GovRecord.objects.filter(credit_code__in=codes, kind=GovRecord.Kind.FLAG).values_list(
        "credit_code", "item", "value"
    )
    for code, item, value in rows:
        flags[code][item] = max(value, flags[code].get(item, 0))
    return flags


def _list_facts(flags: dict[str, int]) -> dict[str, object]:
    """List memberships as booleans (profile items are handled by the caller)."""
    return {k: bool(v) for k, v in flags.items() if k not in ("above_scale", "industry_division")}


def facts_for_enterprises(
    enterprises: list[Enterprise], *, year: int | None
) -> dict[int, dict[str, object]]:
    """Enterprise id -> facts, in two queries whatever the number of enterprises."""
    rows: dict[int, Rows] = defaultdict(list)
    qs = (
        Indicator.objects.filter(enterprise_id__in=[e.pk for e in enterprises])
        .order_by("enterprise_id", "name", "period", "source")
        .values_list("enterprise_id", "name", "period", "value", "source", "department")
    )
    for enterprise_id, *row in qs:
        rows[enterprise_id].append(tuple(row))
    flags = _flags_by_code([e.credit_code for e in enterprises])
    result = {}
    for e in enterprises:
        facts = facts_from_rows(
            rows.get(e.pk, []), year=year, section=e.industry_section, above_scale=e.above_scale
        )
        facts.update(_list_facts(flags.get(e.credit_code, {})))
        result[e.pk] = facts
    return result


def facts_for_codes(codes: list[str], *, year: int | None) -> dict[str, tuple[str, dict]]:
    """Unregistered credit code -> (name, facts) from the staged department records only."""
    rows: dict[str, Rows] = defaultdict(list)
    names: dict[str, str] = {}
    flags: dict[str, dict[str, int]] = defaultdict(dict)
    qs = (
        GovRecord.objects.filter(credit_code__in=codes)
        .select_related(None)
        .order_by("credit_code", "item", "period")
        .values_list("credit_code", "name", "kind", "item", "period", "value", "batch__department")
    )
    for code, name, kind, item, period, value, department in qs:
        names.setdefault(code, name)
        if kind == GovRecord.Kind.FLAG:
            flags[code][item] = value
        else:
            rows[code].append((item, period, value, IndicatorSource.IMPORTED, department))
    result = {}
    for code in codes:
        own = flags.get(code, {})
        division = own.get("industry_division")
        section = industries.section_of(f"{division:02d}") if division is not None else None
        above = bool(own["above_scale"]) if "above_scale" in own else None
        facts = facts_from_rows(rows.get(code, []), year=year, section=section, above_scale=above)
        facts.update(_list_facts(own))
        result[code] = (names.get(code, ""), facts)
    return result
