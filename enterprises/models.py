"""Applicant enterprises: the file (一企一档), its users, its audit trail and its indicator data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from enterprises import industries
from enterprises.catalogue import (
    CATALOGUE,
    IndicatorName,
    IndicatorSpec,
    value_as_decimal,
    value_as_text,
)
from enterprises.validators import validate_bank_account, validate_credit_code, validate_mobile
from portal.accounts.models import District
from portal.core.models import TimeStampedModel


class Enterprise(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "待核验"
        VERIFIED = "verified", "已核验"
        REJECTED = "rejected", "核验未通过"

    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text="18位，见营业执照；字母请用大写。",
        error_messages={"unique": "该统一社会信用代码已经注册，请直接登录或联系本企业的主账号。"},
    )
    name = models.CharField("企业名称", max_length=100, help_text="与营业执照一致。")
    district = models.ForeignKey(
        District, verbose_name="所属区县", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry_section = models.CharField(
        "行业门类", max_length=1, choices=industries.section_choices()
    )
    industry_division = models.CharField(
        "所属行业（大类）",
        max_length=2,
        choices=industries.division_choices(),
        help_text="国民经济行业分类（GB/T 4754-2017）大类。",
    )
    above_scale = models.BooleanField(
        "规模以上企业", default=False, help_text="已纳入统计部门规模以上（限额以上）企业名录。"
    )
    legal_representative = models.CharField("法定代表人", max_length=50)
    contact_name = models.CharField("联系人", max_length=50)
    contact_mobile = models.CharField("联系人手机号", max_length=11, validators=[validate_mobile])
    bank_name = models.CharField(
        "开户银行", max_length=100, help_text="写到支行，如：中国银行郑州金水支行。"
    )
    bank_account = models.CharField(
        "银行账号", max_length=30, validators=[validate_bank_account], help_text="8至30位数字。"
    )
    bank_account_name = models.CharField(
        "账户名称",
        max_length=100,
        help_text="奖补资金只拨付到企业对公账户，账户名称须与企业名称一致。",
    )
    verification_status = models.CharField(
        "核验状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    verification_reason = models.CharField("核验未通过原因", max_length=500, blank=True)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    credit_blocked_until = models.DateField(
        "限制申报截止日",
        null=True,
        blank=True,
        help_text="失信联合惩戒或资金追回期间不得申报；到期次日自动解除。",
    )
    credit_block_reason = models.CharField("限制原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "申报企业"
        verbose_name_plural = verbose_name
        ordering = ["district__sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bank_account_name=F("name")),
                name="enterprise_bank_account_name_is_name",
                violation_error_message="账户名称须与企业名称一致。",
            ),
            models.CheckConstraint(
                condition=~Q(verification_status="rejected") | ~Q(verification_reason=""),
                name="enterprise_rejection_has_reason",
                violation_error_message="核验未通过须说明原因。",
            ),
            models.CheckConstraint(
                condition=Q(credit_blocked_until__isnull=True) | ~Q(credit_block_reason=""),
                name="enterprise_credit_block_has_reason",
                violation_error_message="设置限制申报须说明原因。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        """Say only the rule that failed: our validators' message replaces "too long"."""
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                ours = [e for e in errors if (e.code or "").startswith("invalid_")]
                if ours:
                    exc.error_dict[field] = ours
            raise

    def clean(self) -> None:
        errors: dict[str, str] = {}
        section = industries.section_of(self.industry_division or "")
        if section:
            self.industry_section = section  # the division decides the section
        if self.name and self.bank_account_name and self.bank_account_name != self.name:
            errors["bank_account_name"] = (
                f"账户名称须与企业名称“{self.name}”完全一致：奖补资金只拨付到企业本单位对公账户。"
            )
        if self.credit_blocked_until and not self.credit_block_reason.strip():
            errors["credit_block_reason"] = "设置限制申报截止日时须填写限制原因。"
        if self.verification_status == self.Status.REJECTED and not self.verification_reason:
            errors["verification_reason"] = "核验未通过须说明原因。"
        if errors:
            raise ValidationError(errors)

    @property
    def industry_label(self) -> str:
        return industries.division_label(self.industry_division)

    @property
    def is_manufacturing(self) -> bool:
        return self.industry_section in industries.MANUFACTURING

    @property
    def is_industrial(self) -> bool:
        return self.industry_section in industries.INDUSTRIAL

    def credit_blocked_on(self, day) -> bool:
        return self.credit_blocked_until is not None and day <= self.credit_blocked_until

    @property
    def is_credit_blocked(self) -> bool:
        return self.credit_blocked_on(timezone.localdate())


class EnterpriseMember(models.Model):
    """A login of an enterprise. The primary member registered it and may invite others."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.PROTECT,
        related_name="enterprise_membership",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="members"
    )
    is_primary = models.BooleanField("主账号", default=False)
    created_at = models.DateTimeField("加入时间", default=timezone.now)

    class Meta:
        verbose_name = "企业用户"
        verbose_name_plural = verbose_name
        ordering = ["-is_primary", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_primary=True),
                name="enterprise_one_primary_member",
                violation_error_message="每家企业只能有一个主账号。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.user}"


class EnterpriseEvent(models.Model):
    """Append-only audit trail of one enterprise: never edited, never deleted."""

    class Type(models.TextChoices):
        REGISTERED = "registered", "企业注册"
        VERIFIED = "verified", "核验通过"
        REJECTED = "rejected", "核验未通过"
        RESUBMITTED = "resubmitted", "重新提交核验"
        PROFILE_UPDATED = "profile_updated", "企业信息变更"
        BANK_UPDATED = "bank_updated", "银行账户变更"
        MEMBER_INVITED = "member_invited", "添加企业用户"
        INDICATOR_SET = "indicator_set", "填报指标"
        INDICATOR_DELETED = "indicator_deleted", "删除指标"
        INDICATORS_IMPORTED = "indicators_imported", "导入指标"
        CREDIT_BLOCK_SET = "credit_block_set", "设置限制申报"
        CREDIT_BLOCK_CLEARED = "credit_block_cleared", "解除限制申报"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    type = models.CharField("事项", max_length=30, choices=Type.choices)
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "企业档案记录"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_type_display()}"

    @property
    def from_status_label(self) -> str:
        return Enterprise.Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return Enterprise.Status(self.to_status).label if self.to_status else ""


class IndicatorSource(models.TextChoices):
    SELF_REPORTED = "self_reported", "企业填报"
    IMPORTED = "imported", "部门导入"


class IndicatorImport(models.Model):
    """One uploaded workbook: what came in, from whom, and how many rows."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="indicator_imports"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=255)
    source = models.CharField("来源", max_length=20, choices=IndicatorSource.choices)
    department = models.CharField("数据提供部门", max_length=100, blank=True)
    rows_count = models.PositiveIntegerField("行数")
    created_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        verbose_name = "指标导入记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.rows_count}行）"


class Indicator(models.Model):
    """One figure of one enterprise for one period from one source.

    ``value`` is an exact integer in the base unit of the indicator (fen for money, kWh,
    persons): see ``enterprises.catalogue``. A self-reported and an imported figure for the
    same period are two rows; neither overwrites the other.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField("指标", max_length=30, choices=IndicatorName.choices)
    period = models.CharField("期间", max_length=7, help_text="2023、2023H1、2023Q1 或 2023-01")
    value = models.BigIntegerField("数值（金额为分）")
    source = models.CharField("来源", max_length=20, choices=IndicatorSource.choices)
    department = models.CharField("数据提供部门", max_length=100, blank=True)
    import_batch = models.ForeignKey(
        IndicatorImport,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "经营指标"
        verbose_name_plural = verbose_name
        ordering = ["name", "period", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name", "period", "source"],
                name="indicator_one_per_period_and_source",
                violation_error_message="该指标在该期间已有同一来源的数值。",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(source="imported") | ~Q(department=""),
                name="indicator_import_names_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_name_display()} {self.period}"

    @property
    def spec(self) -> IndicatorSpec:
        return CATALOGUE[self.name]

    @property
    def amount(self):
        """Yuan (Decimal) for money, the plain number (Decimal) otherwise."""
        return value_as_decimal(self.spec, self.value)

    @property
    def display_value(self) -> str:
        """For pages: thousands separators, two decimals for money ("135,000,000.00")."""
        if self.spec.kind == "money":
            return f"{self.amount:,.2f}"
        return f"{self.value:,}"

    @property
    def value_text(self) -> str:
        """As the API and forms show it: "135000000.00" for money, "1250000" otherwise."""
        return value_as_text(self.spec, self.value)

    @property
    def source_label(self) -> str:
        if self.source == IndicatorSource.IMPORTED:
            return f"{self.department}（导入）"
        return self.get_source_display()
