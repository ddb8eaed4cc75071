"""Money at the edges: parse, round, convert between yuan (Decimal) and fen (int).

Pure Python (no Django import) so the award engine can use it too. Money is never a float:
inputs go through ``Decimal(str(x))`` and every rounding is half up to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """A value that is not an amount of money (not a number, negative, NaN...)."""


def parse_yuan(value: object, *, allow_negative: bool = False) -> Decimal:
    """Parse a yuan amount from a string, int or Decimal; refuse floats' artefacts and junk.

    Floats are accepted only through ``str()`` so 0.1 stays 0.1. Booleans are refused
    (``True`` is an int in Python, never an amount).
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError("不是有效金额")
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError("不是有效金额") from exc
    if not amount.is_finite():
        raise MoneyError("不是有效金额")
    if amount < 0 and not allow_negative:
        raise MoneyError("金额不能为负数")
    return amount


def round_fen(amount: Decimal) -> Decimal:
    """Round half up to the fen (分): the one rounding rule of the portal."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Yuan (Decimal) -> integer fen, after rounding half up."""
    return int(round_fen(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen -> yuan Decimal with two places."""
    return (Decimal(int(fen)) / 100).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """The API's money format: a yuan string with exactly two decimals, e.g. ``"60000.00"``."""
    return f"{round_fen(amount):.2f}"


def format_wan(amount: Decimal) -> str:
    """For leaders: 万元 with up to two decimals, e.g. ``Decimal("1234567")`` -> ``"123.46万元"``."""
    wan = (amount / Decimal(10000)).quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{wan:,.2f}万元"
