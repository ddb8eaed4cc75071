"""Numbers as a policy officer writes them, and as a sentence shows them (pure).

``"1000万"``, ``"1亿元"``, ``"30%"``, ``"2.5"`` and ``200000`` are all accepted; a float is read
through ``str()`` and never used for arithmetic. Sentences show money in 万元/亿元 when exact.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from portal.core.money import MAX_YUAN

from ..fmt import num

_NUMBER = re.compile(r"^\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万|亿)?\s*(元|%|个百分点)?\s*$")
_SCALE = {None: Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
WAN, YI = Decimal(10_000), Decimal(100_000_000)


class NotANumber(ValueError):
    """The text is not a non-negative number (message in Chinese)."""


def parse_number(raw: object) -> Decimal:
    """A non-negative Decimal from ``raw``; ``NotANumber`` with a Chinese message otherwise."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict):
        raise NotANumber(f"应为数字，写的是 {_shown(raw)}")
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
        if text.startswith("-"):
            raise NotANumber(f"不能为负数：{text}")
        match = _NUMBER.match(text) if "e" not in text.lower() else None
        if match is None:
            try:
                value = Decimal(text)
            except InvalidOperation as exc:
                raise NotANumber(f"应为数字，写的是 {text}") from exc
            return _checked(value, text)
    else:
        text = str(raw)  # full-width digits, ，and ％ as an input method types them: NFKC
        match = _NUMBER.match(unicodedata.normalize("NFKC", text))
        if match is None:
            raise NotANumber(f"应为数字（可写作 1000万、1.5亿、30%），写的是「{text}」")
    digits = match.group(1).replace(",", "").replace("，", "")
    value = Decimal(digits) * _SCALE[match.group(2)]
    return _checked(value, text)


def _checked(value: Decimal, text: str) -> Decimal:
    if not value.is_finite() or value < 0:
        raise NotANumber(f"应为不小于0的数字，写的是「{text}」")
    if value >= MAX_YUAN:
        raise NotANumber(f"数值过大，请核对单位：「{text}」")
    return value


def _shown(raw: object) -> str:
    if raw is None:
        return "空"
    if isinstance(raw, bool):
        return "是" if raw else "否"
    return f"「{raw}」"


def money_words(amount: Decimal) -> str:
    """100000000 -> "1亿元", 20000 -> "2万元", 8000 -> "8000元", 0.5 -> "0.5元"."""
    if amount >= YI and (amount / YI * 100) == (amount / YI * 100).to_integral_value():
        return f"{num(amount / YI)}亿元"
    if amount >= WAN and (amount / WAN * 100) == (amount / WAN * 100).to_integral_value():
        return f"{num(amount / WAN)}万元"
    return f"{num(amount)}元"


def quantity_words(value: Decimal, unit: str) -> str:
    """A threshold in a sentence: money in 万元/亿元, others with their unit."""
    if unit == "元":
        return money_words(value)
    return f"{num(value)}{unit}"
