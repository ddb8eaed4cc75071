"""郑政办〔2022〕53号《关于加快新能源及智能网联汽车产业发展的实施意见》(seed 004, L790–L968).

Monetary articles of 四、支持政策, registered as ``zzb-2022-53/<article>``. Line numbers (L…)
point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import choice, flag, integer, money, percent
from ..fmt import pct, qty, yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from .zzb_2022_shared import (
    AD_COSTS,
    EQUIPMENT_SOFTWARE,
    EXHIBITION_COSTS,
    fair_and_ads_spec,
    growth_or_fail,
    interest_at_capped_rate,
)


@register
class Zzb2022_53_1(Clause):
    """郑政办〔2022〕53号 第1条（四、1，加强创新能力建设，L858–L860）：
    “……对已完成产业化的重点研发项目给予补贴，单一项目补贴上限不超过300万元。对列入国家节能与新能源
    汽车重点项目的，财政按照国家补助标准给予1:1配套支持。”
    Reading: (一) gives only a ceiling (300万 per project, floor 0, flagged); (二) matches the
    national subsidy 1:1 with no cap. Added.
    """

    code, article, title = "zzb-2022-53/1", "第1条", "重点研发项目补贴和国家重点项目配套"
    combine = "sum"
    facts = (
        flag(
            "industrialised_key_rd_project",
            "已完成产业化的新能源及智能网联汽车重点研发项目",
            required=False,
        ),
        flag("national_key_project", "列入国家节能与新能源汽车重点项目", required=False),
        money("national_subsidy", "国家补助资金", required=False),
    )
    params = (
        ParamSpec("rd_max", "（一）单一项目补贴上限", "money", "3000000"),
        ParamSpec("match_ratio", "（二）配套比例（1:X）", "ratio", "1"),
    )
    matters = ("nev_key_rd_project",)

    def compute(self, f, p, t):
        parts = []
        if f["industrialised_key_rd_project"]:
            t.is_ceiling = True
            t.floor = ZERO
            t.reason("（一）重点研发项目补贴只规定上限300万元，具体金额由主管部门评审核定")
            parts.append(("（一）", blocks.fixed(t, "（一）重点研发项目补贴上限", p["rd_max"])))
        if f["national_key_project"]:
            t.reason("（二）列入国家节能与新能源汽车重点项目")
            match = blocks.matching_grant(
                t, "（二）国家重点项目配套", f["national_subsidy"], p["match_ratio"]
            )
            parts.append(("（二）", match))
            if t.is_ceiling:  # the band floor: （二） is firm, （一） may be lowered to 0
                t.floor = match
        if not parts:
            t.fail("既非已完成产业化的重点研发项目，也未列入国家节能与新能源汽车重点项目")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)


@register
class Zzb2022_53_2(Clause):
    """郑政办〔2022〕53号 第2条（四、2，加大新品研发，L864）：
    “对生产企业新列入工信部《新能源汽车推广应用推荐车型目录》的单一新车型，每款车型给予10万元的
    一次性奖励，单一企业补贴不超过300万元。新能源及智能网联汽车新品上市一年内销量超过1000台，按照
    销售收入的5%给予研发补贴，每车补贴不超过1万元，单一企业补贴不超过3000万元。”
    Reading: (二) = min(5% × first-year revenue, 1万 × units, 3000万), units > 1000. Added.
    """

    code, article, title = "zzb-2022-53/2", "第2条", "新车型目录奖励和新品研发补贴"
    combine = "sum"
    facts = (
        integer(
            "new_catalogue_models",
            "新列入《新能源汽车推广应用推荐车型目录》的新车型数",
            required=False,
            unit="款",
        ),
        integer("units_first_year", "新品上市一年内销量", required=False, unit="台"),
        money("revenue_first_year", "新品上市一年内销售收入", required=False),
    )
    params = (
        ParamSpec("per_model", "（一）每款车型奖励", "money", "100000"),
        ParamSpec("models_cap", "（一）单一企业最高", "cap", "3000000"),
        ParamSpec("units_threshold", "（二）一年内销量门槛（台）", "threshold", ">1000"),
        ParamSpec("rd_rate", "（二）研发补贴比例（%）", "percent", "5"),
        ParamSpec("per_vehicle_cap", "（二）每车补贴上限", "money", "10000"),
        ParamSpec("rd_cap", "（二）单一企业最高", "cap", "30000000"),
    )
    matters = ("nev_new_model",)
    enterprise_cap_params = ("models_cap", "rd_cap")  # 单一企业…不超过 (no 每年)
    stacking_parts = True

    def compute(self, f, p, t):
        parts = []
        models = f["new_catalogue_models"]
        if models:
            t.reason(f"（一）{models}款新车型新列入《新能源汽车推广应用推荐车型目录》")
            parts.append(
                (
                    "（一）",
                    blocks.whole_steps(
                        t,
                        "（一）新车型目录奖励",
                        Decimal(models),
                        Decimal(1),
                        p["per_model"],
                        p["models_cap"],
                        "款",
                    ),
                )
            )
            t.part("models_cap", parts[-1][1])
        units, thr = Decimal(f["units_first_year"]), p["units_threshold"]
        if thr.met(units):
            t.reason(f"（二）新品上市一年内销量{qty(units, '台')}，{thr.words('台')}")
            per_vehicle = units * p["per_vehicle_cap"]
            t.step(
                f"（二）每车不超过{yuan(p['per_vehicle_cap'])}：{qty(units, '台')}合计上限",
                yuan(per_vehicle),
            )
            subsidy = blocks.percent_of(t, "（二）研发补贴", f["revenue_first_year"], p["rd_rate"])
            subsidy = blocks.cap_at(t, "（二）按每车上限", subsidy, per_vehicle)
            subsidy = blocks.cap_at(t, "（二）研发补贴", subsidy, p["rd_cap"])
            parts.append(("（二）", t.part("rd_cap", subsidy)))
        elif units:
            t.reason(f"（二）新品上市一年内销量{qty(units, '台')}，未{thr.words('台')}")
        if not parts:
            t.fail("无新列入目录的车型，新品一年内销量也未超过1000台")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)


VEHICLE_TYPES = {"passenger": "乘用车", "commercial": "商用车"}


@register
class Zzb2022_53_3(Clause):
    """郑政办〔2022〕53号 第3条（四、3，支持新品上市，L868）：
    “新品获得国家工信部公告之日一年内，乘用车单一新品市场销售2万台或销售收入达到15亿元以上，按照
    销售收入的1%给予奖励，单一企业上限不超过3000万元，市场销售达到10万台或销售收入达到50亿元以上
    的，另外给予1000万元奖励；商用车同一能源类型市场销量超过2000台或销售收入达到5亿元以上，按照
    销售收入的2%给予奖励，单一企业上限不超过2000万元，市场销售达到1万台或销售收入达到30亿元以上
    的，另外给予1000万元奖励。已获得上述奖励的，上市第二年按照相对第一年销售收入增长部分的1%给予
    奖励，乘用车企业上限不超过2000万元，商用车企业上限不超过1000万元。”
    Reading: “销售2万台” is reached at 20,000 (≥); “另外” puts the 1000万 bonus outside the cap;
    an enterprise that already got the first-year reward claims the second-year reward only.
    """

    code, article, title = "zzb-2022-53/3", "第3条", "新品上市奖励"
    facts = (
        choice("vehicle_type", "车辆类别", VEHICLE_TYPES),
        integer(
            "units_first_year",
            "自工信部公告之日起一年内销量",
            unit="台",
            help="商用车按同一能源类型统计",
        ),
        money("revenue_first_year", "自工信部公告之日起一年内销售收入"),
        flag(
            "first_year_award_received",
            "已获得上市第一年奖励（本次申请第二年奖励）",
        ),
        money("revenue_second_year", "上市第二年销售收入", required=False),
    )
    params = (
        ParamSpec("passenger_units", "乘用车销量门槛（台）", "threshold", ">=20000"),
        ParamSpec("passenger_revenue", "乘用车销售收入门槛", "threshold", ">=1500000000"),
        ParamSpec("passenger_rate", "乘用车奖励比例（%）", "percent", "1"),
        ParamSpec("passenger_cap", "乘用车单一企业上限", "cap", "30000000"),
        ParamSpec("passenger_bonus_units", "乘用车另外奖励销量门槛（台）", "threshold", ">=100000"),
        ParamSpec("passenger_bonus_revenue", "乘用车另外奖励收入门槛", "threshold", ">=5000000000"),
        ParamSpec("commercial_units", "商用车销量门槛（台）", "threshold", ">2000"),
        ParamSpec("commercial_revenue", "商用车销售收入门槛", "threshold", ">=500000000"),
        ParamSpec("commercial_rate", "商用车奖励比例（%）", "percent", "2"),
        ParamSpec("commercial_cap", "商用车单一企业上限", "cap", "20000000"),
        ParamSpec("commercial_bonus_units", "商用车另外奖励销量门槛（台）", "threshold", ">=10000"),
        ParamSpec(
            "commercial_bonus_revenue", "商用车另外奖励收入门槛", "threshold", ">=3000000000"
        ),
        ParamSpec("bonus", "另外奖励", "money", "10000000"),
        ParamSpec("second_rate", "第二年增长部分奖励比例（%）", "percent", "1"),
        ParamSpec("passenger_second_cap", "乘用车第二年上限", "cap", "20000000"),
        ParamSpec("commercial_second_cap", "商用车第二年上限", "cap", "10000000"),
    )
    matters = ("nev_new_product_launch",)
    enterprise_cap_params = (
        "passenger_cap", "commercial_cap", "passenger_second_cap", "commercial_second_cap"
    )  # fmt: skip
    stacking_parts = True

    def compute(self, f, p, t):
        kind = f["vehicle_type"]
        t.reason(f"车辆类别：{VEHICLE_TYPES[kind]}")
        if f["first_year_award_received"]:
            increase = max(f["revenue_second_year"] - f["revenue_first_year"], ZERO)
            t.step("上市第二年销售收入较第一年增长", yuan(increase))
            second = blocks.percent_of(
                t, "上市第二年增长奖励", increase, p["second_rate"], p[f"{kind}_second_cap"]
            )
            return t.part(f"{kind}_second_cap", second)
        units, revenue = Decimal(f["units_first_year"]), f["revenue_first_year"]

        def reached(units_key: str, revenue_key: str) -> bool:
            u, r = p[f"{kind}_{units_key}"], p[f"{kind}_{revenue_key}"]
            return u.met(units) or r.met(revenue)

        if not reached("units", "revenue"):
            t.fail(
                f"一年内销量{qty(units, '台')}、销售收入{yuan(revenue)}，未{p[f'{kind}_units'].words('台')}"
                f"，也未{p[f'{kind}_revenue'].words('元')}"
            )
            return ZERO
        reward = blocks.percent_of(t, "上市奖励", revenue, p[f"{kind}_rate"], p[f"{kind}_cap"])
        t.part(f"{kind}_cap", reward)  # “另外” 1000万 is outside the enterprise's cap
        if reached("bonus_units", "bonus_revenue"):
            t.reason("销量或销售收入达到另外奖励的门槛，另外奖励不计入上限")
            extra = blocks.fixed(t, "另外奖励", p["bonus"])
            return blocks.capped_sum(t, "合计", [("上市奖励", reward), ("另外奖励", extra)])
        return reward


@register
class Zzb2022_53_4(Clause):
    """郑政办〔2022〕53号 第4条（四、4，整合提升产能利用率，L874）：
    “整车生产企业年度实际产量达到核准或备案产能的80%及以上的，一次性奖励1000万元，单个企业不重复
    奖励。”
    """

    code, article, title = "zzb-2022-53/4", "第4条", "产能利用率奖励"
    facts = (
        flag("vehicle_maker", "整车生产企业"),
        integer("annual_output", "年度实际产量", unit="辆"),
        integer("approved_capacity", "核准或备案产能", unit="辆"),
    )
    params = (
        ParamSpec("utilisation", "产能利用率门槛（%）", "threshold", ">=80"),
        ParamSpec("amount", "一次性奖励", "money", "10000000"),
    )
    matters = ("capacity_utilisation",)
    once_per_enterprise = True

    def compute(self, f, p, t):
        ok = t.check(f["vehicle_maker"], "企业为整车生产企业", "企业不是整车生产企业")
        output, capacity, thr = f["annual_output"], f["approved_capacity"], p["utilisation"]
        if capacity <= 0:
            t.fail("核准或备案产能为0，无法计算产能利用率")
            return ZERO
        rate = Decimal(output) * 100 / Decimal(capacity)
        t.step(f"产能利用率：{output} ÷ {capacity}", pct(rate.quantize(Decimal("0.01"))))
        ok &= t.check(thr.met(rate), f"产能利用率{thr.words('%')}", f"产能利用率未{thr.words('%')}")
        if not ok:
            return ZERO
        t.reason("单个企业不重复奖励（由跨案件规则核对既往奖励）")
        return blocks.fixed(t, "产能利用率一次性奖励", p["amount"])


register_spec(
    "zzb-2022-53/5",
    {
        "type": "sum",
        "label": "产业链项目奖励",
        "conditions": [{"fact": "completed", "no": "项目尚未完成投产，完成投产后方可申请"}],
        "items": [
            {
                "type": "percent_capped",
                "name": "new",
                "label": "（一）新建项目奖励",
                "base": "production_tech_equipment_investment",
                "rate": "12",
                "cap": "10000000",
                "conditions": [
                    {"fact": "project_type", "in": ["new_project"]},
                    {"fact": "total_investment", "op": ">=", "value": "20000000"},
                ],
            },
            {
                "type": "percent_capped",
                "name": "retrofit",
                "label": "（二）智能网联汽车技术改造补助",
                "base": "production_tech_equipment_investment",
                "rate": "15",
                "cap": "10000000",
                "conditions": [
                    {"fact": "project_type", "in": ["icv_retrofit"]},
                    {"fact": "total_investment", "op": ">=", "value": "5000000"},
                ],
            },
        ],
    },
    {
        "article": "第5条",
        "title": "新能源及智能网联汽车产业链项目奖励",
        "doc": "郑政办〔2022〕53号 第5条（四、5，L880）：“对新能源及智能网联汽车产业总投资在2000万元以上的新建"
        "项目，项目完成投产后，按照项目生产和技术设备投资额的12%给予奖励，最高不超过1000万元。对总投资在"
        "500万元以上的智能网联汽车技术改造项目，项目完成投产后，按照生产和技术设备投资额的15%给予补助，"
        "最高不超过1000万元。”",
        "facts": [
            {
                "name": "project_type",
                "label": "项目类型",
                "kind": "choice",
                "choices": {
                    "new_project": "新能源及智能网联汽车产业新建项目",
                    "icv_retrofit": "智能网联汽车技术改造项目",
                },
            },
            {"name": "completed", "label": "项目已完成投产", "kind": "bool"},
            {"name": "total_investment", "label": "项目总投资", "kind": "money"},
            {
                "name": "production_tech_equipment_investment",
                "label": "生产和技术设备投资额",
                "kind": "money",
            },
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)


@register
class Zzb2022_53_6(Clause):
    """郑政办〔2022〕53号 第6条（四、6，加大零部件企业培育，L884）：
    “对企业年度销售收入首次超过2亿元的，给予30万元的一次性奖励，以后年度销售收入每增长5000万元，
    给予20万元的奖励。”
    Reading: 首次超过 excludes the number (民法典第1259条, award-contract.md): crossed when the
    year's revenue is > 2亿 and no earlier year's was (best earlier year ≤ 2亿);
    in later years, whole 5000万 steps of growth over the previous year; no cap in the text.
    """

    code, article, title = "zzb-2022-53/6", "第6条", "零部件企业培育奖励"
    facts = (
        flag("parts_enterprise", "新能源及智能网联汽车零部件企业"),
        money("revenue_year", "本年度销售收入"),
        money(
            "revenue_best_before", "此前各年度最高销售收入", help="此前任一年度的最高值，没有填0"
        ),
        money("revenue_prev_year", "上年度销售收入", required=False),
    )
    params = (
        ParamSpec("first_threshold", "首次超过门槛", "threshold", ">200000000", unit="元"),
        ParamSpec("first_amount", "首次超过一次性奖励", "money", "300000"),
        ParamSpec("step", "以后年度每增长", "money", "50000000"),
        ParamSpec("per_step", "每档奖励", "money", "200000"),
        ParamSpec("cap", "最高奖励（空为不设上限）", "cap", None),
    )
    matters = ("parts_enterprise_growth",)

    def compute(self, f, p, t):
        if not t.check(f["parts_enterprise"], "企业为零部件企业", "企业不是零部件企业"):
            return ZERO
        now, thr = f["revenue_year"], p["first_threshold"]
        if thr.met(f["revenue_best_before"]):
            t.reason(f"此前年度销售收入已{thr.words('元')}，按以后年度增长计算")
            f.need("revenue_prev_year", why="按以后年度增长计算时必须填写")
            increase = now - f["revenue_prev_year"]
            return blocks.whole_steps(
                t, "以后年度增长奖励", increase, p["step"], p["per_step"], p["cap"]
            )
        if not thr.met(now):
            t.fail(f"本年度销售收入{yuan(now)}，未{thr.words('元')}")
            return ZERO
        t.reason(f"本年度销售收入{yuan(now)}，首次{thr.words('元')}")
        return blocks.fixed(t, "首次超过2亿元一次性奖励", p["first_amount"])


@register
class Zzb2022_53_7(Clause):
    """郑政办〔2022〕53号 第7条（四、7，提升零部件本地配套率，L888）：
    “对整车和改装车企业采购非关联生产企业零部件累计达3000万元以上的，以上年为基数，每增长一个
    百分点，由市财政补贴10万元，最高补贴500万元。”
    Reading: 累计 = over the claim year; the growth is that of the purchase amount over the
    previous year (as in 51号四、4), whole points only.
    """

    code, article, title = "zzb-2022-53/7", "第7条", "零部件本地配套补贴"
    facts = (
        flag("vehicle_or_conversion_maker", "整车或改装车企业"),
        money("parts_purchases_year", "本年度采购非关联生产企业零部件金额"),
        money("parts_purchases_prev_year", "上年度采购非关联生产企业零部件金额"),
    )
    params = (
        ParamSpec("threshold", "年度累计采购额门槛", "threshold", ">=30000000"),
        ParamSpec("points", "每档百分点数", "number", "1"),
        ParamSpec("per_point", "每档补贴", "money", "100000"),
        ParamSpec("cap", "最高补贴", "cap", "5000000"),
    )
    matters = ("local_parts_procurement",)
    stacking_groups = ("local_parts_procurement",)
    enterprise_cap_params = ("cap",)  # 最高补贴500万元: no 每年, over the policy period

    def compute(self, f, p, t):
        ok = t.check(
            f["vehicle_or_conversion_maker"], "企业为整车或改装车企业", "企业不是整车或改装车企业"
        )
        now, thr = f["parts_purchases_year"], p["threshold"]
        ok &= t.check(
            thr.met(now),
            f"本年度采购额{yuan(now)}，{thr.words('元')}",
            f"本年度采购额{yuan(now)}，未{thr.words('元')}",
        )
        growth = growth_or_fail(t, now, f["parts_purchases_prev_year"], "采购额") if ok else None
        if growth is None:
            return ZERO
        return blocks.growth_points(
            t, "采购额增长补贴", growth, ZERO, p["points"], p["per_point"], p["cap"]
        )


def _percent_spec(label: str, base: str, rate: str, cap: str, conditions: list) -> dict:
    return {
        "type": "percent_capped",
        "label": label,
        "base": base,
        "rate": rate,
        "cap": cap,
        "conditions": conditions,
    }


register_spec(
    "zzb-2022-53/8",
    _percent_spec(
        "测试监测平台补助",
        "equipment_software_investment",
        "20",
        "5000000",
        [
            "qualifying_platform_project",
            {"fact": "total_investment", "op": ">=", "value": "10000000"},
        ],
    ),
    {
        "article": "第8条",
        "title": "测试监测平台和车联网信息安全项目补助",
        "doc": "郑政办〔2022〕53号 第8条（四、8，L894）：“对企业新建或升级，投资1000万元以上的新能源及智能网联汽车"
        "测试、监测平台、车联网信息安全项目，给予设备和软件投资额20%一次性补助，单个项目补助金额不超过"
        "500万元。”",
        "facts": [
            {
                "name": "qualifying_platform_project",
                "kind": "bool",
                "label": "新建或升级的新能源及智能网联汽车测试、监测平台或车联网信息安全项目",
            },
            {"name": "total_investment", "label": "项目投资", "kind": "money"},
            EQUIPMENT_SOFTWARE,
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)

register_spec(
    "zzb-2022-53/9",
    _percent_spec("测试基地补助", "test_base_investment", "30", "20000000", ["icv_test_base"]),
    {
        "article": "第9条",
        "title": "智能网联汽车测试基地补助",
        "doc": "郑政办〔2022〕53号 第9条（四、9，L898）：“支持企业建设国内领先的智能网联汽车测试基地和设施，给予"
        "相应测试设备和测试场地建设投入金额30%的补助，对单个企业的补助金额不超过2000万元。”",
        "facts": [
            {
                "name": "icv_test_base",
                "label": "建设国内领先的智能网联汽车测试基地和设施",
                "kind": "bool",
            },
            {
                "name": "test_base_investment",
                "label": "测试设备和测试场地建设投入金额",
                "kind": "money",
            },
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
        "enterprise_cap_params": ["cap"],  # 对单个企业的补助金额不超过2000万元 (no 每年)
    },
)

register_spec(
    "zzb-2022-53/10",
    {
        "type": "per_item_percent",
        "label": "封闭测试区测试费用支持",
        "base": "test_fees_per_model",
        "rate": "50",
        "cap": "5000000",
        "conditions": ["registered_in_zhengzhou"],
    },
    {
        "article": "第10条",
        "title": "智能网联封闭测试区测试费用支持",
        "doc": "郑政办〔2022〕53号 第10条（四、10，L904）：“对在我市注册并使用我市智能网联封闭测试区开展测试的企业，"
        "给予每款测试车型测试费用50%的支持，单一企业最高不超过500万元。”",
        "facts": [
            {
                "name": "registered_in_zhengzhou",
                "label": "在郑州注册并使用郑州智能网联封闭测试区",
                "kind": "bool",
            },
            {
                "name": "test_fees_per_model",
                "label": "各测试车型的测试费用",
                "kind": "money_list",
                "help": "每款测试车型一个金额",
            },
        ],
        "matters": ["icv_test_fees"],
        "enterprise_cap_params": ["cap"],  # 单一企业最高不超过500万元 (no 每年)
    },
)

register_spec(
    "zzb-2022-53/11",
    {
        "type": "no_formula",
        "label": "示范运营补贴",
        "note": "对示范运营车辆、试点运营车辆前期进行运营补贴，由运营车辆主管单位按运营里程制定具体补贴政策",
        "conditions": ["demo_or_pilot_operation"],
    },
    {
        "article": "第11条",
        "title": "示范运营车辆运营补贴",
        "doc": "郑政办〔2022〕53号 第11条（四、11，L910）：“……对示范运营车辆、试点运营车辆前期进行运营补贴，支持"
        "运营车辆主管单位按运营里程制定具体补贴政策。”  No figure in the text: no_formula.",
        "facts": [
            {
                "name": "demo_or_pilot_operation",
                "label": "车辆为示范运营或试点运营车辆",
                "kind": "bool",
            },
        ],
        "matters": ["demo_vehicle_operation"],
    },
)

register_spec(
    "zzb-2022-53/12",
    _percent_spec(
        "动力电池回收利用项目补助",
        "equipment_software_investment",
        "20",
        "5000000",
        ["battery_reuse_project", {"fact": "total_investment", "op": ">", "value": "10000000"}],
    ),
    {
        "article": "第12条",
        "title": "动力电池梯次利用和再生利用项目补助",
        "doc": "郑政办〔2022〕53号 第12条（四、12，L916）：“……针对投资超过1000万以上梯次利用技术创新项目、示范应用"
        "项目、再生利用项目，给予设备和软件投资额的20%补助，单一企业最高不超过500万元。”  Reading: "
        "“超过…以上” takes 超过 (>), so exactly 1000万 does not qualify.",
        "facts": [
            {
                "name": "battery_reuse_project",
                "kind": "bool",
                "label": "动力电池梯次利用技术创新、示范应用或再生利用项目",
            },
            {"name": "total_investment", "label": "项目投资", "kind": "money"},
            EQUIPMENT_SOFTWARE,
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
        "enterprise_cap_params": ["cap"],  # 单一企业最高不超过500万元 (no 每年)
    },
)


@register
class Zzb2022_53_13(Clause):
    """郑政办〔2022〕53号 第13条（四、13，L922）：
    “支持银行提前垫付新能源汽车企业中央和地方财政补助资金。对申请取得专项融资的新能源整车生产企业，
    按融资利息（利率最高不超过银行贷款基准利率）的50%，给予企业贴息补助，单个企业每年补贴最高额度
    不超过4000万元。”
    Reading: interest above the benchmark rate is counted at the benchmark rate; 50% of that.
    """

    code, article, title = "zzb-2022-53/13", "第13条", "专项融资贴息"
    facts = (
        flag("nev_maker_special_financing", "申请取得专项融资的新能源整车生产企业"),
        money("interest_paid", "本年度专项融资实付利息"),
        percent("loan_rate_pct", "专项融资年利率（%）"),
        percent("benchmark_rate_pct", "同期银行贷款基准利率（%）"),
    )
    params = (
        ParamSpec("share", "贴息比例（%）", "percent", "50"),
        ParamSpec("cap", "单个企业每年最高", "cap", "40000000"),
    )
    matters = ("nev_financing_interest",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(
            f["nev_maker_special_financing"],
            "新能源整车生产企业取得专项融资",
            "不是取得专项融资的新能源整车生产企业",
        ):
            return ZERO
        counted = interest_at_capped_rate(
            t, "计息", f["interest_paid"], f["loan_rate_pct"], f["benchmark_rate_pct"]
        )
        return blocks.percent_of(t, "贴息补助", counted, p["share"], p["cap"])


register_spec(
    "zzb-2022-53/14",
    fair_and_ads_spec("nev_enterprise"),
    {
        "article": "第14条",
        "title": "展会和中央媒体广告补贴",
        "doc": "郑政办〔2022〕53号 第14条（四、14，L928）：“鼓励企业积极参加各级展销会、博览会，按照场地租赁费、"
        "布展费的70%给予补贴，每个企业每年补贴金额不超过100万元。对于在中央一级媒体做产品广告的工业企业，"
        "按照广告费的5%给予补贴，每户企业每年补贴额不超过200万元。”  The two added.",
        "facts": [
            {"name": "nev_enterprise", "label": "新能源及智能网联汽车产业企业", "kind": "bool"},
            EXHIBITION_COSTS,
            AD_COSTS,
        ],
        "matters": ["exhibition_participation", "central_media_advertising"],
        "stacking_groups": ["exhibition_participation", "central_media_advertising"],
    },
)
