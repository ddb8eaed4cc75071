"""郑政〔2022〕17号《郑州市稳就业若干政策措施》(seed 004, L464–L506; catalogue-004 D3).

The articles that grant money, registered as ``zz-2022-17/<article>``: 第1条 稳岗返还 (M-01;
M-02 免收滞纳金 is no payment), 第2条 创业担保贷款贴息 (I-01), 第4条 招用高校毕业生 (M-03, M-04,
M-05; U-10 社保补贴 has no figure), 第6条 吸纳脱贫劳动力 (M-06; U-11 is paid to individuals), 第7条
优秀人力资源服务机构奖励 (U-12), 第9条 返乡创业 (I-02; U-13 has no figure) and 第11条 技能培训补贴
(U-14). Articles 3, 5, 8 and 10 grant no money. Line numbers (L…) point into seed 004.

Readings (民法典 第1259条): “以上 / 以下 / （含） / 不超过” include the number, “超过” excludes it.
“每人不超过 X 元” is a ceiling the reviewer may lower (``is_ceiling``). Where the text says only
“按规定” or “一定奖励” the amount is not computed (``computable`` False), never invented.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from portal.core.money import ZERO

from .. import blocks
from ..clause import Clause
from ..errors import FactError
from ..facts import choice, flag, integer, money
from ..fmt import pct, yuan
from ..params import ParamSpec
from ..registry import register
from ..spec import register_spec

DOC = "郑政〔2022〕17号"

UNIT_SIZES = {"large": "大型企业", "sme": "中小微企业"}
UNIT_SIZE = choice(
    "unit_size",
    "单位规模",
    UNIT_SIZES,
    help="按国家大中小微型企业划分标准；社会团体、基金会、社会服务机构、律师事务所、会计师事务所、"
    "以单位形式参保的个体工商户参照实施，按其规模选择",
)


@register
class Zz2022_17_1(Clause):
    """郑政〔2022〕17号 第1条（加大政策支持力度，L478）：
    “优化失业保险稳岗返还政策，进一步提高返还比例，将大型企业稳岗返还比例由30%提至50%，中小微企业
    返还比例由60%最高提至90%，执行期限至2022年12月31日。中小微企业、个体工商户和特困行业缓缴养老、
    失业、工伤三项社保费期间，免收滞纳金，不影响社会保险待遇发放。社会团体、基金会、社会服务机构、
    律师事务所、会计师事务所、以单位形式参保的个体工商户参照实施。”
    Reading: the text does not name the base of the ratio; 稳岗返还 is paid on the unemployment
    insurance premiums the unit and its staff actually paid in the previous year (national
    rule), so that is the base. Large: 50 % (firm). SME: “最高提至90%” is a ceiling. The bodies
    “参照实施” use the ratio of their size. 缓缴期间免收滞纳金 (M-02) waives a fee and pays nothing.
    """

    code, article, title = "zz-2022-17/1", "第1条", "失业保险稳岗返还"
    is_ceiling = False
    facts = (
        UNIT_SIZE,
        flag(
            "retention_refund_conditions_met",
            "符合失业保险稳岗返还条件（依法参保缴费等，按规定由人社部门核定）",
        ),
        money("ui_premiums_prev_year", "上年度单位及其职工实际缴纳的失业保险费"),
    )
    params = (
        ParamSpec("large_rate", "大型企业返还比例（%）", "percent", "50"),
        ParamSpec("sme_rate", "中小微企业最高返还比例（%）", "percent", "90"),
    )
    matters = ("job_retention_refund",)

    def compute(self, f, p, t):
        size = f["unit_size"]
        ok = t.check(
            f["retention_refund_conditions_met"],
            "符合失业保险稳岗返还条件",
            "不符合失业保险稳岗返还条件",
        )
        if not ok:
            return ZERO
        t.reason(f"单位规模：{UNIT_SIZES[size]}")
        base = f["ui_premiums_prev_year"]
        if size == "large":
            return blocks.percent_of(t, "大型企业稳岗返还", base, p["large_rate"])
        t.is_ceiling = True
        t.reason(
            f"中小微企业返还比例最高{pct(p['sme_rate'])}，计算结果为上限，由人社部门按规定核定"
        )
        return blocks.percent_of(t, "中小微企业稳岗返还上限", base, p["sme_rate"])


BORROWERS = {
    "individual": "创业个人（含符合条件的货车司机、出租车司机等灵活就业人员和新市民）",
    "partnership": "合伙经营或组织起来创业",
    "small_micro_enterprise": "小微企业（国家支持的小微企业创业担保贷款）",
}


@register
class Zz2022_17_2(Clause):
    """郑政〔2022〕17号 第2条（强化创业担保贷款支持力度，L480–L482）：
    “……符合条件的创业个人，可同时申请国家支持和地方支持合计最高不超过40万元的创业担保贷款，合伙
    经营或组织起来创业的，可申请最高不超过220万元的创业担保贷款。对新发放的个人创业担保贷款和国家
    支持的小微企业创业担保贷款实行财政全额贴息，除中央、省财政补助外，贴息资金由市、县级财政分担，
    其中国家贴息政策按照中央、省政策执行，地方贴息政策执行期限至2022年底。……”
    Reading: 全额贴息 = 100 % of the interest due on the loan. “不超过” includes the ceiling: a
    loan above 40万 (individual) or 220万 (partnership) is not a loan this article supports.
    The text gives no ceiling for 小微企业 loans, so none is checked.
    """

    code, article, title = "zz-2022-17/2", "第2条", "创业担保贷款财政贴息"
    facts = (
        choice("borrower_type", "借款人类型", BORROWERS),
        flag("new_guarantee_loan", "新发放的创业担保贷款（符合国家和省规定的条件）"),
        money("guarantee_loan_amount", "创业担保贷款金额"),
        money("guarantee_loan_interest", "贴息期内按合同应付的贷款利息"),
    )
    params = (
        ParamSpec("individual_loan_max", "创业个人贷款最高额度（含）", "money", "400000"),
        ParamSpec(
            "partnership_loan_max", "合伙或组织起来创业贷款最高额度（含）", "money", "2200000"
        ),
        ParamSpec("share", "财政贴息比例（%）", "percent", "100"),
    )
    matters = ("startup_guarantee_loan_interest",)

    def compute(self, f, p, t):
        kind, loan = f["borrower_type"], f["guarantee_loan_amount"]
        t.reason(f"借款人类型：{BORROWERS[kind]}")
        ok = t.check(
            f["new_guarantee_loan"],
            "贷款为新发放的创业担保贷款",
            "贷款不是新发放的创业担保贷款",
        )
        limit = {"individual": p["individual_loan_max"], "partnership": p["partnership_loan_max"]}
        if kind in limit:
            ok &= t.check(
                loan <= limit[kind],
                f"贷款金额{yuan(loan)}，不超过最高额度{yuan(limit[kind])}",
                f"贷款金额{yuan(loan)}，超过最高额度{yuan(limit[kind])}，不属于本条支持的创业担保贷款",
            )
        else:
            t.reason("本文未规定小微企业创业担保贷款额度，按国家和省规定审核")
        if not ok:
            return ZERO
        return blocks.percent_of(t, "财政贴息", f["guarantee_loan_interest"], p["share"])


@register
class Zz2022_17_4(Clause):
    """郑政〔2022〕17号 第4条（鼓励用人单位招用高校毕业生，L488）：
    “对招用应届高校毕业生，签订1年以上劳动合同并按规定缴纳社会保险费的企业，由市财政给予一定补贴，
    其中招用30人（含）以上50人（含）以下的，按照每人2000元补贴；招用超过50人的，补贴标准提高到每人
    3000元，最高补贴100万元。对招用毕业年度或离校1年内未就业高校毕业生且签订1年以上劳动合同并为其
    缴纳社会保险费的中小微企业，按规定给予社保补贴，并按照每人不超过1500元的标准给予一次性吸纳就业
    补贴。对招用毕业年度高校毕业生的企业，签订劳动合同并参加失业保险的，按照每人不超过1500元的标准
    发放一次性扩岗补助，政策执行至2022年年底（与一次性吸纳就业补贴政策不能同时享受）。”
    Reading: (一) 30–50 hires (both included) 2,000 each; more than 50: 3,000 for every hire,
    capped at 100万; fewer than 30: the text grants nothing. (二) and (三) are ceilings per head;
    “不能同时享受” is per graduate: one counted in both gets only the higher of the two, so the
    number counted in both is required whenever both apply. (二)'s 社保补贴 “按规定” has no figure.
    (一) is not excluded from (二) or (三): the three are added.
    """

    code, article, title = "zz-2022-17/4", "第4条", "招用高校毕业生补贴"
    combine = "sum"
    facts = (
        integer(
            "fresh_graduates_hired",
            "招用应届高校毕业生人数（签订1年以上劳动合同并按规定缴纳社会保险费）",
            required=False,
            unit="人",
        ),
        replace(UNIT_SIZE, required=False),
        integer(
            "absorbed_graduates",
            "招用毕业年度或离校1年内未就业高校毕业生人数（签订1年以上劳动合同并缴纳社会保险费）",
            required=False,
            unit="人",
            help="一次性吸纳就业补贴，限中小微企业",
        ),
        integer(
            "expansion_graduates",
            "2022年底前招用毕业年度高校毕业生人数（签订劳动合同并参加失业保险）",
            required=False,
            unit="人",
            help="一次性扩岗补助",
        ),
        integer(
            "graduates_in_both",
            "同时计入一次性吸纳就业补贴和一次性扩岗补助的毕业生人数",
            required=False,
            unit="人",
            help="两项补贴不能同时享受：同一毕业生只计一项。两项都申报时必填（没有重叠填0）",
        ),
    )
    params = (
        ParamSpec("band_low", "（一）招用人数下限（含）", "threshold", ">=30"),
        ParamSpec("rate_low", "（一）30人（含）至50人（含）每人补贴", "money", "2000"),
        ParamSpec("band_high", "（一）提高标准的招用人数（超过）", "threshold", ">50"),
        ParamSpec("rate_high", "（一）超过50人每人补贴", "money", "3000"),
        ParamSpec("cap_fresh", "（一）最高补贴", "cap", "1000000"),
        ParamSpec("absorption_max", "（二）一次性吸纳就业补贴每人最高", "money", "1500"),
        ParamSpec("expansion_max", "（三）一次性扩岗补助每人最高", "money", "1500"),
    )
    matters = ("graduate_hiring",)

    def compute(self, f, p, t):
        parts: list[tuple[str, Decimal]] = []
        fresh = self._fresh_graduates(f, p, t)
        if fresh is not None:
            parts.append(("（一）", fresh))
        absorbed = f["absorbed_graduates"]
        if absorbed:
            f.need("unit_size", why="申报一次性吸纳就业补贴（限中小微企业）时必须填写")
        if absorbed and f["unit_size"] != "sme":
            t.reason("（二）一次性吸纳就业补贴限中小微企业，本单位不是中小微企业，不计")
            absorbed = 0
        expansion = f["expansion_graduates"]
        if absorbed or expansion:
            per_head = self._per_head(f, p, t, absorbed, expansion)
            t.is_ceiling = True
            t.floor = sum((amount for _, amount in parts), ZERO)  # （一） is firm
            parts.append(("（二）（三）", per_head))
        if not parts:
            t.fail("没有符合本条补贴条件的招用人数")
            return ZERO
        return blocks.capped_sum(t, "合计", parts)

    def _fresh_graduates(self, f, p, t) -> Decimal | None:
        n = f["fresh_graduates_hired"]
        if not n:
            return None
        low, high = p["band_low"], p["band_high"]
        count = Decimal(n)
        if high.met(count):
            rate = p["rate_high"]
            t.reason(f"（一）招用应届高校毕业生{n}人，{high.words('人')}，每人{yuan(rate)}")
        elif low.met(count):
            rate = p["rate_low"]
            t.reason(f"（一）招用应届高校毕业生{n}人，{low.words('人')}，每人{yuan(rate)}")
        else:
            t.reason(f"（一）招用应届高校毕业生{n}人，未{low.words('人')}，本条未规定补贴")
            return None
        amount = count * rate
        t.step(f"（一）应届高校毕业生补贴：{n}人 × {yuan(rate)}", yuan(amount))
        return blocks.cap_at(t, "（一）应届高校毕业生补贴", amount, p["cap_fresh"])

    def _per_head(self, f, p, t, absorbed: int, expansion: int) -> Decimal:
        both = 0
        if absorbed and expansion:
            f.need("graduates_in_both", why="同时申报一次性吸纳就业补贴和一次性扩岗补助时必须填写")
            both = f["graduates_in_both"]
            if both > min(absorbed, expansion):
                raise FactError(
                    {
                        "graduates_in_both": f"「同时计入两项的毕业生人数」"
                        f"{both}人，不能多于任一项的人数"
                        f"（{min(absorbed, expansion)}人）"
                    },
                    code=self.code,
                )
        r2, r3 = p["absorption_max"], p["expansion_max"]
        amount = absorbed * r2 + expansion * r3
        if absorbed:
            t.reason(f"（二）中小微企业招用未就业高校毕业生{absorbed}人，每人不超过{yuan(r2)}")
            t.reason("（二）另按规定给予社保补贴（原文未规定金额，由人社部门核定，不计入本测算）")
            t.step(f"（二）一次性吸纳就业补贴上限：{absorbed}人 × {yuan(r2)}", yuan(absorbed * r2))
        if expansion:
            t.reason(f"（三）招用毕业年度高校毕业生{expansion}人，每人不超过{yuan(r3)}")
            t.step(f"（三）一次性扩岗补助上限：{expansion}人 × {yuan(r3)}", yuan(expansion * r3))
        if both:
            lower = min(r2, r3)
            amount -= both * lower
            t.step(
                f"（二）（三）不能同时享受：{both}人同时计入，每人只计较高一项，扣减{both}人 × {yuan(lower)}",
                yuan(-(both * lower)),
            )
        return amount


@register
class Zz2022_17_6(Clause):
    """郑政〔2022〕17号 第6条（精准开展就业帮扶，L492–L494）：
    “……各类企业、农民专业合作社等市场经营主体吸纳脱贫劳动力稳定就业6个月以上的，可按每吸纳1人
    给予3000元的标准发放一次性吸纳就业补贴，其中1000元由就业补助资金列支，另外2000元由企业所在地
    的区县（市）财政承担，执行期截至2022年12月31日。对2022年度新发生的参保失业人员发放失业补助金
    或临时生活补助。……”
    Reading: 3,000 for every person employed 6 months or more (以上: 6 months count), paid
    1,000 from 就业补助资金 and 2,000 by the county; no cap. 失业补助金 (U-11) is paid to
    individuals, with no figure: not part of this award.
    """

    code, article, title = "zz-2022-17/6", "第6条", "吸纳脱贫劳动力一次性吸纳就业补贴"
    facts = (
        flag("market_entity", "企业、农民专业合作社等市场经营主体"),
        integer(
            "poverty_labour_hired",
            "2022年12月31日前吸纳脱贫劳动力稳定就业满6个月（含）以上的人数",
            unit="人",
        ),
    )
    params = (
        ParamSpec("fund_share", "每人由就业补助资金列支", "money", "1000"),
        ParamSpec("district_share", "每人由企业所在地区县（市）财政承担", "money", "2000"),
    )
    matters = ("poverty_labour_hiring",)

    def compute(self, f, p, t):
        n = f["poverty_labour_hired"]
        ok = t.check(
            f["market_entity"],
            "申请单位为市场经营主体",
            "申请单位不是企业、农民专业合作社等市场经营主体",
        )
        ok &= t.check(
            n > 0,
            f"吸纳脱贫劳动力稳定就业6个月以上{n}人",
            "没有吸纳脱贫劳动力稳定就业6个月以上",
        )
        if not ok:
            return ZERO
        fund, district = p["fund_share"], p["district_share"]
        t.step(f"其中就业补助资金列支：{n}人 × {yuan(fund)}", yuan(n * fund))
        t.step(f"其中区县（市）财政承担：{n}人 × {yuan(district)}", yuan(n * district))
        return blocks.fixed(
            t, f"一次性吸纳就业补贴：{n}人 × {yuan(fund + district)}", n * (fund + district)
        )


register_spec(
    "zz-2022-17/7",
    {
        "type": "no_formula",
        "label": "优秀经营性人力资源服务机构奖励",
        "note": "每年评选60家优秀经营性人力资源服务机构，由市财政给予一定奖励",
        "conditions": [
            {
                "fact": "selected_excellent_hr_agency",
                "no": "未被评为年度优秀经营性人力资源服务机构",
            }
        ],
    },
    {
        "article": "第7条",
        "title": "优秀经营性人力资源服务机构奖励",
        "doc": f"{DOC} 第7条（提升就业服务质量，L496）：“鼓励经营性人力资源服务机构开展人力资源供求信息"
        "的收集和发布、就业和创业指导等工作，每年评选60家优秀经营性人力资源服务机构，由市财政给予一定"
        "奖励。”  No figure (“一定奖励”): no_formula; 60 a year is a count, not an amount.",
        "facts": [
            {
                "name": "selected_excellent_hr_agency",
                "label": "被评为年度优秀经营性人力资源服务机构",
                "kind": "bool",
            }
        ],
        "matters": ["excellent_hr_agency"],
    },
)


@register
class Zz2022_17_9(Clause):
    """郑政〔2022〕17号 第9条（支持返乡下乡创业，L500）：
    “……持续开展返乡创业示范园区、示范项目、助力乡村振兴优秀项目创建评选工作，并按规定给予奖补。
    选树30个市级农民工返乡创业之星，每人奖励1万元。……”
    Reading: (二) 10,000 to each selected 返乡创业之星 (30 is the number selected, not an
    amount); (一) 示范园区/项目 奖补 “按规定” has no figure: when it is the only item the result
    is not computable, and beside (二) it is noted, not computed.
    """

    code, article, title = "zz-2022-17/9", "第9条", "返乡下乡创业奖补"
    combine = "sum"
    facts = (
        flag(
            "returning_demo_park_or_project",
            "获评返乡创业示范园区、示范项目或助力乡村振兴优秀项目",
            required=False,
        ),
        flag("returning_entrepreneur_star", "被选树为市级农民工返乡创业之星", required=False),
    )
    params = (ParamSpec("star_award", "（二）返乡创业之星每人奖励", "money", "10000"),)
    matters = ("returning_entrepreneurship",)

    def compute(self, f, p, t):
        demo, star = f["returning_demo_park_or_project"], f["returning_entrepreneur_star"]
        if not (demo or star):
            t.fail("未获评返乡创业示范园区、示范项目或优秀项目，也未被选树为返乡创业之星")
            return ZERO
        if demo:
            t.reason(
                "（一）返乡创业示范园区、示范项目、助力乡村振兴优秀项目按规定给予奖补"
                "（政策原文未规定金额，由主管部门核定）"
            )
            if not star:
                t.computable = False
                return ZERO
        t.reason("（二）被选树为市级农民工返乡创业之星")
        return blocks.fixed(t, "（二）返乡创业之星奖励", p["star_award"])


register_spec(
    "zz-2022-17/11",
    {
        "type": "no_formula",
        "label": "职业技能培训补贴",
        "note": "对离校未就业高校毕业生和其他城镇失业人员开展技能培训，按规定发放技能培训补贴",
        "conditions": [
            {
                "fact": "skills_training_for_unemployed",
                "no": "未组织离校未就业高校毕业生或其他城镇失业人员参加职业技能培训",
            }
        ],
    },
    {
        "article": "第11条",
        "title": "职业技能培训补贴",
        "doc": f"{DOC} 第11条（高质量推进“人人持证、技能河南”建设，L504）：“加大对离校未就业高校"
        "毕业生和其他城镇失业人员的技能培训力度，按规定发放技能培训补贴。……”  No figure (“按规定”):"
        " no_formula.",
        "facts": [
            {
                "name": "skills_training_for_unemployed",
                "label": "组织离校未就业高校毕业生或其他城镇失业人员参加职业技能培训",
                "kind": "bool",
            }
        ],
        "matters": ["skills_training_subsidy"],
    },
)
