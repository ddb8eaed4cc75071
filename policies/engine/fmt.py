"""Display helpers for trace lines (pure, Decimal only)."""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import format_yuan


def num(value: Decimal | int) -> str:
    """A plain number without exponent or useless trailing zeros: 1E+8 -> "100000000"."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def yuan(value: Decimal) -> str:
    """Money in a trace line: "60000.00元"."""
    return f"{format_yuan(value)}元"


def pct(value: Decimal) -> str:
    """Percent points: Decimal("12.5") -> "12.5%"."""
    return f"{num(value)}%"
