import factory
from django.utils import timezone
from stdnum.cn import uscc

from enterprises.models import Enterprise, EnterpriseMember, Indicator, IndicatorSource
from portal.accounts.models import District, Role
from tests.factories.accounts import UserFactory


def valid_credit_code(n: int, region: str = "410105") -> str:
    """A valid 统一社会信用代码: 91 + region + 9-character organisation code + check digit."""
    first17 = f"91{region}MA{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def with_wrong_check_digit(code: str) -> str:
    """The same code with a different (so wrong) last character."""
    return code[:-1] + ("1" if code[-1] != "1" else "2")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    class Params:
        district_code = "jinshui"
        pending = factory.Trait(verification_status=Enterprise.Status.PENDING, verified_at=None)
        rejected = factory.Trait(
            verification_status=Enterprise.Status.REJECTED,
            verification_reason="营业执照名称与填报名称不一致",
            verified_at=None,
        )

    credit_code = factory.Sequence(valid_credit_code)
    name = factory.Sequence(lambda n: f"郑州测试{n}机械有限公司")
    district = factory.LazyAttribute(lambda o: District.objects.get(code=o.district_code))
    industry_section = "C"
    industry_division = "34"
    above_scale = True
    legal_representative = "张三"
    contact_name = "李四"
    contact_mobile = "13800138000"
    bank_name = "中国银行郑州金水支行"
    bank_account = "6217000010001234567"
    bank_account_name = factory.LazyAttribute(lambda o: o.name)
    verification_status = Enterprise.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class EnterpriseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMember

    user = factory.SubFactory(UserFactory, role=Role.ENTERPRISE)
    enterprise = factory.SubFactory(EnterpriseFactory)
    is_primary = True


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "revenue"
    period = "2023Q1"
    value = 13_500_000_000  # fen: 135,000,000.00 yuan
    source = IndicatorSource.SELF_REPORTED
    department = ""


def enterprise_with_user(user=None, **kwargs) -> Enterprise:
    """An enterprise whose primary login is ``user`` (a new enterprise user when None)."""
    enterprise = EnterpriseFactory(**kwargs)
    EnterpriseMemberFactory(
        enterprise=enterprise, user=user or UserFactory(role=Role.ENTERPRISE), is_primary=True
    )
    return enterprise
