"""郑政办〔2022〕54号《关于加快节能环保产业发展的实施意见》(seed 004, L970–L1124).

Monetary articles of 四、支持政策, registered as ``zzb-2022-54/<article>``. Line numbers (L…)
point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import flag, integer, kwh, money
from ..fmt import qty, yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from .zzb_2022_shared import (
    COMPLETED,
    EQUIPMENT_SOFTWARE,
    EXHIBITION_COSTS,
    TOTAL_INVESTMENT,
    fair_spec,
    new_project_spec,
)


@register
class Zzb2022_54_1(Clause):
    """郑政办〔2022〕54号 第1条（四、1，支持企业做大做强，L1066）：
    “对节能环保产业企业主营业务收入首次达到5000万元、1亿元、5亿元、10亿元、50亿元的，分别给予
    30万元、50万元、100万元、200万元、300万元的一次性奖励。”
    Reading: 首次达到 (≥) is judged against the best earlier year; every level first reached this
    year counts (as the award contract reads 首次超过 in 郑政〔2023〕23号第5条).
    """

    code, article, title = "zzb-2022-54/1", "第1条", "节能环保企业主营业务收入首次达到奖励"
    combine = "sum"
    facts = (
        flag("energy_saving_enterprise", "节能环保产业企业"),
        money("revenue_year", "本年主营业务收入"),
        money("revenue_best_before", "历年最高年主营业务收入", help="此前任一年度的最高值"),
    )
    params = (
        ParamSpec(
            "levels",
            "首次达到的门槛及奖励",
            "tiers",
            [
                {"value": "50000000", "op": ">=", "amount": "300000"},
                {"value": "100000000", "op": ">=", "amount": "500000"},
                {"value": "500000000", "op": ">=", "amount": "1000000"},
                {"value": "1000000000", "op": ">=", "amount": "2000000"},
                {"value": "5000000000", "op": ">=", "amount": "3000000"},
            ],
            unit="元",
        ),
    )
    matters = ("revenue_milestone",)
    stacking_groups = ("revenue_milestone",)  # 从高不重复 with 郑政〔2023〕23号第5、6条

    def compute(self, f, p, t):
        if not t.check(
            f["energy_saving_enterprise"], "企业为节能环保产业企业", "企业不是节能环保产业企业"
        ):
            return ZERO
        return blocks.thresholds_crossed(
            t, "主营业务收入", f["revenue_year"], f["revenue_best_before"], p["levels"]
        )


register_spec(
    "zzb-2022-54/2",
    {
        "type": "percent_capped",
        "label": "节能节水降碳减排改造补助",
        "base": "equipment_software_investment",
        "rate": "15",
        "cap": "5000000",
        "conditions": [{"fact": "benefit_pct", "op": ">=", "value": "10"}],
    },
    {
        "article": "第2条",
        "title": "节能节水降碳减排改造补助",
        "doc": "郑政办〔2022〕54号 第2条（四、2，L1070）：“支持工业企业和数据中心开展节能、节水、降碳、减排改造，"
        "项目达产后实际效益达到10%以上的，按设备和软件投资额的15%给予补助，最高不超过500万元。”  "
        "Same facts as 郑政〔2023〕23号第11条 (benefit_pct, equipment_software_investment).",
        "facts": [
            {
                "name": "benefit_pct",
                "label": "项目达产后实际效益（%）",
                "kind": "percent",
                "minimum": 0,
            },
            EQUIPMENT_SOFTWARE,
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)

register_spec(
    "zzb-2022-54/3",
    dict(
        new_project_spec("12", base="equipment_software_investment"),
        label="光伏发电和赤泥综合利用项目奖励",
        conditions=[
            "pv_or_red_mud_project",
            *new_project_spec("12")["conditions"],
        ],
    ),
    {
        "article": "第3条",
        "title": "光伏发电和赤泥综合利用项目奖励",
        "doc": "郑政办〔2022〕54号 第3条（四、3，L1074）：“对投资在2000万元以上的光伏发电项目和赤泥综合利用项目，"
        "项目完成后，按照项目设备和软件投资额的12%给予奖励，最高不超过1000万元。”",
        "facts": [
            {
                "name": "pv_or_red_mud_project",
                "label": "光伏发电项目或赤泥综合利用项目",
                "kind": "bool",
            },
            COMPLETED,
            TOTAL_INVESTMENT,
            EQUIPMENT_SOFTWARE,
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)


@register
class Zzb2022_54_4(Clause):
    """郑政办〔2022〕54号 第4条（四、4，L1078）：
    “对建设规模在1000千瓦时以上的电力储能装置，投入使用后，按照实际发电量给予0.5元/千瓦时补贴，
    连续补贴3年。”
    Reading: one calculation per year of operation (1st–3rd year after entry into use); the text
    sets no cap.
    """

    code, article, title = "zzb-2022-54/4", "第4条", "电力储能装置发电量补贴"
    facts = (
        kwh("storage_capacity_kwh", "储能装置建设规模"),
        integer("operation_year", "投入使用后第几年", help="投入使用后的第1、2、3年可补贴"),
        kwh("generation_kwh", "当年实际发电（放电）量"),
    )
    params = (
        ParamSpec("capacity", "建设规模门槛（千瓦时）", "threshold", ">=1000"),
        ParamSpec("price", "每千瓦时补贴（元）", "money", "0.5"),
        ParamSpec("years", "连续补贴年数", "int", 3),
    )
    matters = ("energy_storage_output",)

    def compute(self, f, p, t):
        cap_kwh, thr, year = f["storage_capacity_kwh"], p["capacity"], f["operation_year"]
        ok = t.check(
            thr.met(cap_kwh),
            f"储能装置建设规模{qty(cap_kwh, '千瓦时')}，{thr.words('千瓦时')}",
            f"储能装置建设规模{qty(cap_kwh, '千瓦时')}，未{thr.words('千瓦时')}",
        )
        ok &= t.check(
            1 <= year <= p["years"],
            f"投入使用后第{year}年，在连续补贴{p['years']}年内",
            f"投入使用后第{year}年，不在连续补贴{p['years']}年内",
        )
        if not ok:
            return ZERO
        generation, price = f["generation_kwh"], p["price"]
        label = f"当年发电量补贴：{qty(generation, '千瓦时')} × {yuan(price)}/千瓦时"
        return blocks.fixed(t, label, generation * price)


register_spec(
    "zzb-2022-54/5",
    {
        "type": "choice",
        "label": "绿色制造称号奖励",
        "fact": "green_title_level",
        "amounts": {"national": "1000000", "provincial": "500000"},
        "conditions": [{"fact": "green_title_level", "in": ["national", "provincial"]}],
    },
    {
        "article": "第5条",
        "title": "绿色制造称号奖励",
        "doc": "郑政办〔2022〕54号 第5条（四、5，L1082–L1084）：“对首次列入国家、省级绿色工厂、绿色数据中心、"
        "绿色供应链管理示范企业、工业产品绿色设计示范企业、能效、水效、资源综合利用‘领跑者’的企业分别"
        "给予100万元和50万元的一次性奖励。”  One title listing per calculation.",
        "facts": [
            {
                "name": "green_title_level",
                "label": "首次列入的称号级别",
                "kind": "choice",
                "choices": {"national": "国家级", "provincial": "省级", "none": "未首次列入"},
                "help": "绿色工厂、绿色数据中心、绿色供应链管理示范企业、工业产品绿色设计示范企业、"
                "能效、水效、资源综合利用“领跑者”",
            },
        ],
        "matters": ["green_manufacturing_title"],
    },
)

register_spec(
    "zzb-2022-54/6",
    {
        "type": "steps",
        "label": "绿色节能产品目录奖励",
        "base": "catalogue_product_categories",
        "step": "1",
        "per_step": "500000",
        "conditions": [{"fact": "catalogue_product_categories", "op": ">=", "value": "1"}],
    },
    {
        "article": "第6条",
        "title": "绿色节能产品目录奖励",
        "doc": "郑政办〔2022〕54号 第6条（四、6，L1088）：“对列入国家级绿色设计产品、国家工业节能技术装备推荐目录、"
        "‘能效之星’产品目录、国家工业节水工艺技术装备目录、国家重大环保技术装备目录、再制造产品目录的"
        "企业，按照产品类别（同一产品的系列产品不重复奖励）给予50万元一次性的奖励。”",
        "facts": [
            {
                "name": "catalogue_product_categories",
                "kind": "int",
                "unit": "类",
                "label": "列入目录的产品类别数",
                "help": "同一产品的系列产品只算一类",
            },
        ],
        "matters": ["green_product_catalogue"],
        "stacking_groups": ["green_product_catalogue"],
    },
)

register_spec(
    "zzb-2022-54/7",
    {
        "type": "no_formula",
        "label": "研究机构支持",
        "note": "采取“一事一议”方式给予支持",
        "conditions": ["builds_research_institution"],
    },
    {
        "article": "第7条",
        "title": "节能环保产业研究机构建设支持",
        "doc": "郑政办〔2022〕54号 第7条（四、7，L1092）：“鼓励建设节能、环保、资源综合利用产业研究机构，采取"
        "‘一事一议’方式，给予支持。”  No figure in the text: no_formula.",
        "facts": [
            {
                "name": "builds_research_institution",
                "kind": "bool",
                "label": "建设节能、环保、资源综合利用产业研究机构",
            },
        ],
        "matters": ["energy_saving_research_institution"],
    },
)

register_spec(
    "zzb-2022-54/8",
    dict(fair_spec(), conditions=["energy_saving_or_new_energy_enterprise"]),
    {
        "article": "第8条",
        "title": "展会补贴",
        "doc": "郑政办〔2022〕54号 第8条（四、8，L1096）：“鼓励新能源制造业和节能环保产业企业积极参加各级展销会、"
        "博览会，按照场地租赁费、布展费的70%给予补贴，每个企业每年补贴金额不超过100万元。”",
        "facts": [
            {
                "name": "energy_saving_or_new_energy_enterprise",
                "kind": "bool",
                "label": "新能源制造业或节能环保产业企业",
            },
            dict(EXHIBITION_COSTS, required=True),
        ],
        "matters": ["exhibition_participation"],
        "stacking_groups": ["exhibition_participation"],
        "annual_cap_param": "cap",
    },
)
