"""Exact splitting of an amount in fen: instalments and city/district shares. Pure Python.

Every split is computed in integer fen with exact fractions, so the parts always add up to
the whole. Where a fen cannot be divided:

* between city and district, the district gets the floor of its ratio and the **city share
  takes the odd fen** (市级承担尾差): the city treasury issues the policy, so it absorbs it;
* between instalments, each instalment but the last gets the floor of its percentage and the
  **last instalment takes the remainder**.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from portal.core.errors import DomainError


def _ratio(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or value is None:
        raise DomainError(f"{what}设置有误，请联系政策管理员。")
    try:
        ratio = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{what}设置有误，请联系政策管理员。") from exc
    if ratio < 0:
        raise DomainError(f"{what}设置有误，请联系政策管理员。")
    return ratio


def parse_funding_split(split: dict | None) -> tuple[Fraction, Fraction]:
    """(city, district) weights. No split written in the policy means the city pays it all."""
    if not split:
        return Fraction(1), Fraction(0)
    city = _ratio(split.get("city", 0), "资金分担比例")
    district = _ratio(split.get("district", 0), "资金分担比例")
    if city + district == 0:
        raise DomainError("资金分担比例设置有误，请联系政策管理员。")
    return city, district


def split_city_district(total_fen: int, split: dict | None) -> tuple[int, int]:
    """(city_fen, district_fen) adding up to ``total_fen``; the odd fen goes to the city."""
    if total_fen < 0:
        raise ValueError("total_fen must be >= 0")
    city, district = parse_funding_split(split)
    district_fen = int(total_fen * district / (city + district))  # floor: both are >= 0
    return total_fen - district_fen, district_fen


def instalment_percents(schedule: list | None) -> list[Fraction]:
    """The percentages of a payment schedule; one instalment of 100% unless it states shares.

    Rows without a number (``share: null``, amounts determined year by year as separate
    applications) mean the award is paid at once.
    """
    rows = schedule or []
    if len(rows) <= 1 or any(not isinstance(r, dict) or r.get("share") in (None, "") for r in rows):
        return [Fraction(100)]
    percents = [_ratio(r["share"], "拨付安排") for r in rows]
    if sum(percents) == 0:
        raise DomainError("拨付安排设置有误，请联系政策管理员。")
    return percents


def split_instalments(total_fen: int, percents: list[Fraction]) -> list[int]:
    """Amounts per instalment adding up to ``total_fen``; the last one takes the remainder."""
    whole = sum(percents)
    parts = [int(total_fen * p / whole) for p in percents[:-1]]
    return [*parts, total_fen - sum(parts)]
