"""The overview's chart data (passed to the page with json_script; drawn by static JS).

Amounts go out as yuan strings (exact, for the tooltip) and as 万元 numbers (for the axes);
each bar or point carries the URL of the filtered case list behind it."""

from __future__ import annotations

from decimal import Decimal

from applications.workflow import Status
from portal.core.money import format_yuan, from_fen


def _wan(fen: int) -> float:
    # display only (axis scale); the exact amount travels next to it as a yuan string
    return float((from_fen(fen) / Decimal(10000)).quantize(Decimal("0.01")))


def _money(fen: int) -> dict:
    return {"wan": _wan(fen), "yuan": format_yuan(from_fen(fen))}


def chart_data(data, cases_url: str) -> dict:
    filt = data.filt
    return {
        "district": [
            {
                "name": r["district"],
                "n": r["n"],
                "approved": _money(r["approved_fen"]),
                "paid": _money(r["paid_fen"]),
                "url": f"{cases_url}?{filt.query(district=r['district_id'])}",
            }
            for r in data.by_district
        ],
        "policy": [
            {
                "name": r["policy"],
                "n": r["n"],
                "approved": _money(r["approved_fen"]),
                "paid": _money(r["paid_fen"]),
                "url": f"{cases_url}?{filt.query(policies=(r['policy_id'],))}",
            }
            for r in data.by_policy
        ],
        "month": [
            {
                "name": r["month"],
                "n": r["n"],
                "approved": _money(r["approved_fen"]),
                "url": f"{cases_url}?{filt.query(month_from=None, month_to=None)}&month={r['month']}",
            }
            for r in data.by_month
        ],
        "funnel": [
            {
                "name": Status(status).label,
                "n": n,
                "url": f"{cases_url}?{filt.query(status=status, stage='')}",
            }
            for status, n in data.funnel
        ],
        "budget": [
            {
                "name": r["label"],
                "budget": _money(r["budget_fen"]),
                "used": _money(r["used_fen"]),
            }
            for r in data.budgets
        ],
    }
