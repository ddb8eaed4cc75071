"""Demo enterprises for ``load_demo`` / ``make run``. Idempotent: running it twice changes nothing.

Three verified enterprises with valid credit codes, bank accounts and indicators chosen so the
award rules have something to find (e.g. 155号第2条: Q1 revenue 100,000,000 -> 135,000,000
gives 60,000.00), and one pending enterprise for 金水区's verification queue. The demo logins
``qiye`` and ``qiye2`` (made by ``demo.services``) become the primary users of the first
two when they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from enterprises.catalogue import CATALOGUE, IndicatorName, parse_value
from enterprises.models import Enterprise, EnterpriseEvent, EnterpriseMember, Indicator
from portal.accounts.models import District, User

R, E, X = IndicatorName.REVENUE, IndicatorName.ELECTRICITY_KWH, IndicatorName.EXPORTS
STATISTICS_BUREAU = "郑州市统计局"


def credit_code(first17: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters (check digit by GB 32100)."""
    return first17 + uscc.calc_check_digit(first17)


def _months(year: int, values: list[int]) -> dict[str, int]:
    return {f"{year}-{m:02d}": v for m, v in enumerate(values, start=1)}


@dataclass(frozen=True)
class DemoEnterprise:
    code17: str
    name: str
    district: str
    division: str
    above_scale: bool
    legal: str
    contact: str
    mobile: str
    bank: str
    account: str
    username: str | None = None
    reviewer: str | None = None  # the demo login that verified it; None = still pending
    own: dict[str, dict[str, object]] = field(default_factory=dict)  # name -> period -> yuan/kWh
    imported: dict[str, dict[str, object]] = field(default_factory=dict)


DEMO_ENTERPRISES = [
    DemoEnterprise(
        "91410105MA44XK3N5",
        "郑州示范机械制造有限公司",
        "jinshui",
        "34",
        True,
        "张建国",
        "张经理",
        "13803710001",
        "中国银行郑州金水支行",
        "246813579024680001",
        username="qiye",
        reviewer="jinshui",
        own={
            R: {
                "2021": "420000000",
                "2022": "460000000",
                "2022Q1": "100000000",
                "2023Q1": "135000000",
            },
            E: {
                **_months(
                    2022,
                    [
                        1200000,
                        1150000,
                        1350000,
                        1380000,
                        1420000,
                        1460000,
                        1500000,
                        1480000,
                        1410000,
                        1390000,
                        1360000,
                        1330000,
                    ],
                ),
                **_months(2023, [1300000, 1250000, 1420000]),
            },
            X: {"2022": "120000000"},
            IndicatorName.EMPLOYEES: {"2022": 680},
            IndicatorName.RD_SPEND: {"2022": "18500000"},
        },
        imported={R: {"2022": "460000000", "2022Q1": "100000000"}},
    ),
    DemoEnterprise(
        "91410103MA45B7T2X",
        "郑州二七示范电子有限公司",
        "erqi",
        "39",
        True,
        "李卫东",
        "李会计",
        "13903710002",
        "中国工商银行郑州二七支行",
        "1702020109000123456",
        username="qiye2",
        reviewer="erqi",
        own={
            R: {
                "2021": "150000000",
                "2022": "180000000",
                "2022Q1": "80000000",
                "2023Q1": "92000000",
            },
            E: _months(
                2022,
                [
                    410000,
                    380000,
                    450000,
                    460000,
                    470000,
                    480000,
                    520000,
                    510000,
                    490000,
                    470000,
                    460000,
                    450000,
                ],
            ),
            IndicatorName.EMPLOYEES: {"2022": 240},
        },
    ),
    DemoEnterprise(
        "91410105MA46C8U3Y",
        "郑州示范新材料有限公司",
        "jinshui",
        "30",
        False,
        "王新华",
        "王主任",
        "13703710003",
        "中国建设银行郑州花园路支行",
        "41050110470800000123",
        reviewer="jinshui",
        own={R: {"2021": "60000000", "2022": "75000000"}, IndicatorName.EMPLOYEES: {"2022": 95}},
    ),
    DemoEnterprise(
        "91410105MA47D9W4K",
        "郑州示范智能装备有限公司",
        "jinshui",
        "35",
        False,
        "赵志强",
        "赵经理",
        "13603710004",
        "交通银行郑州金水支行",
        "411899991010000123456",
    ),
]


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _load_one(demo: DemoEnterprise, districts: dict[str, District]) -> Enterprise:
    code = credit_code(demo.code17[:17])
    primary, reviewer = _user(demo.username), _user(demo.reviewer)
    enterprise = Enterprise.objects.filter(credit_code=code).first()
    if enterprise is None:
        enterprise = Enterprise(
            credit_code=code,
            name=demo.name,
            district=districts[demo.district],
            industry_division=demo.division,
            above_scale=demo.above_scale,
            legal_representative=demo.legal,
            contact_name=demo.contact,
            contact_mobile=demo.mobile,
            bank_name=demo.bank,
            bank_account=demo.account,
            bank_account_name=demo.name,
        )
        enterprise.full_clean(exclude=["industry_section"])
        if demo.reviewer:
            enterprise.verification_status = Enterprise.Status.VERIFIED
            enterprise.verified_at = timezone.now()
        enterprise.save()
        EnterpriseEvent.objects.create(
            enterprise=enterprise,
            actor=primary,
            type=EnterpriseEvent.Type.REGISTERED,
            to_status=Enterprise.Status.PENDING,
            note="演示数据",
        )
        if demo.reviewer:
            EnterpriseEvent.objects.create(
                enterprise=enterprise,
                actor=reviewer,
                type=EnterpriseEvent.Type.VERIFIED,
                from_status=Enterprise.Status.PENDING,
                to_status=Enterprise.Status.VERIFIED,
                note="演示数据",
            )
    if primary is not None and not EnterpriseMember.objects.filter(user=primary).exists():
        has_primary = enterprise.members.filter(is_primary=True).exists()
        EnterpriseMember.objects.create(
            user=primary, enterprise=enterprise, is_primary=not has_primary
        )
    for source, figures, department in (
        ("self_reported", demo.own, ""),
        ("imported", demo.imported, STATISTICS_BUREAU),
    ):
        for name, periods in figures.items():
            for period, value in periods.items():
                Indicator.objects.get_or_create(
                    enterprise=enterprise,
                    name=name,
                    period=period,
                    source=source,
                    defaults={
                        "value": parse_value(CATALOGUE[name], value),
                        "department": department,
                        "updated_by": primary if source == "self_reported" else None,
                    },
                )
    return enterprise


@transaction.atomic
def demo_enterprises_load() -> list[Enterprise]:
    """Create (once) the demo enterprises; return them in the order above."""
    districts = {d.code: d for d in District.objects.all()}
    return [_load_one(demo, districts) for demo in DEMO_ENTERPRISES]
