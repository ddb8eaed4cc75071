"""郑政〔2023〕23号《郑州市进一步加强制造业高质量发展若干政策》(seed 001).

One class per monetary article, registered under ``zz-2023-23/<article>``. Numbers are
params (defaults from the text); the formula shape is code. Readings follow
``shared/spec/award-contract.md``; readings of articles the contract does not list are stated
in each docstring. Articles 23-26 (要素保障) grant no award of their own.
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import choice, choice_list, flag, integer, money, percent, rank
from ..fmt import pct, yuan
from ..params import ParamSpec
from ..registry import register
from ..result import Trace
from ._shared import CHAIN_FACTS, TitleLadderClause, chain_leader_award, chain_params

INDUSTRIAL = flag("industrial", "工业企业")


def _choice_award(t: Trace, label: str, spec_choices: dict, value: str, amounts: dict) -> Decimal:
    return blocks.fixed(t, f"{label}：{spec_choices[value]}", amounts[value])


@register
class Zz2023_23_1(Clause):
    """郑政〔2023〕23号 第1条（培育“500强”企业）：
    “对进入中国500强的制造业企业给予1000万元的一次性奖励，对榜单内企业，排名较历年最高位次每提高
    5位，再给予300万元的一次性奖励；对进入中国制造业500强的企业给予500万元的一次性奖励，对榜单内
    企业，排名较历年最高位次每提高5位，再给予200万元的一次性奖励，同一企业每年最高奖励不超过
    1000万元。”  Contract reading: entry award when there is no earlier rank; otherwise per full
    5 places above the best earlier rank; the two lists summed, capped at 1000万 a year.
    """

    code, article, title = "zz-2023-23/1", "第1条", "“500强”企业奖励"
    combine = "sum"
    facts = (
        flag("manufacturing", "制造业企业"),
        rank("china500_rank", "本年中国500强排名", required=False, help="未上榜填空"),
        rank("china500_best_rank_before", "中国500强历年最高排名", required=False,
             help="本年上榜时必填；此前从未上榜填“无”", needed_if="china500_rank"),
        rank("mfg500_rank", "本年中国制造业500强排名", required=False, help="未上榜填空"),
        rank("mfg500_best_rank_before", "中国制造业500强历年最高排名", required=False,
             help="本年上榜时必填；此前从未上榜填“无”", needed_if="mfg500_rank"),
    )  # fmt: skip
    params = (
        ParamSpec("china_entry", "进入中国500强奖励", "money", "10000000"),
        ParamSpec("china_per_step", "中国500强每提高一档奖励", "money", "3000000"),
        ParamSpec("mfg_entry", "进入中国制造业500强奖励", "money", "5000000"),
        ParamSpec("mfg_per_step", "中国制造业500强每提高一档奖励", "money", "2000000"),
        ParamSpec("places", "每档位次数", "int", 5),
        ParamSpec("cap", "同一企业每年最高奖励", "cap", "10000000"),
    )
    matters = ("top500_ranking",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(f["manufacturing"], "企业为制造业企业", "企业不是制造业企业"):
            return ZERO
        parts = []
        for key, name in (("china500", "中国500强"), ("mfg500", "中国制造业500强")):
            now, best = f[f"{key}_rank"], f[f"{key}_best_rank_before"]
            pkey = key.removesuffix("500")
            if now is None:
                t.reason(f"本年未进入{name}榜单")
            elif best is None:
                t.reason(f"首次进入{name}（第{now}位）")
                parts.append((name, blocks.fixed(t, f"进入{name}", p[f"{pkey}_entry"])))
            else:
                t.reason(f"{name}本年第{now}位，历年最高第{best}位")
                amount = blocks.whole_steps(
                    t, f"{name}排名较历年最高位次提高", Decimal(best - now),
                    Decimal(p["places"]), p[f"{pkey}_per_step"], unit="位",
                )  # fmt: skip
                parts.append((name, amount))
        return blocks.capped_sum(t, "合计", parts, p["cap"])


@register
class Zz2023_23_2(Clause):
    """郑政〔2023〕23号 第2条（培育“独角兽”企业）：
    “对入选国际国内权威榜单的独角兽、潜在独角兽工业和信息化企业，分别给予500万元、200万元的
    一次性奖励。”
    """

    code, article, title = "zz-2023-23/2", "第2条", "“独角兽”企业奖励"
    STATUSES = {"unicorn": "独角兽企业", "potential": "潜在独角兽企业"}
    facts = (
        flag("industry_it", "工业和信息化企业"),
        choice("unicorn_status", "入选国际国内权威榜单", STATUSES),
    )
    params = (
        ParamSpec("amounts", "奖励金额", "amounts", {"unicorn": "5000000", "potential": "2000000"}),
    )
    matters = ("unicorn_listing",)

    def compute(self, f, p, t):
        if not t.check(f["industry_it"], "企业为工业和信息化企业", "企业不是工业和信息化企业"):
            return ZERO
        t.reason(f"入选权威榜单：{self.STATUSES[f['unicorn_status']]}")
        return _choice_award(t, "一次性奖励", self.STATUSES, f["unicorn_status"], p["amounts"])


@register
class Zz2023_23_3(Clause):
    """郑政〔2023〕23号 第3条（培育“专精特新”企业）：
    “对认定为专精特新‘小巨人’企业、省级‘专精特新’企业的，按照相关政策给予支持。”
    No figure in the text: no_formula.
    """

    code, article, title = "zz-2023-23/3", "第3条", "“专精特新”企业支持"
    computable = False
    facts = (
        choice(
            "srdi_title",
            "认定称号",
            {"little_giant": "专精特新“小巨人”企业", "provincial": "省级“专精特新”企业",
             "none": "未获认定"},
        ),
    )  # fmt: skip
    matters = ("srdi_title",)
    stacking_groups = ("srdi_title",)

    def compute(self, f, p, t):
        if t.check(f["srdi_title"] != "none", "企业已获专精特新认定", "企业未获专精特新认定"):
            t.reason("按照相关政策给予支持（政策原文未规定金额）")
        return ZERO


@register
class Zz2023_23_4(Clause):
    """郑政〔2023〕23号 第4条（培育“头雁”企业）：
    “对获评省‘头雁’企业的，给予50万元的一次性奖励，同一企业只享受一次。”
    """

    code, article, title = "zz-2023-23/4", "第4条", "“头雁”企业奖励"
    facts = (flag("provincial_head_goose", "获评省“头雁”企业"),)
    params = (ParamSpec("amount", "奖励金额", "money", "500000"),)
    matters = ("head_goose_title",)
    once_per_enterprise = True

    def compute(self, f, p, t):
        if not t.check(
            f["provincial_head_goose"], "企业获评省“头雁”企业", "企业未获评省“头雁”企业"
        ):
            return ZERO
        t.reason("同一企业只享受一次（由跨案件规则核对既往奖励）")
        return blocks.fixed(t, "“头雁”企业一次性奖励", p["amount"])


def _milestone_params(levels: list[dict], start: str, step: str, amount: str, cap: str | None):
    return (
        ParamSpec("levels", "首次超过的门槛及奖励", "tiers", levels, unit="元"),
        ParamSpec("repeat_from", "台阶起点", "money", start),
        ParamSpec("repeat_step", "每个台阶", "money", step),
        ParamSpec("repeat_amount", "每上一个台阶奖励", "money", amount),
        ParamSpec("repeat_op", "台阶比较符", "comparator", ">="),
        ParamSpec("cap", "同一企业每年最高奖励（空为不设上限）", "cap", cap),
    )


def _milestones(t: Trace, f: dict, p: dict) -> Decimal:
    return blocks.thresholds_crossed(
        t, "年主营业务收入", f["revenue_year"], f["revenue_best_before"], p["levels"],
        repeat_from=p["repeat_from"], repeat_step=p["repeat_step"],
        repeat_amount=p["repeat_amount"], repeat_op=p["repeat_op"], cap=p["cap"],
    )  # fmt: skip


MILESTONE_FACTS = (
    INDUSTRIAL,
    money("revenue_year", "本年主营业务收入"),
    money("revenue_best_before", "历年最高年主营业务收入", help="此前任一年度的最高值"),
)


@register
class Zz2023_23_5(Clause):
    """郑政〔2023〕23号 第5条（支持大企业跃上新台阶）：
    “对年主营业务收入首次超过50亿元、100亿元的工业企业，分别给予200万元、400万元的一次性奖励。
    超100亿元后，企业年主营业务收入每上一个50亿元台阶，再给予200万元的一次性奖励，同一企业每年
    最高奖励不超过1000万元。”  Contract reading: 首次超过 is judged against the best earlier
    year; 超过 excludes the number (民法典第1259条): a threshold is first exceeded when this
    year's figure is > it and the best earlier year's is ≤ it; a 50亿 step (每上一个台阶) counts
    when reached (≥); every threshold crossed this year counts; capped at 1000万 a year.
    """

    code, article, title = "zz-2023-23/5", "第5条", "大企业跃上新台阶奖励"
    combine = "sum"
    facts = MILESTONE_FACTS
    params = _milestone_params(
        [
            {"value": "5000000000", "op": ">", "amount": "2000000"},
            {"value": "10000000000", "op": ">", "amount": "4000000"},
        ],
        "10000000000", "5000000000", "2000000", "10000000",
    )  # fmt: skip
    matters = ("revenue_milestone",)
    stacking_groups = ("revenue_milestone",)  # 从高不重复 with other policies' milestones
    stacks_with = ("zz-2023-23/6",)  # ...but cumulative with 第6条 of the same policy
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(f["industrial"], "企业为工业企业", "企业不是工业企业"):
            return ZERO
        return _milestones(t, f, p)


@register
class Zz2023_23_6(Clause):
    """郑政〔2023〕23号 第6条（支持战略性新兴企业倍增发展）：
    “对年主营业务收入首次超过5亿元、10亿元，且战略性新兴产业营业收入占该企业主营业务收入50%以上
    的工业企业，分别给予100万元、200万元的一次性奖励。超10亿元后，企业年主营业务收入每上一个5亿元
    台阶，再给予100万元的一次性奖励。”  Same reading as 第5条; no cap in the text.
    """

    code, article, title = "zz-2023-23/6", "第6条", "战略性新兴企业倍增奖励"
    combine = "sum"
    facts = (
        *MILESTONE_FACTS,
        percent("sei_revenue_share_pct", "战略性新兴产业营业收入占主营业务收入比重",
                minimum=Decimal(0), maximum=Decimal(100)),
    )  # fmt: skip
    params = (
        ParamSpec("share", "战略性新兴产业收入占比门槛（%）", "threshold", ">=50"),
        *_milestone_params(
            [
                {"value": "500000000", "op": ">", "amount": "1000000"},
                {"value": "1000000000", "op": ">", "amount": "2000000"},
            ],
            "1000000000", "500000000", "1000000", None,
        ),
    )  # fmt: skip
    matters = ("revenue_milestone",)
    stacking_groups = ("revenue_milestone",)
    stacks_with = ("zz-2023-23/5",)

    def compute(self, f, p, t):
        ok = t.check(f["industrial"], "企业为工业企业", "企业不是工业企业")
        share, thr = f["sei_revenue_share_pct"], p["share"]
        ok &= t.check(
            thr.met(share),
            f"战略性新兴产业收入占比{pct(share)}，{thr.words('%')}",
            f"战略性新兴产业收入占比{pct(share)}，未{thr.words('%')}",
        )
        return _milestones(t, f, p) if ok else ZERO


@register
class Zz2023_23_7(Clause):
    """郑政〔2023〕23号 第7条（支持重点领域企业上规模成优势）：
    “对入库的年主营业务收入5000万元至5亿元的电子信息关键制造业企业（传感器、集成电路、新型显示、
    先进计算、5G、北斗）、新材料企业（不含铝基新材料）、节能环保产业企业，以上年为基数，年主营业务
    收入每增长5个百分点，奖励10万元，同一企业每年最高奖励不超过300万元。”
    Contract reading: revenue within 50M…500M inclusive; whole 5-point steps of growth.
    """

    code, article, title = "zz-2023-23/7", "第7条", "重点领域企业上规模奖励"
    SECTORS = {
        "electronic_key": "电子信息关键制造业（传感器、集成电路、新型显示、先进计算、5G、北斗）",
        "new_materials": "新材料（不含铝基新材料）",
        "energy_saving": "节能环保产业",
        "aluminium_materials": "铝基新材料",
        "other": "其他行业",
    }
    ELIGIBLE = ("electronic_key", "new_materials", "energy_saving")
    facts = (
        flag("in_database", "已入库企业"),
        choice("sector", "所属领域", SECTORS),
        money("revenue_year", "本年主营业务收入"),
        money("revenue_prev_year", "上年主营业务收入"),
    )
    params = (
        ParamSpec("revenue_min", "年主营业务收入下限", "threshold", ">=50000000"),
        ParamSpec("revenue_max", "年主营业务收入上限（含）", "money", "500000000"),
        ParamSpec("points", "每增长百分点数", "number", "5"),
        ParamSpec("per_step", "每档奖励", "money", "100000"),
        ParamSpec("cap", "同一企业每年最高奖励", "cap", "3000000"),
    )
    matters = ("key_sector_revenue_growth",)
    stacking_groups = ("key_sector_revenue_growth",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        ok = t.check(f["in_database"], "企业已入库", "企业未入库")
        sector = self.SECTORS[f["sector"]]
        ok &= t.check(
            f["sector"] in self.ELIGIBLE, f"所属领域：{sector}", f"所属领域“{sector}”不在支持范围内"
        )
        rev, low, high = f["revenue_year"], p["revenue_min"], p["revenue_max"]
        ok &= t.check(
            low.met(rev) and rev <= high,
            f"年主营业务收入{yuan(rev)}，在{yuan(low.value)}至{yuan(high)}之间",
            f"年主营业务收入{yuan(rev)}，不在{yuan(low.value)}至{yuan(high)}之间",
        )
        if not ok:
            return ZERO
        growth = blocks.growth_pct(rev, f["revenue_prev_year"])
        if growth is None:
            t.fail("上年主营业务收入为0，无法以上年为基数计算增长")
            return ZERO
        return blocks.growth_points(
            t, "主营业务收入增长", growth, ZERO, p["points"], p["per_step"], p["cap"]
        )


class _EquipmentProject(Clause):
    """Shared shape of 第8-11条: completed project, % of equipment investment, capped."""

    is_ceiling = True
    matters = ("project_equipment_investment",)
    stacking_groups = ("project_equipment_investment",)

    def _award(self, t: Trace, base: Decimal, rate: Decimal, cap: Decimal | None) -> Decimal:
        t.reason("按“不超过”比例计算的金额为奖励上限，审核时可核减")
        return blocks.percent_of(t, "设备投资奖励", base, rate, cap)

    def _total_check(self, t: Trace, total: Decimal, thr: blocks.Threshold) -> bool:
        return t.check(
            thr.met(total),
            f"项目总投资{yuan(total)}，{thr.words('元')}",
            f"项目总投资{yuan(total)}，未{thr.words('元')}",
        )


COMPLETED = flag("completed", "项目已竣工")


@register
class Zz2023_23_8(_EquipmentProject):
    """郑政〔2023〕23号 第8条（支持重点领域项目建设）：
    “对总投资在2000万元以上的战略性新兴产业新建项目，项目竣工后，按照不超过项目生产和技术设备
    投资额的10%给予奖励，最高奖励不超过1000万元。对重大工业项目采取‘一事一议’方式给予支持。”
    The computed figure is the ceiling a reviewer may lower (一事一议 is outside the engine).
    """

    code, article, title = "zz-2023-23/8", "第8条", "重点领域新建项目奖励"
    facts = (
        flag("sei_project", "战略性新兴产业新建项目"),
        COMPLETED,
        money("total_investment", "项目总投资"),
        money("equipment_investment", "生产和技术设备投资额"),
    )
    params = (
        ParamSpec("total_min", "项目总投资门槛", "threshold", ">=20000000"),
        ParamSpec("rate", "奖励比例上限（%）", "percent", "10"),
        ParamSpec("cap", "最高奖励", "cap", "10000000"),
    )

    def compute(self, f, p, t):
        ok = t.check(
            f["sei_project"], "项目为战略性新兴产业新建项目", "项目不是战略性新兴产业新建项目"
        )
        ok &= t.check(f["completed"], "项目已竣工", "项目尚未竣工")
        ok &= self._total_check(t, f["total_investment"], p["total_min"])
        return self._award(t, f["equipment_investment"], p["rate"], p["cap"]) if ok else ZERO


@register
class Zz2023_23_9(_EquipmentProject):
    """郑政〔2023〕23号 第9条（支持企业技术改造升级）：
    “对总投资在1000万元以上的战略性新兴产业技术改造项目、其他工业技术改造项目，项目竣工后，分别
    按照不超过项目生产和技术设备投资额的15%、10%给予奖励，最高奖励不超过1000万元。”
    """

    code, article, title = "zz-2023-23/9", "第9条", "技术改造项目奖励"
    facts = (
        COMPLETED,
        flag("sei_project", "战略性新兴产业技术改造项目", help="否则按其他工业技术改造项目"),
        money("total_investment", "项目总投资"),
        money("equipment_investment", "生产和技术设备投资额"),
    )
    params = (
        ParamSpec("total_min", "项目总投资门槛", "threshold", ">=10000000"),
        ParamSpec("sei_rate", "战略性新兴产业项目比例上限（%）", "percent", "15"),
        ParamSpec("other_rate", "其他工业项目比例上限（%）", "percent", "10"),
        ParamSpec("cap", "最高奖励", "cap", "10000000"),
    )

    def compute(self, f, p, t):
        ok = t.check(f["completed"], "项目已竣工", "项目尚未竣工")
        ok &= self._total_check(t, f["total_investment"], p["total_min"])
        if not ok:
            return ZERO
        sei = f["sei_project"]
        t.reason("战略性新兴产业技术改造项目" if sei else "其他工业技术改造项目")
        rate = p["sei_rate"] if sei else p["other_rate"]
        return self._award(t, f["equipment_investment"], rate, p["cap"])


@register
class Zz2023_23_10(_EquipmentProject):
    """郑政〔2023〕23号 第10条（支持企业智能化改造）：
    “对智能制造新建或改造项目，项目竣工后，按照不超过智能制造设备和软件投资额的20%给予奖励，
    最高奖励不超过1000万元。”
    """

    code, article, title = "zz-2023-23/10", "第10条", "智能化改造项目奖励"
    facts = (COMPLETED, money("smart_equipment_software_investment", "智能制造设备和软件投资额"))
    params = (
        ParamSpec("rate", "奖励比例上限（%）", "percent", "20"),
        ParamSpec("cap", "最高奖励", "cap", "10000000"),
    )

    def compute(self, f, p, t):
        if not t.check(f["completed"], "项目已竣工", "项目尚未竣工"):
            return ZERO
        return self._award(t, f["smart_equipment_software_investment"], p["rate"], p["cap"])


@register
class Zz2023_23_11(_EquipmentProject):
    """郑政〔2023〕23号 第11条（支持企业绿色化改造）：
    “支持企业和数据中心开展节能、节水、降碳、减排改造，项目达产后实际效益达到10%以上的，按照不超过
    设备和软件投资额的15%给予奖励，最高奖励不超过500万元。”
    """

    code, article, title = "zz-2023-23/11", "第11条", "绿色化改造项目奖励"
    facts = (
        percent("benefit_pct", "项目达产后实际效益", help="节能、节水、降碳或减排效益"),
        money("equipment_software_investment", "设备和软件投资额"),
    )
    params = (
        ParamSpec("benefit_min", "实际效益门槛（%）", "threshold", ">=10"),
        ParamSpec("rate", "奖励比例上限（%）", "percent", "15"),
        ParamSpec("cap", "最高奖励", "cap", "5000000"),
    )

    def compute(self, f, p, t):
        benefit, thr = f["benefit_pct"], p["benefit_min"]
        if not t.check(
            thr.met(benefit),
            f"项目实际效益{pct(benefit)}，{thr.words('%')}",
            f"项目实际效益{pct(benefit)}，未{thr.words('%')}",
        ):
            return ZERO
        return self._award(t, f["equipment_software_investment"], p["rate"], p["cap"])


@register
class Zz2023_23_12(Clause):
    """郑政〔2023〕23号 第12条（推广应用“三首”产品）：
    “积极推广应用首台（套）重大技术装备、首批次新材料、首版次软件‘三首’产品，分别按照相关政策给予
    支持。”  No figure in the text: no_formula.
    """

    code, article, title = "zz-2023-23/12", "第12条", "“三首”产品支持"
    computable = False
    facts = (
        choice(
            "first_product_kind",
            "“三首”产品类别",
            {"first_set": "首台（套）重大技术装备", "first_batch": "首批次新材料",
             "first_version": "首版次软件", "none": "均不是"},
        ),
    )  # fmt: skip
    matters = ("first_set_equipment", "first_batch_material", "first_version_software")
    stacking_groups = ("first_set_equipment", "first_batch_material", "first_version_software")

    def compute(self, f, p, t):
        if t.check(f["first_product_kind"] != "none", "产品属于“三首”产品", "产品不属于“三首”产品"):
            t.reason("分别按照相关政策给予支持（政策原文未规定金额）")
        return ZERO


@register
class Zz2023_23_13(Clause):
    """郑政〔2023〕23号 第13条（加快专利产品产业化）：
    “企业获得发明专利，其专利产品2年内年销售收入达到2000万元以上的，按照不超过销售收入的2%给予
    奖励，最高奖励不超过500万元。”
    """

    code, article, title = "zz-2023-23/13", "第13条", "专利产品产业化奖励"
    is_ceiling = True
    facts = (
        flag("invention_patent", "获得发明专利"),
        money("patent_product_sales", "专利产品2年内年销售收入"),
    )
    params = (
        ParamSpec("sales_min", "年销售收入门槛", "threshold", ">=20000000"),
        ParamSpec("rate", "奖励比例上限（%）", "percent", "2"),
        ParamSpec("cap", "最高奖励", "cap", "5000000"),
    )
    matters = ("patent_product_sales",)

    def compute(self, f, p, t):
        ok = t.check(f["invention_patent"], "企业获得发明专利", "企业未获得发明专利")
        sales, thr = f["patent_product_sales"], p["sales_min"]
        ok &= t.check(
            thr.met(sales),
            f"专利产品年销售收入{yuan(sales)}，{thr.words('元')}",
            f"专利产品年销售收入{yuan(sales)}，未{thr.words('元')}",
        )
        if not ok:
            return ZERO
        return blocks.percent_of(t, "专利产品销售奖励", sales, p["rate"], p["cap"])


@register
class Zz2023_23_14(Clause):
    """郑政〔2023〕23号 第14条（支持企业“上云上平台”）：
    “根据上云企业‘星级’评定结果和产品类别，按照相关政策给予差异化的‘上云上平台’服务券支持。”
    No figure in the text: no_formula (same matter as zzw-2022-155/12: 从高不重复).
    """

    code, article, title = "zz-2023-23/14", "第14条", "上云上平台服务券"
    computable = False
    facts = (flag("cloud_star_rated", "上云企业已获“星级”评定"),)
    matters = ("cloud_platform_vouchers",)
    stacking_groups = ("cloud_platform_vouchers",)

    def compute(self, f, p, t):
        if t.check(f["cloud_star_rated"], "上云企业已获星级评定", "企业未获上云“星级”评定"):
            t.reason("按照相关政策给予差异化的服务券支持（政策原文未规定金额）")
        return ZERO


SMART_TITLES = {
    "national_demo_factory": "国家级智能制造示范工厂",
    "national_excellent_scene": "国家级智能制造优秀场景",
    "provincial_benchmark": "省级智能制造标杆",
    "provincial_smart_factory": "省级智能工厂",
    "provincial_smart_workshop": "省级智能车间",
}


@register
class Zz2023_23_15(TitleLadderClause):
    """郑政〔2023〕23号 第15条（支持企业建设智能工厂（车间））：
    “对获评国家级智能制造示范工厂、智能制造优秀场景的，分别给予300万元、100万元的一次性奖励；对
    获评省级智能制造标杆、智能工厂、智能车间的，分别给予100万元、50万元、30万元的一次性奖励。同一
    企业获得不同等级称号的按照级差给予奖励。”  级差: the title's amount minus the highest
    amount among previous titles, never below 0.
    """

    code, article, title = "zz-2023-23/15", "第15条", "智能工厂（车间）奖励"
    titles = SMART_TITLES
    amounts = {
        "national_demo_factory": "3000000",
        "national_excellent_scene": "1000000",
        "provincial_benchmark": "1000000",
        "provincial_smart_factory": "500000",
        "provincial_smart_workshop": "300000",
    }


@register
class Zz2023_23_16(Clause):
    """郑政〔2023〕23号 第16条（支持创建示范基地）：
    “对国家、省认定的新型工业化产业示范基地，分别给予200万元、100万元的一次性奖励。”
    """

    code, article, title = "zz-2023-23/16", "第16条", "新型工业化产业示范基地奖励"
    LEVELS = {
        "national": "国家级新型工业化产业示范基地",
        "provincial": "省级新型工业化产业示范基地",
        "none": "未获认定",
    }
    facts = (choice("demo_base_level", "认定级别", LEVELS),)
    params = (
        ParamSpec(
            "amounts", "奖励金额", "amounts", {"national": "2000000", "provincial": "1000000"}
        ),
    )
    matters = ("industrial_demo_base",)
    ladder = "industrial_demo_base"

    def compute(self, f, p, t):
        level = f["demo_base_level"]
        if not t.check(level != "none", f"获认定为{self.LEVELS[level]}", "未获国家或省认定"):
            return ZERO
        return _choice_award(t, "一次性奖励", self.LEVELS, f["demo_base_level"], p["amounts"])


PILOT_LEVELS = {"national": "国家级试点示范", "provincial": "省级试点示范"}
CHAMPIONS = {"enterprise": "“单项冠军”企业", "product": "“单项冠军”产品"}


@register
class Zz2023_23_17(Clause):
    """郑政〔2023〕23号 第17条（支持创建试点示范）：
    “对被工信部认定或总部落户郑州的跨行业跨领域工业互联网平台给予1000万元的一次性奖励。对认定为
    ‘单项冠军’企业、‘单项冠军’产品的，分别给予300万元、100万元的一次性奖励。对获得国家级、省级
    工业和信息化领域相关试点示范项目（企业、平台）的，分别给予100万元、50万元的一次性奖励，同一企业
    同一申报年度获得以上多项称号的按就高原则只享受一项奖励。对列入国家级绿色节能类产品（目录）的，
    按照产品类别（同一产品的系列产品不重复奖励）给予50万元的一次性奖励。”
    Contract reading for ``pilot_titles``: only the highest counts (就高). “以上多项称号” is in
    the sentence of the 试点示范 titles and reads on them only: the platform award and the
    单项冠军 awards are added, as are the green product categories (50万 each). The platform is
    the same 双跨 platform 55号第4条 pays for: one 从高不重复 group across the two policies.
    """

    code, article, title = "zz-2023-23/17", "第17条", "试点示范奖励"
    combine = "sum"
    facts = (
        choice_list("pilot_titles", "本年度获得的试点示范项目级别", PILOT_LEVELS, required=False),
        flag("cross_industry_platform", "工信部认定或总部落户郑州的跨行业跨领域工业互联网平台",
             required=False),
        choice_list("champion_titles", "“单项冠军”认定", CHAMPIONS, required=False),
        integer("green_product_categories", "列入国家级绿色节能类产品（目录）的产品类别数",
                required=False, help="同一产品的系列产品只算一类"),
    )  # fmt: skip
    params = (
        ParamSpec("pilot_amounts", "试点示范奖励", "amounts",
                  {"national": "1000000", "provincial": "500000"}),
        ParamSpec("platform_amount", "跨行业跨领域工业互联网平台奖励", "money", "10000000"),
        ParamSpec("champion_amounts", "“单项冠军”奖励", "amounts",
                  {"enterprise": "3000000", "product": "1000000"}),
        ParamSpec("green_amount", "每类绿色节能产品奖励", "money", "500000"),
    )  # fmt: skip
    matters = ("pilot_demonstration_title", "green_product_catalogue", "cross_industry_platform")
    stacking_groups = (
        "pilot_demonstration_title", "green_product_catalogue", "cross_industry_platform"
    )  # fmt: skip
    stacking_parts = True  # each group meets only its own share (see compute)
    paid_per, subject_kind = "year", "none"  # 同一企业同一申报年度

    def compute(self, f, p, t):
        parts = []
        if f["cross_industry_platform"]:
            t.reason("获得称号：跨行业跨领域工业互联网平台")
            platform = blocks.fixed(t, "跨行业跨领域工业互联网平台奖励", p["platform_amount"])
            parts.append(("平台奖励", t.part("cross_industry_platform", platform)))
        for key in f["champion_titles"]:
            t.reason(f"获得称号：{CHAMPIONS[key]}")
            parts.append((CHAMPIONS[key], blocks.fixed(
                t, f"{CHAMPIONS[key]}奖励", p["champion_amounts"][key])))  # fmt: skip
        titles = {PILOT_LEVELS[k]: p["pilot_amounts"][k] for k in f["pilot_titles"]}
        for name, amount in titles.items():
            t.reason(f"获得称号：{name}")
            t.step(f"{name}奖励标准", yuan(amount))
        if len(titles) > 1:
            t.reason("同一企业同一申报年度获得多项试点示范称号，按就高原则只享受一项奖励")
        if titles:
            pilot = blocks.highest_only(t, "试点示范奖励（就高）", titles)
            parts.append(("试点示范奖励", t.part("pilot_demonstration_title", pilot)))
        categories = f["green_product_categories"]
        if categories:
            t.reason(f"{categories}类产品列入国家级绿色节能类产品（目录）")
            parts.append(
                ("绿色节能产品", blocks.whole_steps(
                    t, "绿色节能产品奖励", Decimal(categories), Decimal(1), p["green_amount"],
                    unit="类"))
            )  # fmt: skip
            t.part("green_product_catalogue", parts[-1][1])
        if not parts:
            t.fail("未获得本条所列任何试点示范称号或产品目录")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)


@register
class Zz2023_23_18(Clause):
    """郑政〔2023〕23号 第18条（支持企业加强质量建设）：
    “对被省级工信部门认定的质量标杆企业，给予20万元的一次性奖励。”
    """

    code, article, title = "zz-2023-23/18", "第18条", "质量标杆企业奖励"
    facts = (flag("quality_benchmark", "被省级工信部门认定为质量标杆企业"),)
    params = (ParamSpec("amount", "奖励金额", "money", "200000"),)
    matters = ("quality_benchmark",)

    def compute(self, f, p, t):
        if not t.check(
            f["quality_benchmark"], "企业被认定为省级质量标杆企业", "企业未被认定为质量标杆企业"
        ):
            return ZERO
        return blocks.fixed(t, "质量标杆企业一次性奖励", p["amount"])


FOOD_CERTS = {
    "haccp": "危害分析及关键控制点体系（HACCP）",
    "fsms": "食品安全管理体系",
    "integrity": "食品工业企业诚信管理体系",
    "food_safety_system": "食品安全体系认证",
    "global_standard": "食品安全全球标准认证",
    "aa_green_food": "AA级绿色食品认证",
    "organic_food": "有机食品认证",
}


@register
class Zz2023_23_19(Clause):
    """郑政〔2023〕23号 第19条（提升食品质量安全水平）：
    “对首次通过危害分析及关键控制点体系、食品安全管理体系、食品工业企业诚信管理体系认证、食品安全
    体系认证、食品安全全球标准认证的企业和获得AA级绿色食品、有机食品认证的，给予10万元的一次性
    奖励。”  Reading: one 10万 award per enterprise (一次性), however many certifications.
    """

    code, article, title = "zz-2023-23/19", "第19条", "食品质量安全认证奖励"
    facts = (choice_list("food_certifications", "首次通过/获得的认证", FOOD_CERTS, required=False),)
    params = (ParamSpec("amount", "奖励金额", "money", "100000"),)
    matters = ("food_safety_certification",)
    once_per_enterprise = True

    def compute(self, f, p, t):
        certs = f["food_certifications"]
        if not t.check(
            bool(certs),
            "首次通过/获得：" + "、".join(FOOD_CERTS[c] for c in certs),
            "未首次通过本条所列任何食品安全认证",
        ):
            return ZERO
        return blocks.fixed(t, "食品质量安全认证一次性奖励", p["amount"])


@register
class Zz2023_23_20(Clause):
    """郑政〔2023〕23号 第20条（支持企业大力开拓市场）：
    “对企业参加地市工信部门组织的各级展销会、博览会的场地租赁费、布展费每年超过20万元的，给予70%
    补贴，同一企业每年最高补贴不超过100万元。对在中央一级媒体做产品广告的工业企业，按照不超过广告费
    的5%给予补贴，同一企业每年最高补贴不超过200万元。”  (a)+(b); (b) is a ceiling.
    """

    code, article, title = "zz-2023-23/20", "第20条", "开拓市场补贴"
    combine = "sum"
    facts = (
        money("exhibition_costs", "参加展销会、博览会的场地租赁费和布展费（全年）", required=False),
        money("central_media_ad_costs", "在中央一级媒体的产品广告费", required=False),
    )
    params = (
        ParamSpec("exhibition_min", "（一）年度费用门槛", "threshold", ">200000"),
        ParamSpec("exhibition_rate", "（一）补贴比例（%）", "percent", "70"),
        ParamSpec("exhibition_cap", "（一）每年最高补贴", "cap", "1000000"),
        ParamSpec("ad_rate", "（二）补贴比例上限（%）", "percent", "5"),
        ParamSpec("ad_cap", "（二）每年最高补贴", "cap", "2000000"),
    )
    matters = ("exhibition_participation", "central_media_advertising")
    stacking_groups = ("exhibition_participation", "central_media_advertising")

    def compute(self, f, p, t):
        parts = []
        costs, thr = f["exhibition_costs"], p["exhibition_min"]
        if thr.met(costs):
            t.reason(f"（一）展会费用{yuan(costs)}，{thr.words('元')}")
            parts.append(("（一）", blocks.percent_of(
                t, "（一）展会补贴", costs, p["exhibition_rate"], p["exhibition_cap"])))  # fmt: skip
        else:
            t.reason(f"（一）展会费用{yuan(costs)}，未{thr.words('元')}")
        ads = f["central_media_ad_costs"]
        if ads > 0:
            t.is_ceiling = True
            t.reason("（二）按“不超过”广告费比例计算的金额为补贴上限，审核时可核减")
            parts.append(
                ("（二）", blocks.percent_of(t, "（二）广告补贴", ads, p["ad_rate"], p["ad_cap"]))
            )
        else:
            t.reason("（二）未填报中央一级媒体广告费")
        return blocks.capped_sum(t, "合计", parts)


@register
class Zz2023_23_21(Clause):
    """郑政〔2023〕23号 第21条（提升产业链协作水平）：
    “对‘链主’企业采购或委托加工现有供应链内符合条件的工业企业产品、且单家企业的采购或委托加工额
    达到500万元以上的，按照‘链主’企业全部采购或委托加工额的3%给予奖励，最高奖励不超过300万元；
    对采购或委托加工现有供应链体系外的新增配套符合条件的工业企业产品、且单家企业的采购或委托加工额
    达到200万元以上的，按照‘链主’企业新增配套的全部采购或委托加工额的5%给予奖励，最高奖励不超过
    500万元。”  Contract reading: % of each qualifying supplier amount, summed, then capped.
    """

    code, article, title = "zz-2023-23/21", "第21条", "“链主”企业协作奖励"
    combine = "sum"
    facts = CHAIN_FACTS
    params = chain_params("3", "3000000", "5", "5000000")
    matters = ("chain_leader_purchases",)
    stacking_groups = ("chain_leader_purchases",)

    def compute(self, f, p, t):
        return chain_leader_award(f, p, t)


@register
class Zz2023_23_22(Clause):
    """郑政〔2023〕23号 第22条（锻造协同创新链条）：
    “对被认定为省级制造业创新中心的，按照省补助资金给予1：1配套支持。”
    """

    code, article, title = "zz-2023-23/22", "第22条", "省级制造业创新中心配套"
    facts = (
        flag("provincial_innovation_center", "被认定为省级制造业创新中心"),
        money("provincial_grant", "省级补助资金"),
    )
    params = (
        ParamSpec("ratio", "配套比例（1:X）", "ratio", "1"),
        ParamSpec("cap", "最高配套（空为不设上限）", "cap", None),
    )
    matters = ("manufacturing_innovation_center",)

    def compute(self, f, p, t):
        if not t.check(
            f["provincial_innovation_center"],
            "被认定为省级制造业创新中心",
            "未被认定为省级制造业创新中心",
        ):
            return ZERO
        return blocks.matching_grant(t, "1:1配套", f["provincial_grant"], p["ratio"], p["cap"])
