"""The indicator catalogue: which figures an enterprise keeps, their periods, units and storage.

Storage (documented here because every reader depends on it): ``Indicator.value`` is one
``BigIntegerField`` holding the figure as an exact integer in the indicator's *base unit*:

- money (营业收入、出口额…): **fen** (分), converted only through ``portal.core.money``;
- electricity: whole **kWh** (千瓦时), as on a power bill;
- headcount: **persons** (人).

Integers are exact on SQLite and PostgreSQL alike and ``Sum`` over them is exact, so no
figure ever passes through a float.

Periods are strings: ``2023`` (year), ``2023H1`` (half), ``2023Q1`` (quarter) and ``2023-01``
(month). A figure is the amount *within* that period (not a running total); for Q1 and H1
the two readings coincide with the statistics bureau's cumulative figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models

from portal.core.money import MoneyError, format_yuan, from_fen, parse_yuan, to_fen


class IndicatorName(models.TextChoices):
    REVENUE = "revenue", "营业收入"
    INDUSTRIAL_OUTPUT = "industrial_output", "工业总产值"
    ELECTRICITY_KWH = "electricity_kwh", "用电量"
    EXPORTS = "exports", "出口额"
    FIXED_ASSET_INVESTMENT = "fixed_asset_investment", "固定资产投资"
    RD_SPEND = "rd_spend", "研发费用"
    TAX_PAID = "tax_paid", "纳税总额"
    EMPLOYEES = "employees", "从业人员"


YEAR, HALF, QUARTER, MONTH = "year", "half", "quarter", "month"
PERIOD_EXAMPLES = {
    YEAR: "2023（年度）",
    HALF: "2023H1（半年，H1 或 H2）",
    QUARTER: "2023Q1（季度，Q1 至 Q4）",
    MONTH: "2023-01（月份）",
}
PERIOD_KIND_LABELS = {YEAR: "年度", HALF: "半年", QUARTER: "季度", MONTH: "月份"}
ALL_PERIODS = (YEAR, HALF, QUARTER, MONTH)


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    kind: str  # "money" | "kwh" | "count"
    unit: str
    periods: tuple[str, ...]
    fact_prefix: str  # award-engine fact names: revenue_q1_2023, elec_q1_2023_kwh ...
    fact_suffix: str = ""
    flow: bool = True  # a flow adds up over sub-periods; a stock (headcount) does not

    @property
    def label(self) -> str:
        return IndicatorName(self.name).label

    @property
    def label_with_unit(self) -> str:
        return f"{self.label}（{self.unit}）"

    def period_help(self) -> str:
        return "、".join(PERIOD_EXAMPLES[p] for p in self.periods)


CATALOGUE: dict[str, IndicatorSpec] = {
    spec.name: spec
    for spec in (
        IndicatorSpec(IndicatorName.REVENUE, "money", "元", ALL_PERIODS, "revenue"),
        IndicatorSpec(
            IndicatorName.INDUSTRIAL_OUTPUT, "money", "元", ALL_PERIODS, "industrial_output"
        ),
        IndicatorSpec(IndicatorName.ELECTRICITY_KWH, "kwh", "千瓦时", ALL_PERIODS, "elec", "_kwh"),
        IndicatorSpec(IndicatorName.EXPORTS, "money", "元", ALL_PERIODS, "exports"),
        IndicatorSpec(
            IndicatorName.FIXED_ASSET_INVESTMENT, "money", "元", ALL_PERIODS, "investment"
        ),
        IndicatorSpec(IndicatorName.RD_SPEND, "money", "元", (YEAR, HALF, QUARTER), "rd_spend"),
        IndicatorSpec(IndicatorName.TAX_PAID, "money", "元", (YEAR, QUARTER, MONTH), "tax_paid"),
        IndicatorSpec(
            IndicatorName.EMPLOYEES, "count", "人", (YEAR, MONTH), "employees", flow=False
        ),
    )
}


class IndicatorInputError(ValueError):
    """A name, period or value that cannot be stored; the message is Chinese and complete."""


def spec_for(raw_name: object) -> IndicatorSpec:
    """Look an indicator up by code (``revenue``) or Chinese label (``营业收入``)."""
    text = str(raw_name or "").strip()
    text = re.sub(r"[（(].*[)）]$", "", text).strip()  # "用电量（千瓦时）" from the template
    for spec in CATALOGUE.values():
        if text in (spec.name, spec.label):
            return spec
    known = "、".join(spec.label for spec in CATALOGUE.values())
    shown = text or "（空）"
    raise IndicatorInputError(f"未知的指标名称“{shown}”，可填：{known}。")


# --- periods --------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    index: int = 0  # half 1–2, quarter 1–4, month 1–12; 0 for a year

    def __str__(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}"
        if self.kind == HALF:
            return f"{self.year}H{self.index}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}年"
        if self.kind == HALF:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == QUARTER:
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    def sort_key(self) -> tuple[int, int, int]:
        """Chronological within a year: months, quarters, halves, then the year itself."""
        order = {MONTH: 0, QUARTER: 1, HALF: 2, YEAR: 3}[self.kind]
        return (self.year, order, self.index)


_PATTERNS = (
    (YEAR, re.compile(r"^(\d{4})年?$", re.ASCII)),
    (HALF, re.compile(r"^(\d{4})H([12])$", re.ASCII)),
    (QUARTER, re.compile(r"^(\d{4})Q([1-4])$", re.ASCII)),
    (MONTH, re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$", re.ASCII)),
)


def parse_period(raw: object) -> Period:
    """Parse ``2023``, ``2023H1``, ``2023Q1``, ``2023-01`` (also Excel dates and ``2023-1``)."""
    if isinstance(raw, dt.datetime | dt.date):  # Excel turns "2023-01" typed in a cell into a date
        return Period(raw.year, MONTH, raw.month)
    if isinstance(raw, float) and raw.is_integer():  # a year typed into a number cell
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = str(raw or "").strip().upper().replace(" ", "")
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind != YEAR else 0
            if not 2000 <= year <= 2099:
                raise IndicatorInputError(f"期间“{text}”的年份应在2000至2099之间。")
            if kind == MONTH and not 1 <= index <= 12:
                raise IndicatorInputError(f"期间“{text}”的月份应为01至12。")
            return Period(year, kind, index)
    raise IndicatorInputError(f"期间格式不正确：“{text or '（空）'}”。")


def parse_period_for(spec: IndicatorSpec, raw: object) -> Period:
    try:
        period = parse_period(raw)
    except IndicatorInputError as exc:
        raise IndicatorInputError(f"{exc}{spec.label}的期间可填：{spec.period_help()}。") from exc
    if period.kind not in spec.periods:
        raise IndicatorInputError(
            f"{spec.label}不按{PERIOD_KIND_LABELS[period.kind]}填报（“{period}”）；"
            f"可填：{spec.period_help()}。"
        )
    return period


# --- values ---------------------------------------------------------------------

# Far above any real figure (10万亿元 in fen) and far below BIGINT's limit, so a typo such
# as "1e30" is refused with a message instead of overflowing the column.
MAX_STORED = 10**15


def parse_value(spec: IndicatorSpec, raw: object) -> int:
    """The figure as stored (fen / kWh / persons). Refuses junk, negatives and lost precision."""
    if spec.kind == "money":
        try:
            amount = parse_yuan(raw)
        except MoneyError as exc:
            shown = "（空）" if raw in (None, "") else f"“{raw}”"
            if "负" in str(exc):
                raise IndicatorInputError(f"{spec.label}不能为负数：{shown}。") from exc
            if "过大" in str(exc):
                raise IndicatorInputError(
                    f"{spec.label}数值过大：{shown}，请核对单位（金额以元为单位）。"
                ) from exc
            raise IndicatorInputError(f"数值不是数字：{shown}。") from exc
        if amount > MAX_STORED / 100:
            raise IndicatorInputError(
                f"{spec.label}数值过大：“{raw}”，请核对单位（金额以元为单位）。"
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise IndicatorInputError(f"{spec.label}以元为单位，最多保留两位小数：“{raw}”。")
        return to_fen(amount)
    number = _decimal(raw)
    if number < 0:
        raise IndicatorInputError(f"{spec.label}不能为负数：“{raw}”。")
    if number > MAX_STORED:
        raise IndicatorInputError(f"{spec.label}数值过大：“{raw}”，请核对单位（{spec.unit}）。")
    if number != number.to_integral_value():
        raise IndicatorInputError(f"{spec.label}应为整数（单位：{spec.unit}）：“{raw}”。")
    return int(number)


# --- plausibility (needs both the value and its period) -----------------------------

# The most a single enterprise can report for one period, in the base unit, with the words the
# message uses. Far above any real applicant (the largest groups in China take in about
# 4万亿元 a year, not one legal entity in one city), so only typos and wrong units (分 typed
# as 元) meet them: 1万亿元 in one quarter is refused, as is anything beyond these.
_PERIOD_WORDS = {YEAR: "一年", HALF: "半年", QUARTER: "一个季度", MONTH: "一个月"}
PLAUSIBLE_MAX: dict[str, dict[str, tuple[int, str]]] = {
    "money": {  # fen
        YEAR: (2 * 10**12 * 100, "2万亿元"),
        HALF: (10**12 * 100, "1万亿元"),
        QUARTER: (5 * 10**11 * 100, "5000亿元"),
        MONTH: (2 * 10**11 * 100, "2000亿元"),
    },
    "kwh": {
        YEAR: (10**11, "1000亿千瓦时"),
        HALF: (5 * 10**10, "500亿千瓦时"),
        QUARTER: (25 * 10**9, "250亿千瓦时"),
        MONTH: (10**10, "100亿千瓦时"),
    },
    "count": dict.fromkeys(ALL_PERIODS, (2 * 10**6, "200万人")),  # a headcount, any period
}


def _shown(spec: IndicatorSpec, stored: int) -> str:
    if spec.kind == "money":
        return f"{from_fen(stored):,.2f}元"
    return f"{stored:,}{spec.unit}"


def implausible_value_problem(spec: IndicatorSpec, period: Period, stored: int) -> str:
    """The Chinese reason a figure is beyond what any enterprise has in its period, or ""."""
    limit, words = PLAUSIBLE_MAX[spec.kind][period.kind]
    if stored <= limit:
        return ""
    within = f"{_PERIOD_WORDS[period.kind]}" if spec.flow else ""
    unit = "金额以元为单位" if spec.kind == "money" else f"单位：{spec.unit}"
    return (
        f"{spec.label}（{period.label}）数值不合理：{within}不应超过{words}，"
        f"您填写的是{_shown(spec, stored)}。请核对数值和单位（{unit}）。"
    )


def period_start(period: Period) -> dt.date:
    """The first day of a period."""
    if period.kind == YEAR:
        return dt.date(period.year, 1, 1)
    month = {HALF: 6, QUARTER: 3, MONTH: 1}[period.kind] * (period.index - 1) + 1
    return dt.date(period.year, month, 1)


def future_period_problem(spec: IndicatorSpec, period: Period, today: dt.date) -> str:
    """The Chinese reason a period cannot have figures yet (it begins after ``today``), or ""."""
    if period_start(period) <= today:
        return ""
    return (
        f"期间“{period}”（{period.label}）尚未开始：今天是{today.year}年{today.month}月"
        f"{today.day}日，不能填报未来期间的{spec.label}。"
    )


def _decimal(raw: object) -> Decimal:
    shown = "（空）" if raw in (None, "") else f"“{raw}”"
    if isinstance(raw, bool) or raw is None:
        raise IndicatorInputError(f"数值不是数字：{shown}。")
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise IndicatorInputError(f"数值不是数字：{shown}。") from exc
    if not number.is_finite():
        raise IndicatorInputError(f"数值不是数字：{shown}。")
    return number


def value_as_decimal(spec: IndicatorSpec, stored: int) -> Decimal:
    """Yuan for money (two places), the plain number otherwise."""
    return from_fen(stored) if spec.kind == "money" else Decimal(stored)


def value_as_text(spec: IndicatorSpec, stored: int) -> str:
    """The API and fact format: yuan strings with two decimals for money, integers otherwise."""
    return format_yuan(from_fen(stored)) if spec.kind == "money" else str(stored)
