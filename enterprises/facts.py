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

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

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
    value_as_text,
)
from enterprises.models import Enterprise, IndicatorSource


@dataclass(frozen=True)
class Fact:
    name: str
    value: object
    label: str  # what it is, in Chinese
    basis: str  # where it comes from: 企业填报 / 市统计局（导入）/ 由…合计 / 企业档案


Figures = dict[Period, tuple[int, str]]  # period -> (stored value, basis)


def _preferred_figures(enterprise: Enterprise) -> dict[str, Figures]:
    """Name -> period -> figure, the enterprise's own figure winning over an imported one."""
    figures: dict[str, Figures] = {}
    rows = enterprise.indicators.order_by("name", "period", "source").values_list(
        "name", "period", "value", "source", "department"
    )
    for name, period_text, value, source, department in rows:
        period = parse_period(period_text)
        by_period = figures.setdefault(name, {})
        own = source == IndicatorSource.SELF_REPORTED
        if own or period not in by_period:
            by_period[period] = (value, "企业填报" if own else f"{department}（导入）")
    return figures


def _add_up(figures: Figures, target: Period, parts: list[Period], basis: str) -> None:
    if target not in figures and all(p in figures for p in parts):
        figures[target] = (sum(figures[p][0] for p in parts), basis)


def _derive_totals(figures: Figures) -> None:
    """Fill missing quarters, halves and years of a flow from their complete components."""
    for year in sorted({p.year for p in figures}):
        for q in range(1, 5):
            months = [Period(year, MONTH, m) for m in range(3 * q - 2, 3 * q + 1)]
            _add_up(
                figures, Period(year, QUARTER, q), months, f"由{year}年{3 * q - 2}–{3 * q}月合计"
            )
        for h in (1, 2):
            quarters = [Period(year, QUARTER, 2 * h - 1), Period(year, QUARTER, 2 * h)]
            _add_up(figures, Period(year, HALF, h), quarters, f"由{year}年两个季度合计")
        halves = [Period(year, HALF, 1), Period(year, HALF, 2)]
        _add_up(figures, Period(year, YEAR), halves, f"由{year}年上下半年合计")


def _fact_name(spec: IndicatorSpec, period: Period) -> str | None:
    if period.kind == YEAR:
        middle = f"{period.year}"
    elif period.kind == HALF:
        middle = f"h{period.index}_{period.year}"
    elif period.kind == QUARTER:
        middle = f"q{period.index}_{period.year}"
    else:
        return None
    return f"{spec.fact_prefix}_{middle}{spec.fact_suffix}"


def _value(spec: IndicatorSpec, stored: int) -> object:
    return stored if spec.kind == "count" else value_as_text(spec, stored)


def _indicator_facts(spec: IndicatorSpec, figures: Figures) -> list[Fact]:
    facts = []
    for period in sorted(figures, key=Period.sort_key):
        name = _fact_name(spec, period)
        if name:
            stored, basis = figures[period]
            facts.append(Fact(name, _value(spec, stored), f"{spec.label} {period.label}", basis))
    if spec.name == IndicatorName.ELECTRICITY_KWH:
        for year in sorted({p.year for p in figures}):
            months = [figures.get(Period(year, MONTH, m)) for m in range(1, 13)]
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


def _revenue_year_facts(figures: Figures, year: int | None) -> list[Fact]:
    spec = CATALOGUE[IndicatorName.REVENUE]
    yearly = {p.year: figures[p] for p in figures if p.kind == YEAR}
    if not yearly:
        return []
    year = year or max(yearly)
    facts = []
    if year in yearly:
        facts.append(
            Fact(
                "revenue_year",
                value_as_text(spec, yearly[year][0]),
                f"{year}年营业收入",
                yearly[year][1],
            )
        )
    if year - 1 in yearly:
        stored, basis = yearly[year - 1]
        facts.append(
            Fact("revenue_prev_year", value_as_text(spec, stored), f"{year - 1}年营业收入", basis)
        )
    earlier = {y: f for y, f in yearly.items() if y < year}
    if earlier:
        best_year = max(earlier, key=lambda y: earlier[y][0])
        facts.append(
            Fact(
                "revenue_best_before",
                value_as_text(spec, earlier[best_year][0]),
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


def enterprise_facts(enterprise: Enterprise, *, year: int | None = None) -> list[Fact]:
    """Every fact with its label and basis, for the recommendations page and reviewers."""
    facts = [
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
    ]
    figures = _preferred_figures(enterprise)
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


def indicator_facts(enterprise: Enterprise, *, year: int | None = None) -> dict[str, object]:
    """Fact name -> value, ready for ``policies.engine.calculate(code, facts)``."""
    return {fact.name: fact.value for fact in enterprise_facts(enterprise, year=year)}


def facts_for_user(user) -> dict[str, object]:
    """For ``settings.PORTAL_FACTS_PREFILL``: the logged-in enterprise's facts, else nothing."""
    from enterprises.selectors import enterprise_for_user

    enterprise = enterprise_for_user(user)
    return indicator_facts(enterprise) if enterprise else {}
