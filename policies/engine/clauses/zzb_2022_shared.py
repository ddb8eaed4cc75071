"""Shapes shared by the seven industry policies 郑政办〔2022〕51号–57号 (seed 004, 郑州市人民政府
公报 2022年第6号). Registers nothing; the clause modules ``zzb_2022_51`` … ``zzb_2022_57`` use it.

Readings common to these texts (see each clause for its own):
- 以上 / 达到 / 不低于 / 及以上 are ``>=``; 超过 / 突破 are ``>``.
- “每增长1个百分点 / 每增长N元” count whole steps only (the award contract's convention).
- Growth is measured against the previous year (“以上年为基数”).
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..blocks import interest_at_capped_rate  # noqa: F401  (the clause modules import it here)
from ..facts import flag, money
from ..fmt import grouped, pct, yuan
from ..params import ParamSpec
from ..result import Trace

# Fact dicts for data-declared clauses (names shared with the award contract where they mean
# the same thing: total_investment, completed, exhibition_costs, central_media_ad_costs ...).
COMPLETED = {"name": "completed", "label": "项目已完成（竣工投产）", "kind": "bool"}
TOTAL_INVESTMENT = {"name": "total_investment", "label": "项目总投资", "kind": "money"}
PRODUCTION_EQUIPMENT = {
    "name": "production_equipment_investment",
    "label": "项目生产和设备投资额",
    "kind": "money",
}
EQUIPMENT_SOFTWARE = {
    "name": "equipment_software_investment",
    "label": "设备和软件投资额",
    "kind": "money",
}
EXHIBITION_COSTS = {
    "name": "exhibition_costs",
    "label": "参加展销会、博览会的场地租赁费和布展费（全年）",
    "kind": "money",
    "required": False,
}
AD_COSTS = {
    "name": "central_media_ad_costs",
    "label": "在中央一级媒体的产品广告费（全年）",
    "kind": "money",
    "required": False,
}


def new_project_spec(rate: str, base: str = "production_equipment_investment") -> dict:
    """“对投资在2000万元以上的……新建项目，项目完成后，按照项目生产和设备投资额的12%给予奖励，
    最高不超过1000万元” (51号第3条, 52号第9条, 55号第12条; 54号第3条 on 设备和软件)."""
    return {
        "type": "percent_capped",
        "label": "新建项目奖励",
        "base": base,
        "rate": rate,
        "cap": "10000000",
        "conditions": [
            {"fact": "completed", "no": "项目尚未完成，完成后方可申请"},
            {"fact": "total_investment", "op": ">=", "value": "20000000"},
        ],
    }


def fair_and_ads_spec(enterprise_fact: str) -> dict:
    """“按照场地租赁费、布展费的70%给予补贴，每个企业每年补贴金额不超过100万元。对于在中央一级
    媒体做产品广告的工业企业，按照广告费的5%给予补贴，每户企业每年补贴额不超过200万元”
    (53号第14条, 55号第17条): two sub-items, each with its own yearly cap, added."""
    return {
        "type": "sum",
        "label": "展会和广告补贴",
        "conditions": [enterprise_fact],
        "items": [
            fair_spec(),
            {
                "type": "percent_capped",
                "name": "ads",
                "label": "中央一级媒体广告补贴",
                "base": "central_media_ad_costs",
                "rate": "5",
                "cap": "2000000",
            },
        ],
    }


def fair_spec(name: str = "fair") -> dict:
    """“按照场地租赁费、布展费的70%给予补贴，每个企业每年补贴金额不超过100万元”."""
    return {
        "type": "percent_capped",
        "name": name,
        "label": "展会补贴",
        "base": "exhibition_costs",
        "rate": "70",
        "cap": "1000000",
    }


def growth_or_fail(t: Trace, current: Decimal, previous: Decimal, what: str) -> Decimal | None:
    """Growth over the previous year in percent points; records why when it cannot be had."""
    growth = blocks.growth_pct(current, previous)
    if growth is None:
        t.fail(f"上年{what}为0，无法以上年为基数计算增长")
        return None
    t.step(
        f"{what}增长率：({grouped(current)} − {grouped(previous)}) ÷ {grouped(previous)}",
        pct(growth.quantize(Decimal("0.01"))),
    )
    return growth


def key_sector_facts(sector_label: str) -> tuple:
    """Facts of the growth-point rewards 55号四、2 and 56号四、6 (names as 23号第7条)."""
    return (
        flag("in_database", sector_label),
        money("revenue_year", "本年主营业务收入"),
        money("revenue_prev_year", "上年主营业务收入"),
    )


KEY_SECTOR_PARAMS = (
    ParamSpec("revenue_threshold", "主营业务收入门槛", "threshold", ">=50000000"),
    ParamSpec("points", "每档百分点数", "number", "1"),
    ParamSpec("per_point", "每档奖励", "money", "50000"),
    ParamSpec("cap", "单个企业每年最高", "cap", "3000000"),
)


def key_sector_growth(t: Trace, f: dict, p: dict, sector: str) -> Decimal:
    """“对入库的规模以上……企业，以上年为基数，主营业务收入5000万元以上，每增长1个百分点，奖励
    5万元，单个企业每年最高不超过300万元” (55号四、2, 56号四、6). Reading: the 5000万 is the claim
    year's revenue; whole points of growth over the previous year."""
    ok = t.check(f["in_database"], f"企业为{sector}", f"企业不是{sector}")
    revenue, thr = f["revenue_year"], p["revenue_threshold"]
    ok &= t.check(
        thr.met(revenue),
        f"本年主营业务收入{yuan(revenue)}，{thr.words('元')}",
        f"本年主营业务收入{yuan(revenue)}，未{thr.words('元')}",
    )
    growth = growth_or_fail(t, revenue, f["revenue_prev_year"], "主营业务收入") if ok else None
    if growth is None:
        return ZERO
    return blocks.growth_points(
        t, "主营业务收入增长奖励", growth, ZERO, p["points"], p["per_point"], p["cap"]
    )
