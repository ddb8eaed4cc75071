"""Template helpers shared by every app: money in yuan / 万元, dictionary lookups."""

from __future__ import annotations

from decimal import Decimal

from django import template

from portal.core.money import format_wan, format_yuan, from_fen

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def yuan(value: object) -> str:
    """A Decimal (yuan) as ``1,234,567.89``."""
    if value in (None, ""):
        return ""
    return f"{Decimal(format_yuan(Decimal(str(value)))):,.2f}"


@register.filter
def fen_yuan(value: int | None) -> str:
    return "" if value is None else f"{from_fen(value):,.2f}"


@register.filter
def wan(value: object) -> str:
    return "" if value in (None, "") else format_wan(Decimal(str(value)))
