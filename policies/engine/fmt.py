"""Numbers as people read them in trace lines and fact values (pure, Decimal only).

One rule for every page: amounts grouped by thousands with two decimals and the unit after a
space ("1,200,000,000.00 元"), other quantities grouped without useless zeros ("1,240,000 kWh"),
percent points without a space ("12.5%").
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import round_fen


def num(value: Decimal | int) -> str:
    """A plain number without exponent or useless trailing zeros: 1E+8 -> "100000000"."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def grouped(value: Decimal | int) -> str:
    """A number grouped by thousands without useless zeros: 1E+8 -> "100,000,000"."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):,f}"
    return f"{d.normalize():,f}"


def yuan(value: Decimal) -> str:
    """Money: "1,200,000,000.00 元" (rounded half up to the fen)."""
    return f"{round_fen(Decimal(value)):,.2f} 元"


def pct(value: Decimal) -> str:
    """Percent points: Decimal("12.5") -> "12.5%"."""
    return f"{num(value)}%"


def qty(value: Decimal | int, unit: str = "") -> str:
    """A quantity with its unit by the one rule: 元 as money, % tight, others after a space."""
    if unit == "元":
        return yuan(Decimal(value))
    if unit == "%":
        return pct(Decimal(value))
    return f"{grouped(value)} {unit}".rstrip()
