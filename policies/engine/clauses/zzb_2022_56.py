"""郑政办〔2022〕56号《关于加快新材料产业发展的实施意见》(seed 004, L1350–L1478).

Monetary articles of 四、支持政策, registered as ``zzb-2022-56/<article>``. Line numbers (L…)
point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import flag, money
from ..fmt import yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from .zzb_2022_shared import KEY_SECTOR_PARAMS, growth_or_fail, key_sector_facts, key_sector_growth


@register
class Zzb2022_56_1(Clause):
    """郑政办〔2022〕56号 第1条（四、1，L1400）：
    “……支持企业建设制造业创新中心等研发机构，按照有关政策给予资金支持。加快科技成果转化，对在我市
    开展成果转化的新材料产业化项目，按照项目三年内设备和软件投资额的20%，分三年给予总数不超过1000万元
    的资助。”
    Reading: each year's instalment is 20% of the equipment and software invested so far (within
    the three years), capped at 1000万 in total, minus what earlier instalments paid. The
    innovation-centre sentence refers to other policies and is not computed here.
    """

    code, article, title = "zzb-2022-56/1", "第1条", "新材料成果转化项目资助"
    facts = (
        flag("tech_transfer_project", "在郑州开展成果转化的新材料产业化项目"),
        money(
            "equipment_software_investment_to_date",
            "项目三年内累计设备和软件投资额",
            help="截至本年度的累计数",
        ),
        money("already_funded", "此前年度已拨付的资助", help="第一年申请填0"),
    )
    params = (
        ParamSpec("rate", "资助比例（%）", "percent", "20"),
        ParamSpec("cap", "三年资助总额上限", "cap", "10000000"),
    )
    matters = ("project_equipment_investment",)
    stacking_groups = ("project_equipment_investment",)

    def compute(self, f, p, t):
        if not t.check(
            f["tech_transfer_project"],
            "项目为在郑开展成果转化的新材料产业化项目",
            "项目不是在郑开展成果转化的新材料产业化项目",
        ):
            return ZERO
        total = blocks.percent_of(
            t, "累计应资助", f["equipment_software_investment_to_date"], p["rate"], p["cap"]
        )
        paid = f["already_funded"]
        t.step("减去此前已拨付", yuan(paid))
        return max(total - paid, ZERO)


register_spec(
    "zzb-2022-56/3",
    {
        "type": "percent_capped",
        "label": "首批次新材料奖励",
        "base": "first_batch_product_sales",
        "rate": "30",
        "cap": "2000000",
        "conditions": ["first_batch_catalogue_product"],
    },
    {
        "article": "第3条",
        "title": "重点新材料首批次产品奖励",
        "doc": "郑政办〔2022〕56号 第3条（四、3，L1414）：“……对符合国家《重点新材料首批次应用示范指导目录》的产品，"
        "按照年度销售总额给予不超过30%的奖励，最高不超过200万元，单个产品不重复享受。”  The 30% is "
        "itself a ceiling: the result is the ceiling a reviewer may lower.",
        "facts": [
            {
                "name": "first_batch_catalogue_product",
                "kind": "bool",
                "label": "产品符合《重点新材料首批次应用示范指导目录》（此前未享受本项奖励）",
            },
            {"name": "first_batch_product_sales", "label": "该产品年度销售总额", "kind": "money"},
        ],
        "is_ceiling": True,
        "matters": ["first_batch_material"],
        "stacking_groups": ["first_batch_material"],
    },
)

register_spec(
    "zzb-2022-56/4",
    {
        "type": "percent_capped",
        "label": "首批次保险补偿奖励",
        "base": "insurance_premium",
        "rate": "20",
        "conditions": ["first_batch_insurance_recognised"],
    },
    {
        "article": "第4条",
        "title": "首批次应用保险补偿奖励",
        "doc": "郑政办〔2022〕56号 第4条（四、4，L1418）：“支持企业参加重点新材料首批次应用保险补偿机制试点……经国家"
        "认定符合要求的，按照新材料保险投保年度保费20%给予投保企业一次性奖励。”  No cap in the text.",
        "facts": [
            {
                "name": "first_batch_insurance_recognised",
                "kind": "bool",
                "label": "参加首批次应用保险补偿机制试点并经国家认定符合要求",
            },
            {"name": "insurance_premium", "label": "新材料保险投保年度保费", "kind": "money"},
        ],
        "matters": ["first_batch_insurance"],
    },
)

register_spec(
    "zzb-2022-56/5",
    {
        "type": "no_formula",
        "label": "专精特新奖励",
        "note": "按照相关政策给予奖励",
        "conditions": [
            {
                "fact": "srdi_title",
                "in": ["little_giant", "provincial"],
                "no": "企业未获专精特新认定",
            },
        ],
    },
    {
        "article": "第5条",
        "title": "专精特新新材料企业奖励",
        "doc": "郑政办〔2022〕56号 第5条（四、5，L1424）：“……对国家专精特新‘小巨人’、省‘专精特新’企业按照相关政策"
        "给予奖励。”  No figure in the text: no_formula (choices as 郑政〔2023〕23号第3条).",
        "facts": [
            {
                "name": "srdi_title",
                "label": "认定称号",
                "kind": "choice",
                "choices": {
                    "little_giant": "专精特新“小巨人”企业",
                    "provincial": "省级“专精特新”企业",
                    "none": "未获认定",
                },
            },
        ],
        "matters": ["srdi_title"],
        "stacking_groups": ["srdi_title"],
    },
)


@register
class Zzb2022_56_6(Clause):
    """郑政办〔2022〕56号 第6条（四、6，支持新材料企业扩大规模能级，L1428–L1430）：
    “对入库的规模以上新材料企业（不含铝基新材料），以上年为基数，主营业务收入5000万元以上，每增长
    1个百分点，奖励5万元，单个企业每年最高不超过300万元。”
    """

    code, article, title = "zzb-2022-56/6", "第6条", "新材料企业增长奖励"
    facts = (
        *key_sector_facts("入库的规模以上新材料企业"),
        flag("aluminium_based", "铝基新材料企业", help="铝基新材料不适用本条"),
    )
    params = KEY_SECTOR_PARAMS
    matters = ("key_sector_revenue_growth",)
    stacking_groups = ("key_sector_revenue_growth",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if f["aluminium_based"]:
            t.fail("铝基新材料企业不适用本条（不含铝基新材料）")
            return ZERO
        return key_sector_growth(t, f, p, "入库的规模以上新材料企业")


class _AluminaProduct(Clause):
    """Shared shape of 四、7 and 四、8: per product, first-reach milestones (each level first
    reached this year counts) plus, once last year's sales reached the top level, whole
    10-point growth steps over last year's declared sales; the enterprise's yearly cap covers
    both (the cap closes the article)."""

    combine = "sum"
    facts = (
        flag("catalogue_product", "产品符合《郑州市高端铝加工产品和高端氧化铝产品指导目录》"),
        money("product_sales_year", "该产品本年销售额"),
        money("product_sales_best_before", "该产品此前各年度最高销售额", help="没有填0"),
        money("product_sales_prev_year", "该产品上年度申报销售额", required=False),
    )
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(f["catalogue_product"], "产品符合指导目录要求", "产品不符合指导目录要求"):
            return ZERO
        parts = [
            (
                "（一）",
                blocks.thresholds_crossed(
                    t,
                    "（一）年销售额",
                    f["product_sales_year"],
                    f["product_sales_best_before"],
                    p["levels"],
                ),
            )
        ]
        prev, base = f["product_sales_prev_year"], p["growth_base"]
        if base.met(prev):
            t.reason(f"（二）上年度销售额{base.words('元')}，按增长计算")
            growth = growth_or_fail(t, f["product_sales_year"], prev, "销售额")
            if growth is not None:
                parts.append(
                    (
                        "（二）",
                        blocks.growth_points(
                            t, "（二）销售额增长奖励", growth, ZERO, p["points"], p["per_step"]
                        ),
                    )
                )
        return blocks.capped_sum(t, "合计（每家企业每年最高）", parts, p["cap"])


def _alumina_params(levels: list[tuple[str, str]], base: str, per_step: str) -> tuple:
    return (
        ParamSpec(
            "levels",
            "（一）首次达到的门槛及奖励",
            "tiers",
            [{"value": v, "op": ">=", "amount": a} for v, a in levels],
            unit="元",
        ),
        ParamSpec("growth_base", "（二）上年度销售额门槛", "threshold", f">={base}"),
        ParamSpec("points", "（二）每档百分点数", "number", "10"),
        ParamSpec("per_step", "（二）每档奖励", "money", per_step),
        ParamSpec("cap", "每家企业每年最高", "cap", "10000000"),
    )


@register
class Zzb2022_56_7(_AluminaProduct):
    """郑政办〔2022〕56号 第7条（四、7，L1436）：
    “……对符合《郑州市高端铝加工产品和高端氧化铝产品指导目录》要求的铝加工产品，年销售额首次达到
    5000万元、1亿元、3亿元的，分别给予100万元、200万元、500万元的奖励；产品上年度销售额达到3亿元的，
    以上年度申报销售额为基数，每增长10个百分点，奖励100万元，每家企业每年奖励金额最高为1000万元。”
    """

    code, article, title = "zzb-2022-56/7", "第7条", "高端铝加工产品奖励"
    params = _alumina_params(
        [("50000000", "1000000"), ("100000000", "2000000"), ("300000000", "5000000")],
        "300000000",
        "1000000",
    )
    matters = ("aluminium_product_sales",)


@register
class Zzb2022_56_8(_AluminaProduct):
    """郑政办〔2022〕56号 第8条（四、8，L1440）：
    “……对符合《郑州市高端铝加工产品和高端氧化铝产品指导目录》要求的氧化铝产品，年销售额首次达到
    2000万元、5000万元、1亿元的，分别给予50万元、100万元、200万元的奖励；产品上年度销售额达到1亿元
    的，以上年度申报销售额为基数，每增长10个百分点，奖励50万元，每家企业每年奖励金额最高为1000万元。”
    """

    code, article, title = "zzb-2022-56/8", "第8条", "高端氧化铝产品奖励"
    params = _alumina_params(
        [("20000000", "500000"), ("50000000", "1000000"), ("100000000", "2000000")],
        "100000000",
        "500000",
    )
    matters = ("alumina_product_sales",)


register_spec(
    "zzb-2022-56/9",
    {
        "type": "sum",
        "label": "环保投入资助",
        "cap": "1000000",
        "conditions": ["new_materials_producer"],
        "items": [
            {
                "type": "percent_capped",
                "name": "fees",
                "label": "上年度环保服务费用",
                "base": "env_service_fees_prev_year",
                "rate": "20",
            },
            {
                "type": "percent_capped",
                "name": "facility",
                "label": "环保设施固定投入",
                "base": "env_facility_investment",
                "rate": "20",
            },
        ],
    },
    {
        "article": "第9条",
        "title": "新材料企业环保投入资助",
        "doc": "郑政办〔2022〕56号 第9条（四、9，L1446）：“……对新材料生产企业处理有毒有害废气废液废弃物（含危废、"
        "固废）的环保投入，按企业上年度实际支付环保服务费用及相关环保设施的固定投入部分的20%给予资助，"
        "每家企业每年资助金额最高为100万元。”",
        "facts": [
            {"name": "new_materials_producer", "label": "新材料生产企业", "kind": "bool"},
            {
                "name": "env_service_fees_prev_year",
                "kind": "money",
                "required": False,
                "label": "上年度实际支付的环保服务费用（处理有毒有害废气废液废弃物）",
            },
            {
                "name": "env_facility_investment",
                "label": "相关环保设施的固定投入",
                "kind": "money",
                "required": False,
            },
        ],
        "matters": ["environmental_treatment_costs"],
        "annual_cap_param": "cap",
    },
)
