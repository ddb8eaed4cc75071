"""郑政办〔2022〕57号《关于加快软件和信息技术服务业发展的实施意见》(seed 004, L1480–L1648).

Monetary articles of 四、支持政策, registered as ``zzb-2022-57/<article>``. Line numbers (L…)
point into seed 004. Readings: see ``zzb_2022_shared``.
"""

from __future__ import annotations

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..facts import flag, money, money_list
from ..fmt import yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec
from .zzb_2022_shared import EXHIBITION_COSTS, fair_spec, growth_or_fail


@register
class Zzb2022_57_1(Clause):
    """郑政办〔2022〕57号 第1条（四、1，鼓励企业加快发展，L1560）：
    “规模以上软件和信息技术服务业企业营业收入增长30%及以上且净增长1000万以上的（营收超过5亿元的
    企业，增长20%及以上），按照实际增长额的2%给予奖励，单个企业每年最高300万元。”
    Reading: “营收超过5亿元” is the claim year's revenue (> 5亿); for those the growth gate is 20%
    (their net increase then exceeds 1亿, so the 1000万 gate is met anyway).
    """

    code, article, title = "zzb-2022-57/1", "第1条", "软件企业增长奖励"
    facts = (
        flag("above_scale_software", "规模以上软件和信息技术服务业企业"),
        money("revenue_year", "本年营业收入"),
        money("revenue_prev_year", "上年营业收入"),
    )
    params = (
        ParamSpec("growth_min", "增长率门槛（%）", "threshold", ">=30"),
        ParamSpec("increase_min", "净增长门槛", "threshold", ">=10000000", unit="元"),
        ParamSpec("large_revenue", "大企业营收门槛", "threshold", ">500000000"),
        ParamSpec("large_growth_min", "大企业增长率门槛（%）", "threshold", ">=20"),
        ParamSpec("rate", "奖励比例（%）", "percent", "2"),
        ParamSpec("cap", "单个企业每年最高", "cap", "3000000"),
    )
    matters = ("software_revenue_growth",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(
            f["above_scale_software"],
            "企业为规模以上软件和信息技术服务业企业",
            "企业不是规模以上软件和信息技术服务业企业",
        ):
            return ZERO
        now, prev = f["revenue_year"], f["revenue_prev_year"]
        growth = growth_or_fail(t, now, prev, "营业收入")
        if growth is None:
            return ZERO
        increase = now - prev
        if p["large_revenue"].met(now):
            thr = p["large_growth_min"]
            t.reason(f"本年营业收入{yuan(now)}，{p['large_revenue'].words('元')}，增长率门槛为20%")
            ok = t.check(thr.met(growth), f"增长率{thr.words('%')}", f"增长率未{thr.words('%')}")
        else:
            thr, inc = p["growth_min"], p["increase_min"]
            ok = t.check(thr.met(growth), f"增长率{thr.words('%')}", f"增长率未{thr.words('%')}")
            ok &= t.check(
                inc.met(increase),
                f"净增长{yuan(increase)}，{inc.words('元')}",
                f"净增长{yuan(increase)}，未{inc.words('元')}",
            )
        if not ok:
            return ZERO
        return blocks.percent_of(t, "增长额奖励", increase, p["rate"], p["cap"])


register_spec(
    "zzb-2022-57/2",
    {
        "type": "fixed",
        "label": "新设软件企业一次性奖励",
        "amount": "1000000",
        "conditions": [
            "independent_software_entity",
            "within_three_years",
            {"fact": "revenue_year", "op": ">=", "value": "100000000"},
        ],
    },
    {
        "article": "第2条",
        "title": "新设立软件企业奖励",
        "doc": "郑政办〔2022〕57号 第2条（四、2，鼓励新设立软件企业，L1564–L1566）：“……对在我市设立具有独立的法人"
        "资格的软件和信息技术服务业企业，三年内营业年度营收达到1亿元以上的，给予一次性100万元奖励。”",
        "facts": [
            {
                "name": "independent_software_entity",
                "kind": "bool",
                "label": "在郑州设立的具有独立法人资格的软件和信息技术服务业企业",
            },
            {"name": "within_three_years", "label": "该营业年度在设立后三年内", "kind": "bool"},
            {"name": "revenue_year", "label": "该营业年度营业收入", "kind": "money"},
        ],
        "matters": ["new_software_entity"],
        "once_per_enterprise": True,
    },
)

register_spec(
    "zzb-2022-57/3",
    {
        "type": "fixed",
        "label": "首次入选软件百强一次性奖励",
        "amount": "3000000",
        "conditions": ["first_software_top100"],
    },
    {
        "article": "第3条",
        "title": "首次入选软件百强奖励",
        "doc": "郑政办〔2022〕57号 第3条（四、3，支持企业做大做强，L1570）：“对首次入选全国‘软件业务收入前百强’"
        "‘软件和信息技术服务综合竞争力百强’‘网络安全百强’等国家级荣誉的软件和信息技术服务业企业，给予"
        "一次性300万元奖励。”  Reading: once per enterprise, whichever list comes first.",
        "facts": [
            {
                "name": "first_software_top100",
                "kind": "bool",
                "label": "首次入选全国软件业务收入前百强、综合竞争力百强、网络安全百强等国家级荣誉",
            },
        ],
        "matters": ["software_top100"],
        "once_per_enterprise": True,
    },
)

register_spec(
    "zzb-2022-57/4",
    {
        "type": "no_formula",
        "label": "国家重大专项支持",
        "note": "采取“一事一议”方式给予支持",
        "conditions": ["leads_national_major_project"],
    },
    {
        "article": "第4条",
        "title": "关键领域技术突破支持",
        "doc": "郑政办〔2022〕57号 第4条（四、4，支持关键领域技术突破，L1576）：“……鼓励企业牵头承担国家重大专项，"
        "采取‘一事一议’方式给予支持。”  No figure in the text: no_formula.",
        "facts": [
            {
                "name": "leads_national_major_project",
                "label": "牵头承担国家重大专项",
                "kind": "bool",
            },
        ],
        "matters": ["software_major_project"],
    },
)

register_spec(
    "zzb-2022-57/5",
    {
        "type": "percent_capped",
        "label": "平台服务收入补贴",
        "base": "local_service_revenue",
        "rate": "20",
        "cap": "3000000",
        "conditions": ["selected_platform_project"],
    },
    {
        "article": "第5条",
        "title": "创新研发平台补贴",
        "doc": "郑政办〔2022〕57号 第5条（四、5，支持建设创新研发平台，L1580）：“……择优将平台项目纳入产业生态创新"
        "研发平台重点培育对象，按照为我市企业提供服务收入的20%，每年最高给予300万元补贴。”",
        "facts": [
            {
                "name": "selected_platform_project",
                "kind": "bool",
                "label": "平台项目已择优纳入产业生态创新研发平台重点培育对象",
            },
            {
                "name": "local_service_revenue",
                "label": "本年度为郑州企业提供服务的收入",
                "kind": "money",
            },
        ],
        "matters": ["software_platform_service"],
        "annual_cap_param": "cap",
    },
)

register_spec(
    "zzb-2022-57/6",
    {
        "type": "steps",
        "label": "首版次软件产品奖励",
        "base": "first_version_products",
        "step": "1",
        "per_step": "100000",
        "conditions": [{"fact": "first_version_products", "op": ">=", "value": "1"}],
    },
    {
        "article": "第6条",
        "title": "首版次软件产品奖励",
        "doc": "郑政办〔2022〕57号 第6条（四、6，鼓励软件产品推广应用，L1584）：“对经认定的河南省‘首版次’软件产品，"
        "单个首版次软件产品给予10万元奖励。”  No cap in the text.",
        "facts": [
            {
                "name": "first_version_products",
                "label": "经认定的河南省“首版次”软件产品个数",
                "kind": "int",
                "unit": "个",
            },
        ],
        "matters": ["first_version_software"],
        "stacking_groups": ["first_version_software"],
    },
)

register_spec(
    "zzb-2022-57/7",
    {
        "type": "sum",
        "label": "软件名园补贴",
        "conditions": [
            "within_term",
            {"fact": "park_software_revenue", "op": ">", "value": "1000000000"},
        ],
        "items": [
            {
                "type": "choice",
                "name": "park",
                "label": "（一）软件类基地（园区）年度补贴",
                "fact": "software_park_level",
                "amounts": {"national": "1500000", "provincial": "1000000"},
            },
            {
                "type": "fixed",
                "name": "cloud",
                "label": "（二）“云上园区”每年增加",
                "amount": "500000",
                "conditions": [
                    "cloud_park",
                    {"fact": "software_park_level", "in": ["national", "provincial"]},
                ],
            },
        ],
    },
    {
        "article": "第7条",
        "title": "软件名园补贴",
        "doc": "郑政办〔2022〕57号 第7条（四、7，提升园区承载能力，L1590–L1592）：“……对首次获得国家级、省级软件类"
        "基地（园区）的运营主体，且基地（园区）内软件企业营业收入规模超过10亿元，届内每年给予150万元、"
        "100万元补贴。鼓励实体园区开展‘云上园区’建设，对经认定的‘云上园区’，每年增加50万元补贴。”  "
        "Reading: “增加” adds 50万 a year to a park that receives the base subsidy; one year per "
        "calculation.",
        "facts": [
            {
                "name": "software_park_level",
                "label": "首次获得的软件类基地（园区）级别",
                "kind": "choice",
                "choices": {"national": "国家级", "provincial": "省级", "none": "未获得"},
            },
            {"name": "within_term", "label": "申请年度在基地（园区）称号届期内", "kind": "bool"},
            {
                "name": "park_software_revenue",
                "label": "基地（园区）内软件企业营业收入规模",
                "kind": "money",
            },
            {
                "name": "cloud_park",
                "label": "经认定的“云上园区”",
                "kind": "bool",
                "required": False,
            },
        ],
        "matters": ["software_park"],
    },
)


@register
class Zzb2022_57_8(Clause):
    """郑政办〔2022〕57号 第8条（四、8，鼓励开展产业服务活动，L1596）：
    “……对每场活动按活动实际支出费用的70%给予补贴，每场活动不超过2万元，每个园区每年最高50万元。”
    Reading: each event min(70% × cost, 2万), summed, then the park's yearly 50万.
    """

    code, article, title = "zzb-2022-57/8", "第8条", "园区产业服务活动补贴"
    combine = "sum"
    facts = (
        flag("software_park", "郑州市软件产业园区（运营主体）"),
        money_list("event_costs", "本年度各场产业服务活动实际支出", help="每场活动一个金额"),
    )
    params = (
        ParamSpec("rate", "补贴比例（%）", "percent", "70"),
        ParamSpec("per_event_cap", "每场最高", "cap", "20000"),
        ParamSpec("cap", "每个园区每年最高", "cap", "500000"),
    )
    matters = ("software_park_events",)
    annual_cap_param = "cap"

    def compute(self, f, p, t):
        if not t.check(
            f["software_park"], "申请单位为郑州市软件产业园区", "申请单位不是软件产业园区"
        ):
            return ZERO
        parts = []
        for i, cost in enumerate(f["event_costs"], start=1):
            label = f"第{i}场活动"
            amount = blocks.percent_of(t, label, cost, p["rate"], p["per_event_cap"])
            parts.append((label, amount))
        if not parts:
            t.fail("未填报产业服务活动支出")
            return ZERO
        t.step(f"共{len(parts)}场活动", yuan(sum((a for _, a in parts), ZERO)))
        return blocks.capped_sum(t, "每个园区每年", parts, p["cap"])


register_spec(
    "zzb-2022-57/9",
    {
        "type": "sum",
        "label": "交流合作补助",
        "items": [
            {
                "type": "percent_capped",
                "name": "event",
                "label": "（一）举办大赛、会议、论坛补助",
                "base": "event_actual_input",
                "rate": "20",
                "cap": "1000000",
                "conditions": ["event_reported_and_approved"],
            },
            dict(
                fair_spec(),
                label="（二）参加展销会、博览会补贴",
                conditions=["software_enterprise"],
            ),
        ],
    },
    {
        "article": "第9条",
        "title": "交流合作补助",
        "doc": "郑政办〔2022〕57号 第9条（四、9，鼓励加强交流合作，L1600）：“……对经报备同意的活动，按照活动实际投入"
        "给予承办方20%补助，单个活动支持金额不超过100万元。鼓励企业积极参加各级展销会、博览会，按照场地"
        "租赁费、布展费的70%给予补贴，每个企业每年补贴金额不超过100万元。”  The two added.",
        "facts": [
            {
                "name": "event_reported_and_approved",
                "kind": "bool",
                "required": False,
                "label": "在郑举办全球性、全国性软件大赛、会议、论坛等活动，经报备同意（本单位为承办方）",
            },
            {
                "name": "event_actual_input",
                "label": "活动实际投入",
                "kind": "money",
                "required": False,
            },
            {
                "name": "software_enterprise",
                "label": "软件和信息技术服务业企业（参展补贴）",
                "kind": "bool",
                "required": False,
            },
            EXHIBITION_COSTS,
        ],
        "matters": ["industry_event_hosting", "exhibition_participation"],
        "stacking_groups": ["industry_event_hosting", "exhibition_participation"],
    },
)
