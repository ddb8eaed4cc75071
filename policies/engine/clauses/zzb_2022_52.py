"""郑政办〔2022〕52号《关于加快生物医药产业发展的实施意见》(seed 004, L648–L788).

Monetary articles of 四、支持政策, registered as ``zzb-2022-52/<article>``. Line numbers (L…)
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
from .zzb_2022_shared import COMPLETED, PRODUCTION_EQUIPMENT, TOTAL_INVESTMENT, new_project_spec


@register
class Zzb2022_52_1(Clause):
    """郑政办〔2022〕52号 第1条（四、1，L716）：
    “对首次进入中国医药工业百强的企业，给予300万元的一次性奖励。对单品种年销售收入首次突破5亿元、
    3亿元、1亿元的药品和医疗器械，分别奖励50万元、30万元、20万元。”
    Reading: 突破 = 超过 (>); “首次” is judged against the product's best earlier year, and every
    level first passed this year counts (as the award contract reads 首次超过); (一)+(二).
    """

    code, article, title = "zzb-2022-52/1", "第1条", "医药工业百强和单品种销售奖励"
    combine = "sum"
    facts = (
        flag("first_pharma_top100", "首次进入中国医药工业百强", required=False),
        money("product_sales_year", "单品种（药品或医疗器械）本年销售收入", required=False),
        money(
            "product_sales_best_before",
            "该品种此前各年度最高销售收入",
            required=False,
            needed_if="product_sales_year",
        ),
    )
    params = (
        ParamSpec("top100_amount", "（一）进入百强奖励", "money", "3000000"),
        ParamSpec(
            "sales_levels",
            "（二）单品种销售收入首次突破的门槛及奖励",
            "tiers",
            [
                {"value": "100000000", "op": ">", "amount": "200000"},
                {"value": "300000000", "op": ">", "amount": "300000"},
                {"value": "500000000", "op": ">", "amount": "500000"},
            ],
        ),
    )
    matters = ("pharma_top100", "product_sales_milestone")

    def compute(self, f, p, t):
        parts = []
        if f["first_pharma_top100"]:
            t.reason("（一）首次进入中国医药工业百强")
            parts.append(("（一）", blocks.fixed(t, "（一）进入百强奖励", p["top100_amount"])))
        if f["product_sales_year"] > 0:
            t.reason(
                f"（二）单品种本年销售收入{yuan(f['product_sales_year'])}，此前最高"
                f"{yuan(f['product_sales_best_before'])}"
            )
        sales = blocks.thresholds_crossed(
            t,
            "（二）单品种年销售收入",
            f["product_sales_year"],
            f["product_sales_best_before"],
            p["sales_levels"],
        )
        parts.append(("（二）", sales))
        return blocks.capped_sum(t, "合计", parts)


@register
class Zzb2022_52_2(Clause):
    """郑政办〔2022〕52号 第2条（四、2，L720）：
    “对上市许可持有人委托我市生物医药企业生产其所持有产品，且销售税收结算在我市的，按该品种较上年
    新增销售收入的1%给予最高500万元奖励。对中标国家药品集中带量采购且采购金额超过1亿元的品种，
    每个给予最高300万元奖励。”
    Reading: (二) gives only a ceiling (300万, floor 0): the result is flagged as a ceiling
    when (二) applies. (一)+(二).
    """

    code, article, title = "zzb-2022-52/2", "第2条", "委托生产和集中带量采购奖励"
    combine = "sum"
    facts = (
        flag(
            "mah_local_contract_manufacturing",
            "上市许可持有人委托我市生物医药企业生产，且销售税收结算在我市",
            required=False,
        ),
        money("product_sales_year", "该品种本年销售收入", required=False),
        money(
            "product_sales_prev_year",
            "该品种上年销售收入",
            required=False,
            needed_if="mah_local_contract_manufacturing",
        ),
        flag("vbp_winner", "中标国家药品集中带量采购", required=False),
        money("vbp_purchase_amount", "集中带量采购金额", required=False),
    )
    params = (
        ParamSpec("mah_rate", "（一）新增销售收入奖励比例（%）", "percent", "1"),
        ParamSpec("mah_cap", "（一）最高奖励", "cap", "5000000"),
        ParamSpec("vbp_threshold", "（二）采购金额门槛", "threshold", ">100000000"),
        ParamSpec("vbp_max", "（二）每个品种最高奖励", "money", "3000000"),
    )
    matters = ("mah_contract_manufacturing", "volume_based_procurement")

    def compute(self, f, p, t):
        parts = []
        if f["mah_local_contract_manufacturing"]:
            t.reason("（一）上市许可持有人委托本市企业生产，且销售税收结算在本市")
            increase = max(f["product_sales_year"] - f["product_sales_prev_year"], ZERO)
            parts.append(
                (
                    "（一）",
                    blocks.percent_of(
                        t, "（一）新增销售收入奖励", increase, p["mah_rate"], p["mah_cap"]
                    ),
                )
            )
        if f["vbp_winner"]:
            thr, amount = p["vbp_threshold"], f["vbp_purchase_amount"]
            if thr.met(amount):
                t.is_ceiling = True
                t.floor = sum((a for _, a in parts), ZERO)  # （一） is firm; （二） may be 0
                t.reason(
                    f"（二）集中带量采购金额{yuan(amount)}，{thr.words('元')}；最高300万元，由主管部门核定"
                )
                parts.append(("（二）", blocks.fixed(t, "（二）带量采购奖励上限", p["vbp_max"])))
            else:
                t.reason(f"（二）集中带量采购金额{yuan(amount)}，未{thr.words('元')}")
        if not parts:
            t.fail("既非委托本市企业生产的上市许可持有人，也未中标国家集中带量采购")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)


register_spec(
    "zzb-2022-52/3",
    {
        "type": "sum",
        "label": "产业服务平台奖励",
        "items": [
            {
                "type": "percent_capped",
                "name": "build",
                "label": "（一）平台建设奖励",
                "base": "platform_equipment_software_investment",
                "rate": "30",
                "cap": "10000000",
                "conditions": ["builds_service_platform"],
            },
            {
                "type": "percent_capped",
                "name": "operate",
                "label": "（二）平台运营奖励",
                "base": "nonaffiliated_service_revenue_prev_year",
                "rate": "10",
                "cap": "5000000",
                "conditions": ["operating_public_platform"],
            },
        ],
    },
    {
        "article": "第3条",
        "title": "产业服务平台建设和运营奖励",
        "doc": "郑政办〔2022〕52号 第3条（四、3，L726）：“对建设医药合同研发机构（CRO）、医药合同外包生产机构"
        "（CMO）、医药合同定制研发生产机构（CDMO）等产业应用基础平台，以及实验动物服务平台、检验检测平台、"
        "转化医学中心等产业公共服务平台，按照设备和软件投入的30%给予最高1000万元奖励。对已建成运营的"
        "产业公共服务平台，按照其上年度为非关联生物医药企业（机构）服务金额的10%给予最高500万元奖励。”",
        "facts": [
            {
                "name": "builds_service_platform",
                "kind": "bool",
                "required": False,
                "label": "建设CRO/CMO/CDMO等产业应用基础平台或产业公共服务平台",
            },
            {
                "name": "platform_equipment_software_investment",
                "label": "平台设备和软件投入",
                "kind": "money",
                "required": False,
            },
            {
                "name": "operating_public_platform",
                "label": "已建成运营的产业公共服务平台",
                "kind": "bool",
                "required": False,
            },
            {
                "name": "nonaffiliated_service_revenue_prev_year",
                "kind": "money",
                "required": False,
                "label": "上年度为非关联生物医药企业（机构）服务金额",
            },
        ],
        "matters": ["pharma_service_platform"],
    },
)

register_spec(
    "zzb-2022-52/5",
    {
        "type": "choice",
        "label": "科学技术奖奖励",
        "fact": "sci_tech_award_level",
        "amounts": {"national": "10000000", "provincial": "5000000"},
        "conditions": [{"fact": "sci_tech_award_level", "in": ["national", "provincial"]}],
    },
    {
        "article": "第5条",
        "title": "医药项目科学技术奖奖励",
        "doc": "郑政办〔2022〕52号 第5条（四、5，L738）：“……对获得省级、国家级科学技术奖的医药项目分别给予"
        "500万元、1000万元奖励。”  The award grade (一/二等奖) is not distinguished by the text.",
        "facts": [
            {
                "name": "sci_tech_award_level",
                "label": "医药项目获得的科学技术奖级别",
                "kind": "choice",
                "choices": {
                    "national": "国家级科学技术奖",
                    "provincial": "省级科学技术奖",
                    "none": "未获奖",
                },
            },
        ],
        "matters": ["sci_tech_award"],
    },
)

register_spec(
    "zzb-2022-52/6",
    {
        "type": "sum",
        "label": "新药研发奖励",
        "items": [
            {
                "type": "fixed",
                "name": "phase3",
                "label": "（一）完成Ⅲ期临床试验",
                "amount": "10000000",
                "conditions": ["completed_phase3_trial"],
            },
            {
                "type": "fixed",
                "name": "new_drug",
                "label": "（二）取得新药证书或生产批件",
                "amount": "5000000",
                "conditions": ["new_drug_certificate"],
            },
            {
                "type": "fixed",
                "name": "device",
                "label": "（三）医疗器械或新兽药证书",
                "amount": "1000000",
                "conditions": ["device_or_vet_drug_certificate"],
            },
        ],
    },
    {
        "article": "第6条",
        "title": "临床试验和新药证书奖励",
        "doc": "郑政办〔2022〕52号 第6条（四、6，L742）：“对生物制品（预防和治疗用）、化学药和中药，完成Ⅲ期临床"
        "试验企业，给予1000万元的一次性奖励；取得新药证书或生产批件企业，给予500万元的一次性奖励；对于"
        "获得医疗器械诊断试剂类3类及非诊断试剂类2—3类注册证书和新兽药1—4类新药证书的，给予100万元的"
        "一次性补贴。”  Each item once; items added.",
        "facts": [
            {
                "name": "completed_phase3_trial",
                "kind": "bool",
                "required": False,
                "label": "生物制品、化学药或中药完成Ⅲ期临床试验",
            },
            {
                "name": "new_drug_certificate",
                "label": "取得新药证书或生产批件",
                "kind": "bool",
                "required": False,
            },
            {
                "name": "device_or_vet_drug_certificate",
                "kind": "bool",
                "required": False,
                "label": "获得医疗器械诊断试剂类3类、非诊断试剂类2—3类注册证书或新兽药1—4类新药证书",
            },
        ],
        "matters": ["new_drug_milestone"],
    },
)

register_spec(
    "zzb-2022-52/7",
    {
        "type": "steps",
        "label": "一致性评价奖励",
        "base": "consistency_evaluated_products",
        "step": "1",
        "per_step": "2000000",
        "conditions": [{"fact": "consistency_evaluated_products", "op": ">=", "value": "1"}],
    },
    {
        "article": "第7条",
        "title": "仿制药一致性评价奖励",
        "doc": "郑政办〔2022〕52号 第7条（四、7，L746）：“对通过仿制药质量和疗效一致性评价的医药品种给予200万元的"
        "一次性奖励。”  Per 品种.",
        "facts": [
            {
                "name": "consistency_evaluated_products",
                "kind": "int",
                "label": "本次通过仿制药质量和疗效一致性评价的品种数",
                "unit": "个",
            },
        ],
        "matters": ["generic_consistency_evaluation"],
    },
)

register_spec(
    "zzb-2022-52/8",
    {
        "type": "sum",
        "label": "质量认证奖励",
        "items": [
            {
                "type": "fixed",
                "name": "intl_cert",
                "label": "（一）首次获得FDA、CE等国际认证",
                "amount": "2000000",
                "conditions": ["first_international_certification"],
            },
            {
                "type": "fixed",
                "name": "intl_glp",
                "label": "（二）首次获得国际GLP、GCP资质",
                "amount": "2000000",
                "conditions": ["first_international_glp_gcp"],
            },
            {
                "type": "fixed",
                "name": "national_glp",
                "label": "（三）首次获得国家GLP、GCP资质",
                "amount": "1000000",
                "conditions": ["first_national_glp_gcp"],
            },
        ],
    },
    {
        "article": "第8条",
        "title": "国际国内质量认证奖励",
        "doc": "郑政办〔2022〕52号 第8条（四、8，L752）：“对药品（含原料药）或医疗器械首次获得FDA、CE、EMA、PMDA、"
        "WHO等国际认证的企业给予200万元的一次性奖励；对首次获得国际GLP、GCP资质的企业给予200万元的"
        "一次性奖励；对首次获得国家GLP、GCP资质的企业给予100万元的一次性奖励。”  Items added.",
        "facts": [
            {
                "name": "first_international_certification",
                "kind": "bool",
                "required": False,
                "label": "药品（含原料药）或医疗器械首次获得FDA、CE、EMA、PMDA、WHO等国际认证",
            },
            {
                "name": "first_international_glp_gcp",
                "label": "首次获得国际GLP、GCP资质",
                "kind": "bool",
                "required": False,
            },
            {
                "name": "first_national_glp_gcp",
                "label": "首次获得国家GLP、GCP资质",
                "kind": "bool",
                "required": False,
            },
        ],
        "matters": ["pharma_quality_certification"],
    },
)

register_spec(
    "zzb-2022-52/9",
    new_project_spec("12"),
    {
        "article": "第9条",
        "title": "生物医药新建项目奖励",
        "doc": "郑政办〔2022〕52号 第9条（四、9，L758）：“对投资在2000万元以上的生物医药新建项目，项目完成后，"
        "按照项目生产和设备投资额的12%给予奖励，最高不超过1000万元。”",
        "facts": [COMPLETED, TOTAL_INVESTMENT, PRODUCTION_EQUIPMENT],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)

register_spec(
    "zzb-2022-52/10",
    {
        "type": "percent_capped",
        "label": "检测检验设备补助",
        "base": "testing_equipment_investment",
        "rate": "10",
        "cap": "3000000",
        "conditions": ["advanced_testing_equipment"],
    },
    {
        "article": "第10条",
        "title": "先进检测检验设备补助",
        "doc": "郑政办〔2022〕52号 第10条（四、10，L762）：“对企业购买先进检测检验设备的，按照设备投资额的10%给予"
        "补助，最高不超过300万元。”",
        "facts": [
            {
                "name": "advanced_testing_equipment",
                "label": "购买的是先进检测检验设备",
                "kind": "bool",
            },
            {
                "name": "testing_equipment_investment",
                "label": "检测检验设备投资额",
                "kind": "money",
            },
        ],
        "matters": ["project_equipment_investment"],
        "stacking_groups": ["project_equipment_investment"],
    },
)
