"""郑政办〔2022〕51号《关于加快高端装备产业发展的实施意见》(seed 004, L508–L646).

Monetary articles of 四、支持政策, registered as ``zzb-2022-51/<article>`` (article numbers of
that section). Line numbers (L…) point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import flag, money
from ..fmt import yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from .zzb_2022_shared import growth_or_fail


@register
class Zzb2022_51_2(Clause):
    """郑政办〔2022〕51号 第2条（四、2，鼓励企业研发创新产品，L576）：
    “对产品首次入选国家工业和信息化部《工业机器人行业规范条件》目录的企业，给予一次性50万元的奖励。
    对企业自主研发并实现产业化的装备新产品，在产品研发出来一年内单品年度销售额首次达到2亿元以上，
    给予单品年度销售额3%的一次性奖励，单一规格产品不超过1000万元；在此基础上单品销售比上年增长
    5000万元的，对增长部分给予5%奖励，最高500万。”
    Reading: (二) is once per product (``earlier_sales_award`` false); (三) “在此基础上” needs a
    product that already received (二), and “增长5000万元” is a minimum increase (≥). Summed.
    """

    code, article, title = "zzb-2022-51/2", "第2条", "研发创新产品奖励"
    combine = "sum"
    facts = (
        flag(
            "robot_catalogue_first_listing",
            "产品首次入选《工业机器人行业规范条件》目录",
            required=False,
        ),
        flag("new_product_industrialised", "自主研发并实现产业化的装备新产品", required=False),
        flag("within_one_year_of_development", "产品研发出来一年内", required=False),
        flag(
            "earlier_sales_award",
            "该产品此前已获单品年度销售额奖励（第二项）",
            required=False,
            needed_if="new_product_industrialised",
        ),
        money("product_sales_year", "单品本年度销售额", required=False),
        money(
            "product_sales_prev_year",
            "单品上年度销售额",
            required=False,
            needed_if="earlier_sales_award",
        ),
    )
    params = (
        ParamSpec("robot_amount", "（一）入选目录奖励", "money", "500000"),
        ParamSpec("sales_threshold", "（二）单品年度销售额门槛", "threshold", ">=200000000"),
        ParamSpec("sales_rate", "（二）奖励比例（%）", "percent", "3"),
        ParamSpec("sales_cap", "（二）单一规格产品最高奖励", "cap", "10000000"),
        ParamSpec("increase_threshold", "（三）比上年增长额门槛", "threshold", ">=50000000"),
        ParamSpec("increase_rate", "（三）增长部分奖励比例（%）", "percent", "5"),
        ParamSpec("increase_cap", "（三）最高奖励", "cap", "5000000"),
    )
    matters = ("new_equipment_product",)

    def compute(self, f, p, t):
        parts = []
        if f["robot_catalogue_first_listing"]:
            t.reason("（一）产品首次入选《工业机器人行业规范条件》目录")
            parts.append(("（一）", blocks.fixed(t, "（一）入选目录奖励", p["robot_amount"])))
        if f["new_product_industrialised"] and not f["earlier_sales_award"]:
            parts.append(("（二）", self._first_sales(f, p, t)))
        elif f["new_product_industrialised"]:
            parts.append(("（三）", self._increase(f, p, t)))
        if not parts:
            t.fail("既未首次入选机器人目录，也非自主研发并实现产业化的装备新产品")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)

    def _first_sales(self, f, p, t) -> Decimal:
        if not f["within_one_year_of_development"]:
            t.reason("（二）单品销售奖励须在产品研发出来一年内")
            return ZERO
        t.reason("（二）自主研发并实现产业化的装备新产品，在研发出来一年内")
        return blocks.percent_of(
            t,
            "（二）单品销售奖励",
            f["product_sales_year"],
            p["sales_rate"],
            p["sales_cap"],
            p["sales_threshold"],
        )

    def _increase(self, f, p, t) -> Decimal:
        t.reason("（三）该产品已获单品销售额奖励，在此基础上按比上年增长部分计算")
        increase = f["product_sales_year"] - f["product_sales_prev_year"]
        thr = p["increase_threshold"]
        t.step("（三）单品销售比上年增长额", yuan(max(increase, ZERO)))
        if not thr.met(increase):
            t.reason(f"（三）单品销售比上年增长{yuan(increase)}，未{thr.words('元')}")
            return ZERO
        return blocks.percent_of(
            t, "（三）增长部分奖励", increase, p["increase_rate"], p["increase_cap"]
        )


@register
class Zzb2022_51_3(Clause):
    """郑政办〔2022〕51号 第3条（四、3，强化项目支撑，L582）：
    “对投资在2000万元以上的高端装备产业新建项目，项目完成后，按照项目生产和设备投资额的12%给予
    奖励，最高不超过1000万元。对企业依托自身创新能力，承担国家、省工信系统重大专项的，按照上级专项
    支持资金给予1:0.5配套支持，配套资金和上级支持资金总金额最多不超过项目总投资额。”
    Reading: the threshold is on total investment, the base is 生产和设备投资额; the match is
    min(0.5 × 上级资金, 专项项目总投资 − 上级资金). The two sub-items are added.
    """

    code, article, title = "zzb-2022-51/3", "第3条", "高端装备项目奖励和重大专项配套"
    combine = "sum"
    facts = (
        flag("new_project", "高端装备产业新建项目", required=False),
        flag("completed", "项目已完成", required=False),
        money("total_investment", "新建项目总投资", required=False),
        money("production_equipment_investment", "项目生产和设备投资额", required=False),
        flag("major_special_project", "承担国家、省工信系统重大专项", required=False),
        money("higher_level_grant", "上级专项支持资金", required=False),
        money("special_project_investment", "重大专项项目总投资额", required=False),
    )
    params = (
        ParamSpec("project_threshold", "（一）项目投资门槛", "threshold", ">=20000000"),
        ParamSpec("project_rate", "（一）奖励比例（%）", "percent", "12"),
        ParamSpec("project_cap", "（一）最高奖励", "cap", "10000000"),
        ParamSpec("match_ratio", "（二）配套比例（1:X）", "ratio", "0.5"),
    )
    matters = ("project_equipment_investment", "major_special_project_match")
    stacking_groups = ("project_equipment_investment",)

    def compute(self, f, p, t):
        parts = []
        if f["new_project"]:
            parts.append(("（一）", self._project(f, p, t)))
        if f["major_special_project"]:
            parts.append(("（二）", self._match(f, p, t)))
        if not parts:
            t.fail("既非高端装备产业新建项目，也未承担国家、省工信系统重大专项")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)

    def _project(self, f, p, t) -> Decimal:
        thr = p["project_threshold"]
        if not f["completed"]:
            t.reason("（一）项目尚未完成，完成后方可申请")
            return ZERO
        if not thr.met(f["total_investment"]):
            t.reason(f"（一）项目总投资{yuan(f['total_investment'])}，未{thr.words('元')}")
            return ZERO
        t.reason(f"（一）新建项目已完成，总投资{yuan(f['total_investment'])}，{thr.words('元')}")
        return blocks.percent_of(
            t,
            "（一）新建项目奖励",
            f["production_equipment_investment"],
            p["project_rate"],
            p["project_cap"],
        )

    def _match(self, f, p, t) -> Decimal:
        t.reason("（二）承担国家、省工信系统重大专项")
        grant = f["higher_level_grant"]
        room = max(f["special_project_investment"] - grant, ZERO)
        t.step("（二）配套上限：项目总投资 − 上级支持资金", yuan(room))
        return blocks.matching_grant(t, "（二）重大专项配套", grant, p["match_ratio"], room)


@register
class Zzb2022_51_4(Clause):
    """郑政办〔2022〕51号 第4条（四、4，鼓励龙头企业带动零部件企业打造完整产业链，L586–L588）：
    “对高端装备制造企业采购市内其非关联企业生产的单一零部件年度首次达到3000万元以上，按采购额给予
    1%的奖励，最高100万元；以此为基数，次年采购额每增长一个百分点，奖励10万元，最高100万元。”
    Reading: (一) the first year the single part's purchases reach 3000万 (judged against the best
    earlier year); (二) only in the year after that base year (“次年”), whole growth points over
    the base year's amount. The two cannot fall in the same year.
    """

    code, article, title = "zzb-2022-51/4", "第4条", "采购市内零部件奖励"
    facts = (
        flag("high_end_equipment_maker", "高端装备制造企业"),
        money("part_purchases_year", "本年度向市内非关联企业采购该单一零部件金额"),
        money("part_purchases_best_before", "此前各年度该零部件最高采购额", required=False),
        flag("prev_year_first_award", "上年已获首次达到3000万元采购奖励（本年为“次年”）"),
        money(
            "part_purchases_prev_year",
            "上年度（基数年）该零部件采购额",
            required=False,
            needed_if="prev_year_first_award",
        ),
    )
    params = (
        ParamSpec("first_threshold", "（一）年度采购额门槛", "threshold", ">=30000000"),
        ParamSpec("first_rate", "（一）奖励比例（%）", "percent", "1"),
        ParamSpec("first_cap", "（一）最高奖励", "cap", "1000000"),
        ParamSpec("points", "（二）每档百分点数", "number", "1"),
        ParamSpec("per_point", "（二）每档奖励", "money", "100000"),
        ParamSpec("growth_cap", "（二）最高奖励", "cap", "1000000"),
    )
    matters = ("local_parts_procurement",)
    stacking_groups = ("local_parts_procurement",)

    def compute(self, f, p, t):
        if not t.check(
            f["high_end_equipment_maker"], "企业为高端装备制造企业", "企业不是高端装备制造企业"
        ):
            return ZERO
        now = f["part_purchases_year"]
        if f["prev_year_first_award"]:
            t.reason("（二）上年为首次达到3000万元的基数年，本年按采购额增长计算")
            growth = growth_or_fail(t, now, f["part_purchases_prev_year"], "采购额")
            if growth is None:
                return ZERO
            return blocks.growth_points(
                t,
                "（二）采购额增长奖励",
                growth,
                ZERO,
                p["points"],
                p["per_point"],
                p["growth_cap"],
            )
        f.need("part_purchases_best_before", why="判断是否“年度首次达到”须填写（没有请填0）")
        thr = p["first_threshold"]
        if thr.met(f["part_purchases_best_before"]):
            t.fail(f"此前年度采购额已{thr.words('元')}，不属于“年度首次达到”")
            return ZERO
        return blocks.percent_of(
            t, "（一）首次达到采购奖励", now, p["first_rate"], p["first_cap"], thr
        )


register_spec(
    "zzb-2022-51/5",
    {
        "type": "sum",
        "label": "首台（套）配套",
        "cap": "10000000",
        "conditions": [
            {"fact": "first_set_recognised", "no": "产品未经国家或省认定为首台（套）重大技术装备"}
        ],
        "items": [
            {
                "type": "matching",
                "name": "national",
                "label": "国家奖励1:1配套",
                "base": "national_first_set_award",
                "ratio": "1",
            },
            {
                "type": "matching",
                "name": "provincial",
                "label": "省奖励1:1配套",
                "base": "provincial_first_set_award",
                "ratio": "1",
            },
        ],
    },
    {
        "article": "第5条",
        "title": "首台（套）重大技术装备配套",
        "doc": "郑政办〔2022〕51号 第5条（四、5，L594）：“对我市经国家或省认定的首台（套）重大技术装备产品，"
        "且获得国家或省首台（套）重大技术装备奖励资金支持的，分别按照国家或省奖励金额给予1:1的配套"
        "支持，最高不超过1000万元。”  Reading: a product with both a national and a provincial award "
        "gets both matched, the sum capped at 1000万; recognition without award money gives 0.",
        "facts": [
            {
                "name": "first_set_recognised",
                "label": "经国家或省认定的首台（套）重大技术装备产品",
                "kind": "bool",
            },
            {
                "name": "national_first_set_award",
                "label": "获得的国家首台（套）奖励资金",
                "kind": "money",
                "required": False,
            },
            {
                "name": "provincial_first_set_award",
                "label": "获得的省首台（套）奖励资金",
                "kind": "money",
                "required": False,
            },
        ],
        "matters": ["first_set_equipment"],
        "stacking_groups": ["first_set_equipment"],
    },
)

register_spec(
    "zzb-2022-51/6",
    {
        "type": "percent_capped",
        "label": "举办论坛会议补助",
        "base": "event_actual_input",
        "rate": "20",
        "cap": "1000000",
        "conditions": [
            {
                "fact": "qualifying_event",
                "no": "活动不符合条件（须经工信部门组织、在郑举办、本企业牵头）",
            }
        ],
    },
    {
        "article": "第6条",
        "title": "举办高端装备论坛会议补助",
        "doc": "郑政办〔2022〕51号 第6条（四、6，L600）：“对企业牵头联合全国性的行业学会或协会、产业研究机构等"
        "单位，经工信部门组织且在郑举办的高端装备方向有影响力和明显成效的高峰论坛、学术会议等活动，"
        "按照活动实际投入给予牵头企业20%补助，单个活动支持金额不超过100万元。”  One event per "
        "calculation.",
        "facts": [
            {
                "name": "qualifying_event",
                "kind": "bool",
                "label": "本企业牵头、联合全国性学会（协会）或研究机构，经工信部门组织在郑举办的高端装备论坛或会议",
            },
            {"name": "event_actual_input", "label": "活动实际投入", "kind": "money"},
        ],
        "matters": ["industry_event_hosting"],
        "stacking_groups": ["industry_event_hosting"],
    },
)
