"""Engine facts for many enterprises at once: one query for a chunk's indicators, not one each.

Registered enterprises: the same facts as ``enterprises.facts.indicator_facts`` (the same
``facts_from_rows`` builds them from the same rows, the enterprise's own figure winning), plus the
department lists they are on (``GovRecord`` flags). Unregistered credit codes: facts from the
staged department figures only; 规上/行业 come from the statistics bureau's file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from enterprises import industries
from enterprises.facts import ROW_FIELDS, ROW_ORDER, Row, facts_from_rows
from enterprises.models import Enterprise, Indicator, IndicatorSource
from proactive.models import GovRecord


class Profile(NamedTuple):
    """What the batch needs of an enterprise, fetched as a tuple (no model instance)."""

    pk: int
    credit_code: str
    industry_section: str
    above_scale: bool
    credit_blocked_until: dt.date | None
    district_id: int

    def credit_blocked_on(self, day: dt.date) -> bool:
        return self.credit_blocked_until is not None and day <= self.credit_blocked_until


def profiles(ids: list[int]) -> list[Profile]:
    """The enterprises ``ids`` as ``Profile`` tuples, by id."""
    qs = Enterprise.objects.filter(pk__in=ids).order_by("pk").values_list(*Profile._fields)
    return [Profile(*row) for row in qs]


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
    enterprises: Iterable[Enterprise | Profile], *, year: int | None
) -> dict[int, dict[str, object]]:
    """Enterprise id -> facts, in two queries whatever the number of enterprises."""
    enterprises = list(enterprises)
    rows: dict[int, list[Row]] = defaultdict(list)
    qs = (
        Indicator.objects.filter(enterprise_id__in=[e.pk for e in enterprises])
        .order_by("enterprise_id", *ROW_ORDER)
        .values_list("enterprise_id", *ROW_FIELDS)
    )
    for enterprise_id, *row in qs:
        rows[enterprise_id].append(row)  # type: ignore[arg-type]
    flags = _flags_by_code([e.credit_code for e in enterprises])
    result = {}
    for e in enterprises:
        facts = facts_from_rows(
            rows.get(e.pk, ()), year=year, section=e.industry_section, above_scale=e.above_scale
        )
        own = flags.get(e.credit_code)
        if own:
            facts.update(_list_facts(own))
        result[e.pk] = facts
    return result


def facts_for_codes(codes: list[str], *, year: int | None) -> dict[str, tuple[str, dict]]:
    """Unregistered credit code -> (name, facts) from the staged department records only."""
    rows: dict[str, list[Row]] = defaultdict(list)
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
