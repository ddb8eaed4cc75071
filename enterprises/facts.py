"""Award-engine facts from the enterprise file (names from /work/shared/spec/award-contract.md).

Mapping (``P`` = prefix: revenue, elec, exports, investment, industrial_output, rd_spend,
tax_paid, employees; ``S`` = ``_kwh`` for electricity, else empty):

- a yearly figure        -> ``P_2023S``          (revenue_2023, exports_2022, elec_2022_kwh)
- a half-year figure     -> ``P_h1_2023S``       (revenue_h1_2023)
- a quarterly figure     -> ``P_q1_2023S``       (revenue_q1_2023, elec_q1_2022_kwh, investment_q1_2023)
- 12 months of a year    -> ``elec_peak_month_2022_kwh`` (the highest month; electricity only)
- for the chosen ``year`` (default: latest year with yearly revenue): ``revenue_year``,
  ``revenue_prev_year`` (year - 1) and ``revenue_best_before`` (highest earlier year);
- exports of two consecutive years -> ``export_growth_2023_pct`` (percent points);
- ``above_scale``; ``manufacturing`` (门类 C); ``industrial`` (门类 B–D).

Money is a yuan string with two decimals, kWh an integer string, headcount an int. For each
indicator and period the enterprise's own figure is preferred over a department's; a missing
quarter/half/year is added up from its complete months/quarters/halves (flows only). A fact
whose data is missing is left out, never guessed, so the engine can say what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache

from enterprises import industries
from enterprises.catalogue import (
    CATALOGUE,
    HALF,
    MONTH,
    QUARTER,
    YEAR,
    IndicatorName,
    IndicatorSpec,
    Period,
    parse_period,
)
from enterprises.models import Enterprise, IndicatorSource
from policies.engine.fmt import grouped, qty, yuan


@dataclass(frozen=True)
class Fact:
    name: str
    value: object
    label: str  # what it is, in Chinese
    basis: str  # where it comes from: 企业填报 / 市统计局（导入）/ 由…合计 / 企业档案

    @property
    def shown(self) -> str:
        """The value as a person reads it, by the engine's one rule: 是/否, "62,000,000.00 元",
        "1,240,000 kWh", "85 人"."""
        value = self.value
        if isinstance(value, bool) or value is None:
            return {True: "是", False: "否", None: "（未填报）"}[value]
        if self.name.endswith("_kwh"):
            return qty(Decimal(str(value)), "kWh")
        if isinstance(value, str) and "." in value:  # money: yuan with two decimals
            return yuan(Decimal(value))
        return grouped(Decimal(str(value)))


Figures = dict[Period, tuple[int, str]]  # period -> (stored value, basis)
Row = tuple[str, str, int, str, str]  # indicator name, period text, stored value, source, dept
# Rows must come ordered by (name, period, source), as ``ROW_ORDER`` / ``ROW_FIELDS`` give them:
# among several departments' figures for one period the first one wins.
ROW_FIELDS = ("name", "period", "value", "source", "department")
ROW_ORDER = ("name", "period", "source")

_KIND_ORDER = {MONTH: 0, QUARTER: 1, HALF: 2, YEAR: 3}  # Period.sort_key without a dict per call


@lru_cache(maxsize=8192)
def _period(text: str) -> Period:
    return parse_period(text)


def _figures(rows: Iterable[Row]) -> dict[str, Figures]:
    """Name -> period -> figure, the enterprise's own figure winning over an imported one."""
    figures: dict[str, Figures] = {}
    own_source = IndicatorSource.SELF_REPORTED
    for name, period_text, value, source, department in rows:
        by_period = figures.get(name)
        if by_period is None:
            by_period = figures[name] = {}
        period = _period(period_text)
        if source == own_source:
            by_period[period] = (value, "企业填报")
        elif period not in by_period:
            by_period[period] = (value, f"{department}（导入）")
    return figures


@lru_cache(maxsize=256)
def _derivations(year: int) -> tuple[tuple[Period, tuple[Period, ...], str], ...]:
    """(total, its parts, basis) in the order they must be tried: quarters, halves, year."""
    plan = []
    for q in range(1, 5):
        months = tuple(Period(year, MONTH, m) for m in range(3 * q - 2, 3 * q + 1))
        plan.append((Period(year, QUARTER, q), months, f"由{year}年{3 * q - 2}–{3 * q}月合计"))
    for h in (1, 2):
        quarters = (Period(year, QUARTER, 2 * h - 1), Period(year, QUARTER, 2 * h))
        plan.append((Period(year, HALF, h), quarters, f"由{year}年两个季度合计"))
    halves = (Period(year, HALF, 1), Period(year, HALF, 2))
    plan.append((Period(year, YEAR), halves, f"由{year}年上下半年合计"))
    return tuple(plan)


def _derive_totals(figures: Figures) -> None:
    """Fill missing quarters, halves and years of a flow from their complete components."""
    kinds = {(p.year, p.kind) for p in figures}  # to skip the sums that cannot be complete
    for year in sorted({year for year, _ in kinds}):
        has = {kind for y, kind in kinds if y == year}
        for target, parts, basis in _derivations(year):
            if parts[0].kind not in has or target in figures:
                continue
            if all(p in figures for p in parts):
                figures[target] = (sum(figures[p][0] for p in parts), basis)
                has.add(target.kind)


@lru_cache(maxsize=8192)
def _name_and_label(indicator: str, period: Period) -> tuple[str | None, str]:
    """The fact name of a figure (None for a month) and its Chinese label."""
    spec = CATALOGUE[indicator]
    if period.kind == YEAR:
        middle = f"{period.year}"
    elif period.kind == HALF:
        middle = f"h{period.index}_{period.year}"
    elif period.kind == QUARTER:
        middle = f"q{period.index}_{period.year}"
    else:
        return None, ""
    return f"{spec.fact_prefix}_{middle}{spec.fact_suffix}", f"{spec.label} {period.label}"


def _text(spec: IndicatorSpec, stored: int) -> str:
    """``value_as_text`` in integer arithmetic (the same string: yuan with two decimals)."""
    if spec.kind != "money":
        return str(stored)
    sign, fen = ("-", -stored) if stored < 0 else ("", stored)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _value(spec: IndicatorSpec, stored: int) -> object:
    return stored if spec.kind == "count" else _text(spec, stored)


def _sort_key(period: Period) -> tuple[int, int, int]:
    return (period.year, _KIND_ORDER[period.kind], period.index)


def _indicator_facts(spec: IndicatorSpec, figures: Figures) -> list[Fact]:
    facts = []
    for period in sorted(figures, key=_sort_key):
        name, label = _name_and_label(spec.name, period)
        if name:
            stored, basis = figures[period]
            facts.append(Fact(name, _value(spec, stored), label, basis))
    if spec.name == IndicatorName.ELECTRICITY_KWH:
        for year in sorted({p.year for p in figures}):
            months = [figures.get(p) for p in _months(year)]
            if all(months):
                peak = max(m[0] for m in months)  # type: ignore[index]
                facts.append(
                    Fact(
                        f"elec_peak_month_{year}_kwh",
                        str(peak),
                        f"{year}年用电量最高月份",
                        f"{year}年12个月中最高",
                    )
                )
    return facts


@lru_cache(maxsize=256)
def _months(year: int) -> tuple[Period, ...]:
    return tuple(Period(year, MONTH, m) for m in range(1, 13))


def _revenue_year_facts(figures: Figures, year: int | None) -> list[Fact]:
    spec = CATALOGUE[IndicatorName.REVENUE]
    yearly = {p.year: figures[p] for p in figures if p.kind == YEAR}
    if not yearly:
        return []
    year = year or max(yearly)
    facts = []
    if year in yearly:
        facts.append(
            Fact("revenue_year", _text(spec, yearly[year][0]), f"{year}年营业收入", yearly[year][1])
        )
    if year - 1 in yearly:
        stored, basis = yearly[year - 1]
        facts.append(Fact("revenue_prev_year", _text(spec, stored), f"{year - 1}年营业收入", basis))
    earlier = {y: f for y, f in yearly.items() if y < year}
    if earlier:
        best_year = max(earlier, key=lambda y: earlier[y][0])
        facts.append(
            Fact(
                "revenue_best_before",
                _text(spec, earlier[best_year][0]),
                f"{year}年以前年度营业收入最高值",
                f"{best_year}年（{earlier[best_year][1]}）",
            )
        )
    return facts


def _export_growth_facts(figures: Figures) -> list[Fact]:
    yearly = {p.year: figures[p][0] for p in figures if p.kind == YEAR}
    facts = []
    for year in sorted(yearly):
        before = yearly.get(year - 1)
        if before:
            pct = (Decimal(yearly[year] - before) * 100 / Decimal(before)).quantize(
                Decimal("0.0001"), rounding=ROUND_DOWN
            )
            text = format(pct.normalize(), "f")
            facts.append(
                Fact(
                    f"export_growth_{year}_pct",
                    text,
                    f"{year}年出口额增长率（%）",
                    f"由{year - 1}、{year}年出口额计算",
                )
            )
    return facts


def figure_facts(rows: Iterable[Row], *, year: int | None) -> list[Fact]:
    """Every fact the indicator rows give (see the module docstring), with label and basis."""
    figures = _figures(rows)
    facts: list[Fact] = []
    for name, spec in CATALOGUE.items():
        if name not in figures:
            continue
        if spec.flow:
            _derive_totals(figures[name])
        facts.extend(_indicator_facts(spec, figures[name]))
    if IndicatorName.REVENUE in figures:
        facts.extend(_revenue_year_facts(figures[IndicatorName.REVENUE], year))
    if IndicatorName.EXPORTS in figures:
        facts.extend(_export_growth_facts(figures[IndicatorName.EXPORTS]))
    return facts


def facts_from_rows(
    rows: Iterable[Row], *, year: int | None, section: str | None, above_scale: bool | None
) -> dict[str, object]:
    """Fact name -> value from one enterprise's indicator rows (``ROW_FIELDS`` in ``ROW_ORDER``)
    and its profile; the one builder behind ``indicator_facts`` and the 免申即享 batch, which
    fetches a chunk's rows in one query. A profile item that is None (unknown) is left out."""
    facts: dict[str, object] = {}
    if above_scale is not None:
        facts["above_scale"] = above_scale
    if section is not None:
        facts["manufacturing"] = section in industries.MANUFACTURING
        facts["industrial"] = section in industries.INDUSTRIAL
    for fact in figure_facts(rows, year=year):
        facts[fact.name] = fact.value
    return facts


def _rows_of(enterprise: Enterprise) -> list[Row]:
    return list(enterprise.indicators.order_by(*ROW_ORDER).values_list(*ROW_FIELDS))


def enterprise_facts(enterprise: Enterprise, *, year: int | None = None) -> list[Fact]:
    """Every fact with its label and basis, for the recommendations page and reviewers."""
    return [
        Fact("above_scale", enterprise.above_scale, "规模以上企业", "企业档案"),
        Fact(
            "manufacturing",
            enterprise.is_manufacturing,
            "制造业企业（门类C）",
            "企业档案：" + enterprise.industry_label,
        ),
        Fact(
            "industrial",
            enterprise.is_industrial,
            "工业企业（门类B–D）",
            "企业档案：" + enterprise.industry_label,
        ),
        *figure_facts(_rows_of(enterprise), year=year),
    ]


def indicator_facts(enterprise: Enterprise, *, year: int | None = None) -> dict[str, object]:
    """Fact name -> value, ready for ``policies.engine.calculate(code, facts)``."""
    return facts_from_rows(
        _rows_of(enterprise),
        year=year,
        section=enterprise.industry_section,
        above_scale=enterprise.above_scale,
    )


def facts_for_user(user) -> dict[str, object]:
    """``links.FACTS_PREFILL`` (provided in ``EnterprisesConfig.ready``): the logged-in enterprise's facts, else nothing."""
    from enterprises.selectors import enterprise_for_user

    enterprise = enterprise_for_user(user)
    return indicator_facts(enterprise) if enterprise else {}


# --- where a missing fact is entered ----------------------------------------------------

PROFILE_FACTS = {  # fact -> the profile form's field
    "above_scale": "above_scale",
    "manufacturing": "industry_division",
    "industrial": "industry_division",
}
_PERIOD_PART = (
    r"(?:(?P<year>\d{4})|h(?P<half>[12])_(?P<hyear>\d{4})|q(?P<quarter>[1-4])_(?P<qyear>\d{4}))"
)


@lru_cache(maxsize=1)
def _fact_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (
            re.compile(
                rf"^{re.escape(spec.fact_prefix)}_{_PERIOD_PART}{re.escape(spec.fact_suffix)}$"
            ),
            spec.name,
        )
        for spec in CATALOGUE.values()
    )


def indicator_for_fact(name: str) -> tuple[str, str] | None:
    """(indicator code, period text such as ``2023Q1``) of a fact the indicator figures give,
    the inverse of ``_name_and_label``; None for a fact no indicator gives."""
    if name in ("revenue_year", "revenue_prev_year", "revenue_best_before"):
        return IndicatorName.REVENUE, ""
    peak = re.match(r"^elec_peak_month_(\d{4})_kwh$", name)
    if peak:
        return IndicatorName.ELECTRICITY_KWH, f"{peak.group(1)}-01"
    growth = re.match(r"^export_growth_(\d{4})_pct$", name)
    if growth:
        return IndicatorName.EXPORTS, growth.group(1)
    for pattern, indicator in _fact_patterns():
        m = pattern.match(name)
        if not m:
            continue
        if m.group("year"):
            return indicator, m.group("year")
        if m.group("half"):
            return indicator, f"{m.group('hyear')}H{m.group('half')}"
        return indicator, f"{m.group('qyear')}Q{m.group('quarter')}"
    return None


def known_fact_choices(*, years: int = 4) -> list[tuple[str, str, str]]:
    """(fact name, Chinese label, definition type) of the facts the enterprise file gives: the
    profile's flags and each indicator's yearly figure for the last ``years`` years. For the
    policy studio (``portal.core.links.KNOWN_FACTS``): a clause built on these names is
    estimated for every enterprise in 为我推荐 from its stored figures."""
    from django.utils import timezone

    kinds = {"money": "金额", "kwh": "电量", "count": "整数"}
    out = [
        ("above_scale", "规模以上工业企业", "是否"),
        ("manufacturing", "制造业企业（门类C）", "是否"),
        ("industrial", "工业企业（门类B–D）", "是否"),
        ("revenue_year", "营业收入（最近一个已填报年度）", "金额"),
        ("revenue_prev_year", "营业收入（其前一年度）", "金额"),
    ]
    this_year = timezone.localdate().year
    for spec in CATALOGUE.values():
        if YEAR not in spec.periods:
            continue
        for year in range(this_year - years, this_year):
            name, label = _name_and_label(spec.name, Period(year, YEAR))
            if name:
                out.append((name, label, kinds.get(spec.kind, "金额")))
    return out
