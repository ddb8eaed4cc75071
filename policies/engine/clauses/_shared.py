"""Shapes shared by articles of several policies (not a clause module: registers nothing)."""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..facts import flag, money_list
from ..params import ParamSpec
from ..result import Trace

CHAIN_FACTS = (
    flag("chain_leader", "“链主”企业"),
    money_list("inchain_purchases", "向现有供应链内各企业的采购或委托加工额", required=False,
               help="每家供应商一个金额"),
    money_list("new_supplier_purchases", "向供应链体系外新增配套各企业的采购或委托加工额",
               required=False, help="每家新增配套供应商一个金额"),
)  # fmt: skip


def chain_leader_award(f: dict, p: dict, t: Trace) -> Decimal:
    """Shared shape of 155/9 and 23/21: per-supplier percentage, two sub-items summed."""
    if not t.check(f["chain_leader"], "企业为“链主”企业", "企业不是“链主”企业"):
        return ZERO
    parts = [
        ("（一）", blocks.per_item_percent(t, "（一）供应链内采购", f["inchain_purchases"],
                                         p["inchain_rate"], p["inchain_threshold"],
                                         p["inchain_cap"])),
        ("（二）", blocks.per_item_percent(t, "（二）新增配套采购", f["new_supplier_purchases"],
                                         p["new_rate"], p["new_threshold"], p["new_cap"])),
    ]  # fmt: skip
    return blocks.capped_sum(t, "合计", parts)


def chain_params(rate_in: str, cap_in: str, rate_new: str, cap_new: str) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("inchain_threshold", "（一）单家采购额门槛", "threshold", ">=5000000"),
        ParamSpec("inchain_rate", "（一）奖励比例（%）", "percent", rate_in),
        ParamSpec("inchain_cap", "（一）最高奖励", "cap", cap_in),
        ParamSpec("new_threshold", "（二）单家采购额门槛", "threshold", ">=2000000"),
        ParamSpec("new_rate", "（二）奖励比例（%）", "percent", rate_new),
        ParamSpec("new_cap", "（二）最高奖励", "cap", cap_new),
    )
