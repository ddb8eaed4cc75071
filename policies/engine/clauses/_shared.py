"""Shapes shared by articles of several policies (not a clause module: registers nothing)."""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import choice, choice_list, flag, money_list
from ..fmt import yuan
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


class TitleLadderClause(Clause):
    """Shape shared by 郑政〔2023〕23号第15条 and 郑政办〔2022〕55号第15条: a one-off award per
    title, paid as a tier difference (级差) against the titles already rewarded.

    Subclasses set ``titles`` (choice value -> Chinese name) and ``amounts`` (choice value ->
    yuan string, the policy text's figures); facts and the editable amount table follow.
    """

    titles: dict[str, str] = {}
    amounts: dict[str, str] = {}
    combine = "tier_difference"
    matters = ("smart_manufacturing_title",)
    ladder = "smart_manufacturing_title"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.facts = (
            choice("title", "本次获评称号", cls.titles),
            # 级差 reads the titles already rewarded: optional by the award contract, but never
            # defaulted (an empty list says "none"), or leaving it out would pay the full amount.
            choice_list(
                "previous_titles",
                "此前已获奖励的称号",
                cls.titles,
                required=False,
                needed_if="title",
                help="没有请不勾选（接口传空列表）",
            ),
        )
        cls.params = (ParamSpec("amounts", "各称号奖励金额", "amounts", cls.amounts),)

    def compute(self, f, p, t):
        amounts, title = p["amounts"], f["title"]
        t.reason(f"本次获评：{self.titles[title]}")
        full = blocks.fixed(t, f"{self.titles[title]}奖励标准", amounts[title])
        for previous in f["previous_titles"]:
            t.step(f"此前已获：{self.titles[previous]}", yuan(amounts[previous]))
        return blocks.tier_difference(
            t, "按级差奖励", full, [amounts[x] for x in f["previous_titles"]]
        )
