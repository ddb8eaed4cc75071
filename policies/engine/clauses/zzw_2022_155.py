"""郑政文〔2022〕155号《郑州市促进工业经济扩增量稳存量提质量若干政策措施》(seed 000).

One class per monetary article, registered under ``zzw-2022-155/<article>``. Numbers are
params (defaults from the text); the formula shape is code. Readings follow
``shared/spec/award-contract.md``. Policy-wide: 与国家、省、市其他同类政策标准不一致的，按从高不重复
原则执行 (see ``stacking_groups``); 奖补资金由市级和区县（市）财政按照1∶1比例分担 (finance).
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import area, choice, flag, integer, kwh, money, percent
from ..fmt import pct, qty, yuan
from ..params import ParamSpec
from ..registry import register
from ..result import Trace
from ._shared import CHAIN_FACTS, chain_leader_award, chain_params

ABOVE_SCALE = flag("above_scale", "规模以上工业企业", help="已纳入规模以上工业统计库")
MANUFACTURING = flag("manufacturing", "制造业企业")


def _scale_checks(t: Trace, f: dict, *, manufacturing: bool = True) -> bool:
    ok = t.check(f["above_scale"], "企业为规模以上工业企业", "企业不是规模以上工业企业")
    if manufacturing:
        ok &= t.check(f["manufacturing"], "企业为制造业企业", "企业不是制造业企业")
    return ok


@register
class Zzw2022_155_1(Clause):
    """郑政文〔2022〕155号 第1条（抓好双节期间企业生产组织）：
    “对2023年第一季度用电量不低于去年同期且月均用电量达到去年月均用电量峰值80％以上的满负荷
    生产规模以上制造业企业给予20万元一次性奖励。”
    Contract reading: Q1 2023 ≥ Q1 2022, and the Q1 2023 monthly average (÷3) ≥ 80 % of the
    2022 peak month.
    """

    code, article, title = "zzw-2022-155/1", "第1条", "满负荷生产奖励"
    facts = (
        ABOVE_SCALE,
        MANUFACTURING,
        kwh("elec_q1_2023_kwh", "2023年一季度用电量"),
        kwh("elec_q1_2022_kwh", "2022年一季度用电量"),
        kwh("elec_peak_month_2022_kwh", "2022年月用电量峰值", help="2022年用电量最高的一个月"),
    )
    params = (
        ParamSpec("same_period", "一季度用电量较去年同期（不低于）", "comparator", ">="),
        ParamSpec("peak_share", "月均用电量占去年峰值比例", "threshold", ">=80"),
        ParamSpec("amount", "奖励金额", "money", "200000"),
    )
    matters = ("full_load_production_q1_2023",)
    fixed_period = "2023Q1"  # 2023年第一季度: the text fixes the period

    def compute(self, f, p, t):
        ok = _scale_checks(t, f)
        q23, q22 = f["elec_q1_2023_kwh"], f["elec_q1_2022_kwh"]
        same = blocks.Threshold(q22, p["same_period"])
        ok &= t.check(
            same.met(q23),
            f"2023年一季度用电量{qty(q23, 'kWh')}不低于去年同期{qty(q22, 'kWh')}",
            f"2023年一季度用电量{qty(q23, 'kWh')}低于去年同期{qty(q22, 'kWh')}",
        )
        avg, peak, share = q23 / 3, f["elec_peak_month_2022_kwh"], p["peak_share"]
        t.step(
            "2023年一季度月均用电量：一季度用电量 ÷ 3",
            f"{qty(avg.quantize(Decimal('0.01')), 'kWh')}",
        )
        # Compare avg*100 with share*peak, without dividing by the peak (which may be 0).
        met = blocks.Threshold(share.value * peak, share.op).met(avg * 100)
        ok &= t.check(
            met,
            f"月均用电量{share.words('%')}去年月均用电量峰值{qty(peak, 'kWh')}",
            f"月均用电量未{share.words('%')}去年月均用电量峰值{qty(peak, 'kWh')}",
        )
        return blocks.fixed(t, "满负荷生产一次性奖励", p["amount"]) if ok else ZERO


@register
class Zzw2022_155_2(Clause):
    """郑政文〔2022〕155号 第2条（支持工业企业增产增效）：
    “对2023年第一季度营业收入同比增长10％以上的规模以上制造业企业，营业收入每增加1000万元，
    奖励2万元，单户企业最高奖励100万元。”  Only whole steps of 10,000,000 count.
    """

    code, article, title = "zzw-2022-155/2", "第2条", "一季度增产增效奖励"
    facts = (
        ABOVE_SCALE,
        MANUFACTURING,
        money("revenue_q1_2023", "2023年一季度营业收入"),
        money("revenue_q1_2022", "2022年一季度营业收入"),
    )
    params = (
        ParamSpec("growth", "营业收入同比增速门槛（%）", "threshold", ">=10"),
        ParamSpec("step", "每增加营业收入", "money", "10000000"),
        ParamSpec("per_step", "每档奖励", "money", "20000"),
        ParamSpec("cap", "单户企业最高奖励", "cap", "1000000"),
    )
    matters = ("q1_2023_revenue_growth",)
    fixed_period = "2023Q1"  # 2023年第一季度: the text fixes the period
    stacks_with = ("zzw-2022-155/3",)

    def compute(self, f, p, t):
        ok = _scale_checks(t, f)
        cur, prev = f["revenue_q1_2023"], f["revenue_q1_2022"]
        ok &= blocks.growth_check(t, "一季度营业收入", cur, prev, p["growth"]) is not None
        if not ok:
            return ZERO
        return blocks.whole_steps(
            t, "营业收入增量奖励", cur - prev, p["step"], p["per_step"], p["cap"]
        )


@register
class Zzw2022_155_3(Clause):
    """郑政文〔2022〕155号 第3条（支持企业入库加快发展）：
    “对新增纳入2022年工业战略性新兴产业年报库的规模以上工业企业给予10万元一次性奖励；对2023年
    一季度新投产入库企业，在原有奖励基础上，再给予10万元一次性奖励；对2022年以来新纳入规模以上
    工业统计库且一季度营业收入同比增长10％以上的企业，给予10万元奖励，在此基础上，企业营业收入
    增速每再增加1个百分点，给予2万元奖励，每家企业最高奖励50万元。”
    Contract reading: (a) + (b) + (c); the 50万 cap applies to (c).
    """

    code, article, title = "zzw-2022-155/3", "第3条", "入库奖励"
    combine = "sum"
    facts = (
        ABOVE_SCALE,
        flag("new_sei_db_2022", "新增纳入2022年工业战略性新兴产业年报库", required=False),
        flag("commissioned_q1_2023", "2023年一季度新投产入库", required=False),
        flag("new_above_scale_since_2022", "2022年以来新纳入规模以上工业统计库", required=False),
        money("revenue_q1_2023", "2023年一季度营业收入"),
        money("revenue_q1_2022", "2022年一季度营业收入"),
    )
    params = (
        ParamSpec("sei_db_amount", "（一）新增入战略性新兴产业年报库奖励", "money", "100000"),
        ParamSpec("commissioned_amount", "（二）新投产入库再奖励", "money", "100000"),
        ParamSpec("growth", "（三）营业收入同比增速门槛（%）", "threshold", ">=10"),
        ParamSpec("base_amount", "（三）新升规基础奖励", "money", "100000"),
        ParamSpec("points", "（三）每再增加百分点数", "number", "1"),
        ParamSpec("per_point", "（三）每档奖励", "money", "20000"),
        ParamSpec("cap", "（三）每家企业最高奖励", "cap", "500000"),
    )
    matters = ("sei_database_entry", "q1_2023_revenue_growth")
    fixed_period = "2023Q1"  # 2023年第一季度: the text fixes the period
    stacks_with = ("zzw-2022-155/2",)

    def compute(self, f, p, t):
        if not _scale_checks(t, f, manufacturing=False):
            return ZERO
        parts = []
        if f["new_sei_db_2022"]:
            parts.append(("（一）", blocks.fixed(t, "（一）新增入库奖励", p["sei_db_amount"])))
        else:
            t.reason("（一）未新增纳入2022年工业战略性新兴产业年报库")
        if f["commissioned_q1_2023"]:
            parts.append(
                ("（二）", blocks.fixed(t, "（二）新投产入库再奖励", p["commissioned_amount"]))
            )
        else:
            t.reason("（二）非2023年一季度新投产入库企业")
        if f["new_above_scale_since_2022"]:
            growth = blocks.growth_check(
                t, "（三）一季度营业收入", f["revenue_q1_2023"], f["revenue_q1_2022"],
                p["growth"], required=False,
            )  # fmt: skip
            if growth is not None:
                base = blocks.fixed(t, "（三）新升规基础奖励", p["base_amount"])
                extra = blocks.growth_points(
                    t, "（三）增速每再增加", growth, p["growth"].value, p["points"], p["per_point"]
                )
                parts.append(
                    ("（三）", blocks.cap_at(t, "（三）新升规奖励", base + extra, p["cap"]))
                )
        else:
            t.reason("（三）非2022年以来新纳入规模以上工业统计库企业")
        return blocks.capped_sum(t, "合计", parts)


@register
class Zzw2022_155_4(Clause):
    """郑政文〔2022〕155号 第4条（支持工业项目加快投资）：
    “对在固定资产投资库的工业项目，2023年第一季度累计投资达到5亿元以上的奖励30万元；对2023年
    新增入库且一季度累计投资达到10亿元的奖励100万元，投资额每增加1000万元奖励3万元，单户企业
    最高奖励300万元。”  Contract reading: meeting (b) gives (b) only (从高不重复).
    """

    code, article, title = "zzw-2022-155/4", "第4条", "工业项目投资奖励"
    combine = "exclusive"
    facts = (
        flag("in_fai_db", "项目在固定资产投资库"),
        flag("new_in_fai_db_2023", "2023年新增入库", required=False),
        money("investment_q1_2023", "2023年一季度累计投资"),
    )
    params = (
        ParamSpec("a_threshold", "（一）累计投资门槛", "threshold", ">=500000000"),
        ParamSpec("a_amount", "（一）奖励金额", "money", "300000"),
        ParamSpec("b_threshold", "（二）新入库累计投资门槛", "threshold", ">=1000000000"),
        ParamSpec("b_amount", "（二）基础奖励", "money", "1000000"),
        ParamSpec("b_step", "（二）每增加投资额", "money", "10000000"),
        ParamSpec("b_per_step", "（二）每档奖励", "money", "30000"),
        ParamSpec("cap", "单户企业最高奖励", "cap", "3000000"),
    )
    matters = ("fixed_asset_investment_q1_2023",)
    fixed_period = "2023Q1"  # 2023年第一季度: the text fixes the period

    def compute(self, f, p, t):
        if not t.check(f["in_fai_db"], "项目在固定资产投资库", "项目不在固定资产投资库"):
            return ZERO
        inv = f["investment_q1_2023"]
        a_thr, b_thr = p["a_threshold"], p["b_threshold"]
        if f["new_in_fai_db_2023"] and b_thr.met(inv):
            t.reason(
                f"2023年新增入库且一季度累计投资{b_thr.words('元')}，适用（二），不再享受（一）"
            )
            base = blocks.fixed(t, "（二）基础奖励", p["b_amount"])
            extra = blocks.whole_steps(
                t, "（二）超出部分每增加", inv - b_thr.value, p["b_step"], p["b_per_step"]
            )
            return blocks.cap_at(t, "（二）合计", base + extra, p["cap"])
        if t.check(
            a_thr.met(inv),
            f"一季度累计投资{yuan(inv)}，{a_thr.words('元')}",
            f"一季度累计投资{yuan(inv)}，未{a_thr.words('元')}",
        ):
            return blocks.fixed(t, "（一）投资奖励", p["a_amount"])
        return ZERO


@register
class Zzw2022_155_5(Clause):
    """郑政文〔2022〕155号 第5条（支持招商项目履约开工）：
    “对2023年一季度正式签约且开工建设的工业项目，合同投资额达到5亿元、10亿元、30亿元和50亿元的
    分别给予10万元、30万元、100万元和200万元开工奖励。”  Highest tier reached.
    """

    code, article, title = "zzw-2022-155/5", "第5条", "招商项目开工奖励"
    facts = (
        flag("signed_and_started_q1_2023", "2023年一季度正式签约且开工建设"),
        money("contract_investment", "合同投资额"),
    )
    params = (
        ParamSpec(
            "tiers",
            "合同投资额档位",
            "tiers",
            [
                {"value": "500000000", "op": ">=", "amount": "100000"},
                {"value": "1000000000", "op": ">=", "amount": "300000"},
                {"value": "3000000000", "op": ">=", "amount": "1000000"},
                {"value": "5000000000", "op": ">=", "amount": "2000000"},
            ],
        ),
    )
    matters = ("investment_project_start",)
    fixed_period = "2023Q1"  # 2023年第一季度: the text fixes the period

    def compute(self, f, p, t):
        if not t.check(
            f["signed_and_started_q1_2023"],
            "项目于2023年一季度正式签约且开工建设",
            "项目未在2023年一季度正式签约并开工建设",
        ):
            return ZERO
        return blocks.highest_tier(t, "开工奖励", f["contract_investment"], p["tiers"])


@register
class Zzw2022_155_6(Clause):
    """郑政文〔2022〕155号 第6条（支持工业企业拓展国内国际市场）：
    “支持我市规模以上工业企业举办新品发布会、宣传推介会、订货会和经销商大会等活动，按照实际场地
    租赁费及会场搭建费用给予50％的补贴，每家企业每年补贴金额不超过100万元。……对2022年度出口额
    超1亿元且2023年出口额同比增长超20％的规模以上工业企业，每增加1个百分点，奖励5万元，单户企业
    最高奖励200万元。”  Contract reading: (b) counts whole points above 20 %; (a)+(b).
    (参加展销会、博览会“按照有关政策给予补贴”：no figure here, see e.g. zz-2023-23/20.)
    """

    code, article, title = "zzw-2022-155/6", "第6条", "拓展国内国际市场"
    combine = "sum"
    facts = (
        ABOVE_SCALE,
        money("event_costs", "活动场地租赁费及会场搭建费", required=False,
              help="新品发布会、宣传推介会、订货会、经销商大会等"),
        money("exports_2022", "2022年度出口额", required=False),
        percent("export_growth_2023_pct", "2023年出口额同比增长", required=False),
    )  # fmt: skip
    params = (
        ParamSpec("event_rate", "（一）活动费用补贴比例（%）", "percent", "50"),
        ParamSpec("event_cap", "（一）每年最高补贴", "cap", "1000000"),
        ParamSpec("exports_threshold", "（二）2022年出口额门槛", "threshold", ">100000000"),
        ParamSpec("growth", "（二）出口增速门槛（%）", "threshold", ">20"),
        ParamSpec("points", "（二）每增加百分点数", "number", "1"),
        ParamSpec("per_point", "（二）每档奖励", "money", "50000"),
        ParamSpec("export_cap", "（二）单户企业最高奖励", "cap", "2000000"),
    )
    matters = ("promotion_events", "export_growth_2023")

    def compute(self, f, p, t):
        if not _scale_checks(t, f, manufacturing=False):
            return ZERO
        parts = []
        if f["event_costs"] > 0:
            parts.append(
                ("（一）", blocks.percent_of(t, "（一）活动费用补贴", f["event_costs"],
                                           p["event_rate"], p["event_cap"]))
            )  # fmt: skip
        else:
            t.reason("（一）未填报活动场地租赁及搭建费用")
        exports, growth = f["exports_2022"], f["export_growth_2023_pct"]
        e_thr, g_thr = p["exports_threshold"], p["growth"]
        if not e_thr.met(exports):
            t.reason(f"（二）2022年度出口额{yuan(exports)}，未{e_thr.words('元')}")
        elif not g_thr.met(growth):
            t.reason(f"（二）2023年出口额同比增长{pct(growth)}，未{g_thr.words('%')}")
        else:
            t.reason(f"（二）2022年度出口额{e_thr.words('元')}且2023年增速{g_thr.words('%')}")
            parts.append(
                ("（二）", blocks.growth_points(t, "（二）出口增长奖励", growth, g_thr.value,
                                              p["points"], p["per_point"], p["export_cap"]))
            )  # fmt: skip
        return blocks.capped_sum(t, "合计", parts)


@register
class Zzw2022_155_7(Clause):
    """郑政文〔2022〕155号 第7条（鼓励工业企业扩大产销规模）：
    “对2023年上半年营业收入同比增加5000万元及以上的规模以上制造业企业，对其营业收入同比增量部分
    给予1％的奖励，每家企业最高奖励200万元……；对2023年营业收入同比增加1亿元及以上的规模以上制造业
    企业，对其营业收入同比增量部分给予0.5％的奖励，每家企业最高奖励200万元。”  (a)+(b).
    """

    code, article, title = "zzw-2022-155/7", "第7条", "扩大产销规模奖励"
    combine = "sum"
    facts = (
        ABOVE_SCALE,
        MANUFACTURING,
        money("revenue_h1_2023", "2023年上半年营业收入", required=False),
        money(
            "revenue_h1_2022", "2022年上半年营业收入", required=False, needed_if="revenue_h1_2023"
        ),
        money("revenue_2023", "2023年营业收入", required=False),
        money("revenue_2022", "2022年营业收入", required=False, needed_if="revenue_2023"),
    )
    params = (
        ParamSpec("h1_threshold", "（一）上半年增量门槛", "threshold", ">=50000000", unit="元"),
        ParamSpec("h1_rate", "（一）奖励比例（%）", "percent", "1"),
        ParamSpec("h1_cap", "（一）最高奖励", "cap", "2000000"),
        ParamSpec("year_threshold", "（二）全年增量门槛", "threshold", ">=100000000", unit="元"),
        ParamSpec("year_rate", "（二）奖励比例（%）", "percent", "0.5"),
        ParamSpec("year_cap", "（二）最高奖励", "cap", "2000000"),
    )
    matters = ("h1_2023_revenue_increase", "year_2023_revenue_increase")
    fixed_period = "2023"  # 2023年上半年 / 全年: one award for 2023

    def compute(self, f, p, t):
        if not _scale_checks(t, f):
            return ZERO
        parts = []
        for key, item, label, cur, prev in (
            ("h1", "（一）", "上半年营业收入增量", f["revenue_h1_2023"], f["revenue_h1_2022"]),
            ("year", "（二）", "全年营业收入增量", f["revenue_2023"], f["revenue_2022"]),
        ):
            label = item + label
            increase = cur - prev
            t.step(f"{label}：{yuan(cur)} − {yuan(prev)}", yuan(increase))
            thr = p[f"{key}_threshold"]
            if thr.met(increase):
                t.reason(f"{label}{thr.words('元')}")
                amount = blocks.percent_of(t, label, increase, p[f"{key}_rate"], p[f"{key}_cap"])
                parts.append((item, amount))
            else:
                t.reason(f"{label}未{thr.words('元')}")
        return blocks.capped_sum(t, "合计", parts)


@register
class Zzw2022_155_9(Clause):
    """郑政文〔2022〕155号 第9条（鼓励“链主”企业带动产业链上下游企业协同发展）：
    “对‘链主’企业采购或委托加工现有供应链内符合条件的工业企业产品、且单家企业的采购或委托加工额
    达到500万元以上的，按照采购或委托加工额的1％给予奖励，最高不超过100万元；对采购或委托加工现有
    供应链体系外的新增配套的符合条件的工业企业产品、且单家企业的额度达到200万元以上的，按照采购或
    委托加工额的1.5％给予奖励，最高不超过200万元。”
    """

    code, article, title = "zzw-2022-155/9", "第9条", "“链主”企业采购奖励"
    combine = "sum"
    facts = CHAIN_FACTS
    params = chain_params("1", "1000000", "1.5", "2000000")
    matters = ("chain_leader_purchases",)
    stacking_groups = ("chain_leader_purchases",)

    def compute(self, f, p, t):
        return chain_leader_award(f, p, t)


def _area_tiers(a30: str, a20: str, a10: str) -> list[dict[str, str]]:
    return [
        {"value": "10000", "op": ">=", "amount": a10},
        {"value": "20000", "op": ">=", "amount": a20},
        {"value": "30000", "op": ">=", "amount": a30},
    ]


@register
class Zzw2022_155_10(Clause):
    """郑政文〔2022〕155号 第10条（支持工业企业开展楼宇经营）：
    “对通过租赁方式入驻工业楼宇3年以上的工业企业，面积达到3万平方米、2万平方米、1万平方米的企业，
    分别给予30万元、20万元、10万元的一次性补助；通过购买工业楼宇产权，面积达到3万平方米、2万平方米、
    1万平方米的企业，在属地经营并产生经济贡献后，给予100万元、70万元、50万元的一次性补助。”
    """

    code, article, title = "zzw-2022-155/10", "第10条", "工业楼宇入驻补助"
    facts = (
        flag("industrial", "工业企业"),
        choice("tenure", "入驻方式", {"lease": "租赁", "purchase": "购买产权"}),
        integer("lease_years", "租赁年限", required=False, unit="年"),
        area("floor_area_m2", "工业楼宇面积"),
    )

    params = (
        ParamSpec("lease_years_min", "租赁年限门槛（年）", "threshold", ">=3"),
        ParamSpec(
            "lease_tiers", "租赁面积档位", "tiers", _area_tiers("300000", "200000", "100000")
        ),
        ParamSpec(
            "purchase_tiers", "购买面积档位", "tiers", _area_tiers("1000000", "700000", "500000")
        ),
    )
    matters = ("industrial_building_settlement",)

    def compute(self, f, p, t):
        if not t.check(f["industrial"], "企业为工业企业", "企业不是工业企业"):
            return ZERO
        area_m2 = f["floor_area_m2"]
        if f["tenure"] == "lease":
            years, thr = Decimal(f["lease_years"]), p["lease_years_min"]
            if not t.check(
                thr.met(years),
                f"租赁入驻{f['lease_years']}年，{thr.words('年')}",
                f"租赁入驻{f['lease_years']}年，未{thr.words('年')}",
            ):
                return ZERO
            return blocks.highest_tier(t, "租赁入驻补助", area_m2, p["lease_tiers"], "m²")
        t.reason("购买产权的须在属地经营并产生经济贡献后兑付（由审核人员核实）")
        return blocks.highest_tier(t, "购买产权补助", area_m2, p["purchase_tiers"], "m²")


@register
class Zzw2022_155_12(Clause):
    """郑政文〔2022〕155号 第12条（持续实施“万企上云上平台”行动）：
    “每年安排不超过3000万元‘上云上平台’服务券，上云企业根据‘星级’评定结果和产品类别申领，每家
    企业每年最高申领100万元。”  The per-star amounts are not in the text: the amount is the
    voucher amount the star rating entitles to, up to 1,000,000 (a ceiling; the 3000万 annual
    pool is a budget limit checked by the department).
    """

    code, article, title = "zzw-2022-155/12", "第12条", "上云上平台服务券"
    is_ceiling = True
    facts = (
        flag("cloud_star_rated", "上云企业已获“星级”评定"),
        money("voucher_amount", "按星级和产品类别可申领的服务券金额"),
    )
    params = (ParamSpec("cap", "每家企业每年最高申领", "money", "1000000"),)
    matters = ("cloud_platform_vouchers",)
    stacking_groups = ("cloud_platform_vouchers",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(f["cloud_star_rated"], "上云企业已获星级评定", "企业未获上云“星级”评定"):
            return ZERO
        t.step("按星级和产品类别可申领金额", yuan(f["voucher_amount"]))
        return blocks.cap_at(t, "上云上平台服务券", f["voucher_amount"], p["cap"])


@register
class Zzw2022_155_19(Clause):
    """郑政文〔2022〕155号 第19条（强化企业家队伍建设）：
    “每年组织100名领航计划企业家到国外知名高校和知名企业培训考察，给予培训经费（除交通费外）
    补助”。The text gives no figure: no_formula, amount decided by the department.
    """

    code, article, title = "zzw-2022-155/19", "第19条", "领航计划企业家培训补助"
    computable = False
    facts = (flag("leading_entrepreneur_trainee", "领航计划企业家参加组织的国外培训考察"),)
    matters = ("entrepreneur_training",)

    def compute(self, f, p, t):
        if t.check(
            f["leading_entrepreneur_trainee"],
            "领航计划企业家参加市里组织的国外培训考察",
            "非领航计划组织的国外培训考察",
        ):
            t.reason("按实际培训经费（除交通费外）给予补助，政策原文未规定金额，由主管部门核定")
        return ZERO
