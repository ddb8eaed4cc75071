"""Filters of the dashboard pages: 万元 from fen, shares as percentages."""

from __future__ import annotations

from django import template

from portal.core.money import format_wan, from_fen

register = template.Library()


@register.filter
def fen_wan(value: int | None) -> str:
    """Integer fen as 万元 (``1,234.57万元``); the exact yuan goes in the title beside it."""
    return "" if value is None else format_wan(from_fen(value))


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
