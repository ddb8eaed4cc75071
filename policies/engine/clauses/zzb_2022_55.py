"""郑政办〔2022〕55号《关于加快新一代信息技术产业发展的实施意见》(seed 004, L1126–L1348).

Monetary articles of 四、支持政策, registered as ``zzb-2022-55/<article>``. Line numbers (L…)
point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import choice, choice_list, flag, integer, money, percent
from ..fmt import num, qty, yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from ._shared import TitleLadderClause
from .zzb_2022_shared import (
    AD_COSTS,
    COMPLETED,
    EXHIBITION_COSTS,
    KEY_SECTOR_PARAMS,
    PRODUCTION_EQUIPMENT,
    TOTAL_INVESTMENT,
    fair_and_ads_spec,
    interest_at_capped_rate,
    key_sector_facts,
    key_sector_growth,
    new_project_spec,
)


def _spec(code: str, article: int, title: str, quote: str, spec: dict, facts: list, **meta):
    """Register a data clause whose ``doc`` cites 四、<article> and its line in seed 004."""
    register_spec(
        code,
        spec,
        {"article": f"第{article}条", "title": title, "doc": quote, "facts": facts, **meta},
    )


_spec(
    "zzb-2022-55/1",
    1,
    "首次进入中国电子信息企业百强奖励",
    "郑政办〔2022〕55号 第1条（四、1，加大龙头企业支持力度，L1244）：“对首次进入‘中国电子信息企业百强’的企业，"
    "给予300万元的一次性奖励。”",
    {
        "type": "fixed",
        "label": "进入百强一次性奖励",
        "amount": "3000000",
        "conditions": ["first_electronics_top100"],
    },
    [
        {
            "name": "first_electronics_top100",
            "label": "首次进入“中国电子信息企业百强”",
            "kind": "bool",
        }
    ],
    matters=["electronics_top100"],
    once_per_enterprise=True,
)


@register
class Zzb2022_55_2(Clause):
    """郑政办〔2022〕55号 第2条（四、2，支持重点新兴领域加快发展，L1248）：
    “对入库的规模以上电子信息关键制造业企业（传感器、芯片、晶圆、面板），以上年为基数，主营业务收入
    5000万元以上，每增长1个百分点，奖励5万元，单个企业每年最高不超过300万元。”
    """

    code, article, title = "zzb-2022-55/2", "第2条", "电子信息关键制造业增长奖励"
    facts = key_sector_facts("入库的规模以上电子信息关键制造业企业（传感器、芯片、晶圆、面板）")
    params = KEY_SECTOR_PARAMS
    matters = ("key_sector_revenue_growth",)
    stacking_groups = ("key_sector_revenue_growth",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        return key_sector_growth(t, f, p, "入库的规模以上电子信息关键制造业企业")


_spec(
    "zzb-2022-55/3",
    3,
    "企业总部落户支持",
    "郑政办〔2022〕55号 第3条（四、3，支持企业总部基地建设，L1252）：“对全球500强、全国电子信息百强、全国工业"
    "互联网双跨平台、国内外主板上市新一代信息技术企业在我市落户总部的，可采取‘一事一议’方式，在项目投资、"
    "用地指标、企业搬迁、股权投资、物流费用等方面给予支持。”  No figure: no_formula.",
    {
        "type": "no_formula",
        "label": "总部落户支持",
        "note": "可采取“一事一议”方式给予支持",
        "conditions": ["qualifying_hq_relocation"],
    },
    [
        {
            "name": "qualifying_hq_relocation",
            "kind": "bool",
            "label": "全球500强、全国电子信息百强、双跨平台或主板上市新一代信息技术企业在郑落户总部",
        }
    ],
    matters=["hq_relocation"],
)

_spec(
    "zzb-2022-55/4",
    4,
    "工业互联网平台奖励",
    "郑政办〔2022〕55号 第4条（四、4，支持工业互联网平台发展，L1258）：“对被工信部认定为跨行业、跨领域工业"
    "互联网平台的，一次性奖励1000万元。对总部落户郑州的双跨平台给予一次性1000万元奖励；支持双跨平台在"
    "郑州设立控股子公司，对经营情况良好的子公司给予一次性200万元奖励。对服务企业数超过200家且设备连接数"
    "超过5000台（套）的平台，按照平台年度服务收入的30%给予补助，最高不超过500万元。对获得国家级、省级"
    "工业互联网资金支持的，按照上级拨付资金的50%给予配套。”  Sub-items added; the match has no cap.",
    {
        "type": "sum",
        "label": "工业互联网平台奖励",
        "items": [
            {
                "type": "fixed",
                "name": "recognised",
                "label": "（一）工信部认定双跨平台",
                "amount": "10000000",
                "conditions": ["miit_cross_industry_platform"],
            },
            {
                "type": "fixed",
                "name": "hq",
                "label": "（二）双跨平台总部落户郑州",
                "amount": "10000000",
                "conditions": ["cross_industry_platform_hq_in_zhengzhou"],
            },
            {
                "type": "fixed",
                "name": "subsidiary",
                "label": "（三）双跨平台在郑控股子公司",
                "amount": "2000000",
                "conditions": ["platform_subsidiary_operating_well"],
            },
            {
                "type": "percent_capped",
                "name": "service",
                "label": "（四）平台服务收入补助",
                "base": "platform_service_revenue",
                "rate": "30",
                "cap": "5000000",
                "conditions": [
                    {"fact": "served_enterprises", "op": ">", "value": "200"},
                    {"fact": "connected_devices", "op": ">", "value": "5000"},
                ],
            },
            {
                "type": "matching",
                "name": "match",
                "label": "（五）上级工业互联网资金配套",
                "base": "higher_level_iiot_funds",
                "ratio": "0.5",
                "conditions": ["received_higher_level_iiot_funds"],
            },
        ],
    },
    [
        {
            "name": "miit_cross_industry_platform",
            "label": "被工信部认定为跨行业、跨领域工业互联网平台",
            "kind": "bool",
            "required": False,
        },
        {
            "name": "cross_industry_platform_hq_in_zhengzhou",
            "label": "双跨平台总部落户郑州",
            "kind": "bool",
            "required": False,
        },
        {
            "name": "platform_subsidiary_operating_well",
            "kind": "bool",
            "required": False,
            "label": "双跨平台在郑州设立的控股子公司，经营情况良好（本企业为该子公司）",
        },
        {
            "name": "served_enterprises",
            "label": "平台服务企业数",
            "kind": "int",
            "unit": "家",
            "required": False,
        },
        {
            "name": "connected_devices",
            "label": "平台设备连接数",
            "kind": "int",
            "unit": "台（套）",
            "required": False,
        },
        {
            "name": "platform_service_revenue",
            "label": "平台年度服务收入",
            "kind": "money",
            "required": False,
        },
        {
            "name": "received_higher_level_iiot_funds",
            "label": "获得国家级、省级工业互联网资金支持",
            "kind": "bool",
            "required": False,
        },
        {
            "name": "higher_level_iiot_funds",
            "label": "国家级、省级工业互联网资金上级拨付额",
            "kind": "money",
            "required": False,
        },
    ],
    matters=["industrial_internet_platform", "cross_industry_platform"],
    stacking_groups=["cross_industry_platform"],  # the same 双跨 platform as 23号第17条
    group_items={"cross_industry_platform": ["recognised", "hq"]},
)


@register
class Zzb2022_55_5(Clause):
    """郑政办〔2022〕55号 第5条（四、5，支持工业互联网标识解析体系建设，L1262–L1264）：
    “被国家或省工业互联网标识解析管理部门认定的工业互联网标识解析二级节点，按项目建设金额的30%给予
    项目牵头单位一次性奖励，最高不超过200万元。鼓励工业互联网服务商依托工业互联网标识解析二级节点
    开展应用服务，按照年度标识解析服务收入的10%给予补助，最高不超过200万元。对依托郑州工业互联网
    标识解析节点开展应用的企业，年度新增标识注册量每超过200万条（解析量不低于1000万次）给予10万元
    补助，最高不超过200万元。”
    Reading: “每超过200万条” counts the multiples of 200万 that the registrations strictly
    exceed (exactly 200万 gives none); the 1000万 resolutions are a yearly gate. Added.
    """

    code, article, title = "zzb-2022-55/5", "第5条", "工业互联网标识解析奖励"
    combine = "sum"
    facts = (
        flag(
            "secondary_node_recognised",
            "被国家或省认定的标识解析二级节点（本单位为牵头单位）",
            required=False,
        ),
        money("node_construction_amount", "二级节点项目建设金额", required=False),
        money("resolution_service_revenue", "依托二级节点的年度标识解析服务收入", required=False),
        integer("new_registrations", "依托郑州节点的年度新增标识注册量", required=False, unit="条"),
        integer("annual_resolutions", "年度解析量", required=False, unit="次"),
    )
    params = (
        ParamSpec("node_rate", "（一）建设金额奖励比例（%）", "percent", "30"),
        ParamSpec("node_cap", "（一）最高奖励", "cap", "2000000"),
        ParamSpec("service_rate", "（二）服务收入补助比例（%）", "percent", "10"),
        ParamSpec("service_cap", "（二）最高补助", "cap", "2000000"),
        ParamSpec("registration_step", "（三）每档注册量（条）", "number", "2000000"),
        ParamSpec("registration_op", "（三）每档比较符（超过）", "comparator", ">"),
        ParamSpec("resolutions_min", "（三）年度解析量门槛（次）", "threshold", ">=10000000"),
        ParamSpec("per_step", "（三）每档补助", "money", "100000"),
        ParamSpec("registration_cap", "（三）最高补助", "cap", "2000000"),
    )
    matters = ("identifier_resolution",)

    def compute(self, f, p, t):
        parts = []
        if f["secondary_node_recognised"]:
            t.reason("（一）本单位为经认定的标识解析二级节点的项目牵头单位")
            parts.append(
                (
                    "（一）",
                    blocks.percent_of(
                        t,
                        "（一）二级节点建设奖励",
                        f["node_construction_amount"],
                        p["node_rate"],
                        p["node_cap"],
                    ),
                )
            )
        if f["resolution_service_revenue"] > 0:
            t.reason("（二）依托二级节点开展标识解析应用服务")
            parts.append(
                (
                    "（二）",
                    blocks.percent_of(
                        t,
                        "（二）标识解析服务补助",
                        f["resolution_service_revenue"],
                        p["service_rate"],
                        p["service_cap"],
                    ),
                )
            )
        if f["new_registrations"]:
            parts.append(("（三）", self._registrations(f, p, t)))
        if not parts:
            t.fail("未填报二级节点建设、标识解析服务收入或新增标识注册量")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)

    def _registrations(self, f, p, t) -> Decimal:
        resolutions, gate = Decimal(f["annual_resolutions"]), p["resolutions_min"]
        if not gate.met(resolutions):
            t.reason(f"（三）年度解析量{qty(resolutions, '次')}，未{gate.words('次')}")
            return ZERO
        t.reason(f"（三）年度解析量{qty(resolutions, '次')}，{gate.words('次')}")
        n, step = Decimal(f["new_registrations"]), p["registration_step"]
        steps = (n - 1) // step if p["registration_op"] == ">" else n // step
        t.step(
            f"（三）新增注册量{qty(n, '条')}，每{'超过' if p['registration_op'] == '>' else '达到'}"
            f"{qty(step, '条')}一档，共{num(steps)}档 × {yuan(p['per_step'])}",
            yuan(steps * p["per_step"]),
        )
        return blocks.cap_at(t, "（三）标识注册补助", steps * p["per_step"], p["registration_cap"])


_spec(
    "zzb-2022-55/6",
    6,
    "上云上平台服务券",
    "郑政办〔2022〕55号 第6条（四、6，L1268）：“……每年安排不超过3000万元‘上云上平台’服务券，上云企业根据"
    "‘星级’评定结果和产品类别申领，每家企业每年最高申领100万元。”  As 郑政文〔2022〕155号第12条: the "
    "voucher amount the star rating entitles to, up to 100万 a year (a ceiling).",
    {
        "type": "claim_capped",
        "label": "上云上平台服务券",
        "base": "voucher_amount",
        "cap": "1000000",
        "conditions": ["cloud_star_rated"],
    },
    [
        {"name": "cloud_star_rated", "label": "上云企业已获“星级”评定", "kind": "bool"},
        {"name": "voucher_amount", "label": "按星级和产品类别可申领的服务券金额", "kind": "money"},
    ],
    matters=["cloud_platform_vouchers"],
    stacking_groups=["cloud_platform_vouchers"],
    annual_cap_param="cap",
)

_spec(
    "zzb-2022-55/7",
    7,
    "工业APP优秀解决方案奖励",
    "郑政办〔2022〕55号 第7条（四、7，L1272）：“……对获评国家级工业APP优秀解决方案，每个奖励100万元，同一年度"
    "单个企业最高不超过300万元。”",
    {
        "type": "steps",
        "label": "工业APP优秀解决方案奖励",
        "base": "excellent_app_solutions",
        "step": "1",
        "per_step": "1000000",
        "cap": "3000000",
        "conditions": [{"fact": "excellent_app_solutions", "op": ">=", "value": "1"}],
    },
    [
        {
            "name": "excellent_app_solutions",
            "label": "本年度获评国家级工业APP优秀解决方案个数",
            "kind": "int",
            "unit": "个",
        }
    ],
    matters=["industrial_app_solution"],
    annual_cap_param="cap",
)

_spec(
    "zzb-2022-55/8",
    8,
    "MEMS研发中试平台补助和奖励",
    "郑政办〔2022〕55号 第8条（四、8，L1278）：“支持MEMS研发中试平台加快建设，按照平台设备投资额的30%给予补助，"
    "最高不超过1000万元。鼓励MEMS中试平台为智能传感器（含集成电路）企业提供服务，按照上一年度平台主营"
    "业务收入的30%给予奖励，每年最高不超过500万元。”  Added.",
    {
        "type": "sum",
        "label": "MEMS中试平台",
        "conditions": ["mems_pilot_platform"],
        "items": [
            {
                "type": "percent_capped",
                "name": "build",
                "label": "（一）平台建设补助",
                "base": "platform_equipment_investment",
                "rate": "30",
                "cap": "10000000",
            },
            {
                "type": "percent_capped",
                "name": "service",
                "label": "（二）平台服务奖励",
                "base": "platform_revenue_prev_year",
                "rate": "30",
                "cap": "5000000",
            },
        ],
    },
    [
        {"name": "mems_pilot_platform", "label": "MEMS研发中试平台", "kind": "bool"},
        {
            "name": "platform_equipment_investment",
            "label": "平台设备投资额",
            "kind": "money",
            "required": False,
        },
        {
            "name": "platform_revenue_prev_year",
            "label": "上一年度平台主营业务收入（为智能传感器企业服务）",
            "kind": "money",
            "required": False,
        },
    ],
    matters=["mems_pilot_platform"],
)

_spec(
    "zzb-2022-55/9",
    9,
    "工业互联网应用创新推广中心运营补贴",
    "郑政办〔2022〕55号 第9条（四、9，L1282–L1284）：“……制定年度任务指标，根据完成情况每年给予不超过500万元运营"
    "补贴奖励。”  Only a ceiling (floor 0): the amount follows the yearly task review.",
    {
        "type": "band",
        "label": "运营补贴奖励",
        "min": "0",
        "max": "5000000",
        "conditions": ["promotion_centre_operator"],
    },
    [
        {
            "name": "promotion_centre_operator",
            "label": "国家级工业互联网平台应用创新推广中心运营单位",
            "kind": "bool",
        }
    ],
    matters=["iiot_promotion_centre"],
)

_spec(
    "zzb-2022-55/10",
    10,
    "芯片首轮流片补助",
    "郑政办〔2022〕55号 第10条（四、10，L1288）：“支持芯片企业首轮流片，对企业自主研发设计生产核心芯片（MEMS传感器、"
    "5G、网络安全、北斗、新型显示、智能终端），给予工程产品首轮流片费用40%的补助，单个企业每年补助总额"
    "不超过500万元。”",
    {
        "type": "percent_capped",
        "label": "首轮流片补助",
        "base": "first_tapeout_cost",
        "rate": "40",
        "cap": "5000000",
        "conditions": ["core_chip_self_designed"],
    },
    [
        {
            "name": "core_chip_self_designed",
            "kind": "bool",
            "label": "自主研发设计生产核心芯片（MEMS传感器、5G、网络安全、北斗、新型显示、智能终端）",
        },
        {"name": "first_tapeout_cost", "label": "工程产品首轮流片费用", "kind": "money"},
    ],
    matters=["chip_tapeout"],
    annual_cap_param="cap",
)

CERT_LEVELS = {
    "level_1": "一级",
    "level_2": "二级",
    "level_3": "三级",
    "level_4": "四级",
    "level_5": "五级",
    "ungraded": "分级评估前（或未实施分级认证）首次获证",
}


@register
class Zzb2022_55_11(Clause):
    """郑政办〔2022〕55号 第11条（四、11，L1292）：
    “对开展两化融合管理体系、智能制造能力成熟度、工业控制系统信息安全防护等标准体系贯标的规模以上
    工业企业，按照证书级别从低到高分别奖励10万元、20万元、30万元、40万元和50万元；证书升级按差额
    奖励，对实施分级评估前（或未实施分级认证）首次获证企业一次性奖励10万元。”
    差额: the level's amount minus the highest amount already received, never below 0.
    """

    code, article, title = "zzb-2022-55/11", "第11条", "标准贯标奖励"
    combine = "tier_difference"
    facts = (
        flag("above_scale", "规模以上工业企业"),
        choice("certificate_level", "本次取得的贯标证书级别", CERT_LEVELS),
        choice_list("previous_levels", "此前已获奖励的证书级别", CERT_LEVELS),
    )
    params = (
        ParamSpec(
            "amounts",
            "各级别奖励",
            "amounts",
            {
                "level_1": "100000",
                "level_2": "200000",
                "level_3": "300000",
                "level_4": "400000",
                "level_5": "500000",
                "ungraded": "100000",
            },
        ),
    )
    matters = ("standards_certificate",)
    ladder = "standards_certificate"

    def compute(self, f, p, t):
        if not t.check(f["above_scale"], "企业为规模以上工业企业", "企业不是规模以上工业企业"):
            return ZERO
        amounts, level = p["amounts"], f["certificate_level"]
        full = blocks.fixed(t, f"{CERT_LEVELS[level]}证书奖励标准", amounts[level])
        for prev in f["previous_levels"]:
            t.step(f"此前已获：{CERT_LEVELS[prev]}证书", yuan(amounts[prev]))
        return blocks.tier_difference(
            t, "按差额奖励", full, [amounts[x] for x in f["previous_levels"]]
        )


_spec(
    "zzb-2022-55/12",
    12,
    "新一代信息技术新建项目奖励",
    "郑政办〔2022〕55号 第12条（四、12，L1298）：“对投资在2000万元以上的新一代信息技术产业新建项目，项目完成后，"
    "按照项目生产和设备投资额的12%给予奖励，最高不超过1000万元。对重大产业链项目采取‘一事一议’方式给予"
    "特别政策支持。”  一事一议 is outside the engine.",
    new_project_spec("12"),
    [COMPLETED, TOTAL_INVESTMENT, PRODUCTION_EQUIPMENT],
    matters=["project_equipment_investment"],
    stacking_groups=["project_equipment_investment"],
)


@register
class Zzb2022_55_13(Clause):
    """郑政办〔2022〕55号 第13条（四、13，支持企业开展智能化改造，L1302）：
    “对智能制造新建或改造项目，按照智能制造设备及软件投资额的20%给予补助，最高不超过1000万元。对使用
    银行贷款实施的智能制造新建或改造项目，经评审认定后给予贴息，单个企业每年最高不超过300万元，政策
    有效期内贴息期限最高3年，纳入贴息范围的贷款利率不超过同期贷款市场报价利率（LPR）。”
    Reading: the interest share is not stated, so (二) returns its ceiling (interest counted at
    most at LPR, ≤ 300万 a year, years 1–3), flagged as a ceiling. Added.
    """

    code, article, title = "zzb-2022-55/13", "第13条", "智能化改造补助和贴息"
    combine = "sum"
    facts = (
        money("smart_equipment_software_investment", "智能制造设备及软件投资额", required=False),
        flag("interest_subsidy_approved", "贷款项目经评审认定给予贴息", required=False),
        money("loan_interest_paid", "本年度项目贷款实付利息", required=False),
        percent("loan_rate_pct", "贷款年利率（%）", required=False),
        percent("lpr_pct", "同期贷款市场报价利率LPR（%）", required=False),
        integer("interest_year", "贴息第几年", required=False, help="政策有效期内最长3年"),
    )
    params = (
        ParamSpec("rate", "（一）补助比例（%）", "percent", "20"),
        ParamSpec("cap", "（一）最高补助", "cap", "10000000"),
        ParamSpec("interest_cap", "（二）单个企业每年最高贴息", "cap", "3000000"),
        ParamSpec("interest_years", "（二）贴息期限（年）", "int", 3),
    )
    matters = ("project_equipment_investment", "smart_manufacturing_loan_interest")
    stacking_groups = ("project_equipment_investment",)

    def compute(self, f, p, t):
        parts = []
        if f["smart_equipment_software_investment"] > 0:
            t.reason("（一）实施智能制造新建或改造项目")
            parts.append(
                (
                    "（一）",
                    blocks.percent_of(
                        t,
                        "（一）智能化改造补助",
                        f["smart_equipment_software_investment"],
                        p["rate"],
                        p["cap"],
                    ),
                )
            )
        if f["interest_subsidy_approved"]:
            parts.append(("（二）", self._interest(f, p, t)))
            if t.is_ceiling:  # the band floor: （一） is firm, （二） may be lowered to 0
                t.floor = sum((a for n, a in parts if n == "（一）"), ZERO)
        if not parts:
            t.fail("未填报智能制造设备及软件投资，也未经评审认定贴息")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)

    def _interest(self, f, p, t) -> Decimal:
        year = f["interest_year"]
        if not 1 <= year <= p["interest_years"]:
            t.reason(f"（二）贴息第{year}年，不在贴息期限{p['interest_years']}年内")
            return ZERO
        t.is_ceiling = True
        t.reason("（二）政策未规定贴息比例，按LPR以内利息全额计算的金额为贴息上限，由评审核定")
        counted = interest_at_capped_rate(
            t, "（二）计息", f["loan_interest_paid"], f["loan_rate_pct"], f["lpr_pct"]
        )
        return blocks.cap_at(t, "（二）贴息上限", counted, p["interest_cap"])


_spec(
    "zzb-2022-55/14",
    14,
    "试点示范奖励",
    "郑政办〔2022〕55号 第14条（四、14，L1308）：“对获得国家、省级工信部门认定的新一代信息技术与制造业融合发展、"
    "工业互联网、服务型制造、新型信息消费、大数据、网络安全等试点示范项目（企业、平台），分别给予100万元、"
    "50万元一次性奖励。同一企业同一称号只享受一次财政资金奖励，同一企业同一申报年度获得多项称号的按就高"
    "原则只享受一项奖励。”  就高 within the 申报年度; 同一称号只一次 is a cross-case check.",
    {
        "type": "choice",
        "label": "试点示范奖励",
        "fact": "pilot_titles",
        "pick": "max",
        "amounts": {"national": "1000000", "provincial": "500000"},
        "conditions": ["recognised_by_industry_dept"],
    },
    [
        {
            "name": "recognised_by_industry_dept",
            "kind": "bool",
            "label": "试点示范项目（企业、平台）经国家或省级工信部门认定",
        },
        {
            "name": "pilot_titles",
            "label": "本申报年度获得的试点示范称号级别",
            "kind": "choice_list",
            "choices": {"national": "国家级试点示范", "provincial": "省级试点示范"},
        },
    ],
    matters=["pilot_demonstration_title"],
    stacking_groups=["pilot_demonstration_title"],
)

SMART_TITLES = {
    "national_demo_factory": "国家级智能制造示范工厂",
    "national_application_scene": "国家级智能制造应用场景",
    "provincial_benchmark": "省级智能制造标杆",
    "provincial_smart_factory": "省级智能工厂",
    "provincial_smart_workshop": "省级智能车间",
}


@register
class Zzb2022_55_15(TitleLadderClause):
    """郑政办〔2022〕55号 第15条（四、15，支持企业建设智能工厂（车间），L1312）：
    “对获评省级智能车间、智能工厂、智能制造标杆称号的，分别给予30、50、100万元一次性奖励；对获评国家级
    智能制造应用场景、智能制造示范工厂的，分别给予100、300万元奖励。同一企业获得不同等级称号的按照级差
    给予奖励。”  级差 as 郑政〔2023〕23号第15条 (same ladder across the two policies).
    """

    code, article, title = "zzb-2022-55/15", "第15条", "智能工厂（车间）奖励"
    titles = SMART_TITLES
    amounts = {
        "national_demo_factory": "3000000",
        "national_application_scene": "1000000",
        "provincial_benchmark": "1000000",
        "provincial_smart_factory": "500000",
        "provincial_smart_workshop": "300000",
    }


_spec(
    "zzb-2022-55/16",
    16,
    "数字化转型服务商扶持",
    "郑政办〔2022〕55号 第16条（四、16，L1316）：“……对参与数字化转型揭榜挂帅项目的数字化转型服务商按照项目合同"
    "金额的5%给予扶持，最高不超过300万元。”",
    {
        "type": "percent_capped",
        "label": "数字化转型服务商扶持",
        "base": "project_contract_amount",
        "rate": "5",
        "cap": "3000000",
        "conditions": ["jbgs_service_provider"],
    },
    [
        {
            "name": "jbgs_service_provider",
            "label": "参与数字化转型揭榜挂帅项目的数字化转型服务商",
            "kind": "bool",
        },
        {"name": "project_contract_amount", "label": "揭榜挂帅项目合同金额", "kind": "money"},
    ],
    matters=["digital_transformation_provider"],
)

_spec(
    "zzb-2022-55/17",
    17,
    "展会和中央媒体广告补贴",
    "郑政办〔2022〕55号 第17条（四、17，L1322）：“鼓励企业积极参加各级展销会、博览会，按照场地租赁费、布展费的70%"
    "给予补贴，每个企业每年补贴金额不超过100万元。对于在中央一级媒体做产品广告的工业企业，按照广告费的5%"
    "给予补贴，每户企业每年补贴额不超过200万元。”  The two added.",
    fair_and_ads_spec("ngit_enterprise"),
    [
        {"name": "ngit_enterprise", "label": "新一代信息技术产业企业", "kind": "bool"},
        EXHIBITION_COSTS,
        AD_COSTS,
    ],
    matters=["exhibition_participation", "central_media_advertising"],
    stacking_groups=["exhibition_participation", "central_media_advertising"],
)
