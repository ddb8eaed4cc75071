"""Finance: payables per determined award, their city/district shares, payment batches,
the append-only ledger, budgets and clawbacks.

Money is integer fen in the database (``amount_fen``, checked ``>= 0``); code converts at the
edges through ``portal.core.money``. A share's ``status`` is its current state; the ledger is
its history and is never edited (enforced in Python here and by a trigger in the database).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from policies.payout import PayoutTarget, late_against_target, payout_target
from portal.core.money import from_fen


class PayerLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区县"


class Payable(models.Model):
    """What is owed on one determined award, one row per instalment (分期拨付).

    ``UniqueConstraint(application, instalment_no)`` makes "one payable per award and
    instalment" a database fact, so a duplicate task or sweep cannot create a second one.
    Instalments after the first wait for a milestone confirmation before they can be paid.
    """

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="payables",
    )
    instalment_no = models.PositiveSmallIntegerField("期次", default=1)
    instalment_count = models.PositiveSmallIntegerField("总期数", default=1)
    share_percent = models.DecimalField("本期比例（%）", max_digits=6, decimal_places=2)
    condition = models.CharField("拨付条件", max_length=200, blank=True)
    amount_fen = models.BigIntegerField("金额（分）")
    determined_on = models.DateField("确定日期")
    needs_milestone = models.BooleanField("需里程碑确认", default=False)
    milestone_confirmed_at = models.DateTimeField("里程碑确认时间", null=True, blank=True)
    milestone_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="里程碑确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "应付款项"
        verbose_name_plural = verbose_name
        ordering = ["application_id", "instalment_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "instalment_no"], name="payable_one_per_award_instalment"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="payable_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} 第{self.instalment_no}期 {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def schedulable(self) -> bool:
        return not self.needs_milestone or self.milestone_confirmed_at is not None


class PayableShare(models.Model):
    """The part of a payable one treasury (市财政局 or a district's 财政局) pays."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "待拨付"
        IN_BATCH = "in_batch", "已组批"
        PAID = "paid", "已支付"
        FAILED = "failed", "支付失败"
        CANCELLED = "cancelled", "已取消"

    OPEN_STATUSES = (Status.SCHEDULED, Status.IN_BATCH, Status.FAILED)
    BATCHABLE_STATUSES = (Status.SCHEDULED, Status.FAILED)

    payable = models.ForeignKey(
        Payable, verbose_name="应付款项", on_delete=models.PROTECT, related_name="shares"
    )
    payer_level = models.CharField("付款方层级", max_length=10, choices=PayerLevel.choices)
    payer_district = models.ForeignKey(
        "accounts.District",
        verbose_name="付款区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_fen = models.BigIntegerField("金额（分）")
    due_date = models.DateField("应付日期", null=True, blank=True, help_text="待里程碑确认的为空")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    batch = models.ForeignKey(
        "PaymentBatch",
        verbose_name="当前批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_shares",
    )
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    voucher_no = models.CharField("凭证号", max_length=60, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True)
    # The payee account is frozen as it was when the award was determined; the batch pays it.
    # A later change of the enterprise's account is paid only after a finance officer of this
    # payer re-verifies it (re-authentication, audited): ``finance.services.payee``.
    payee_name = models.CharField("收款单位", max_length=100, blank=True)
    payee_credit_code = models.CharField("收款单位统一社会信用代码", max_length=18, blank=True)
    payee_bank_name = models.CharField("收款开户银行", max_length=100, blank=True)
    payee_bank_account = models.CharField("收款账号", max_length=30, blank=True)
    payee_fixed_at = models.DateTimeField("收款账户锁定时间", null=True, blank=True)
    payee_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收款账户变更核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "分担份额"
        verbose_name_plural = verbose_name
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["payable", "payer_level"], name="share_one_per_payer"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="share_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(payer_level="city", payer_district__isnull=True)
                | Q(payer_level="district", payer_district__isnull=False),
                name="share_payer_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_batch") | Q(batch__isnull=False),
                name="share_in_batch_has_batch",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (~Q(voucher_no="") & Q(paid_on__isnull=False)),
                name="share_paid_has_voucher",
            ),
        ]
        indexes = [models.Index(fields=["payer_level", "payer_district", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.payer_label} {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def payer_label(self) -> str:
        if self.payer_level == PayerLevel.CITY:
            return "市财政局"
        return f"{self.payer_district.name}财政局" if self.payer_district_id else "区县财政局"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status in self.OPEN_STATUSES
            and self.due_date is not None
            and self.due_date < today
        )

    @property
    def policy_target(self) -> PayoutTarget | None:
        """The payout target of the award's policy (e.g. 155号第17条: by 2023-03-31)."""
        return payout_target(self.payable.application.clause.policy)

    def is_late_against_policy(self, today=None) -> bool:
        """Determined, paid, or still unpaid after the policy's payout target."""
        if self.status == self.Status.CANCELLED:
            return False
        return late_against_target(
            self.policy_target,
            determined_on=self.payable.determined_on,
            paid_on=self.paid_on if self.status == self.Status.PAID else None,
            today=today or timezone.localdate(),
        )

    @property
    def late_against_policy(self) -> bool:
        return self.is_late_against_policy()


class PaymentBatch(models.Model):
    """拨付批次: shares of one payer, exported as one bank payment list."""

    payer_level = models.CharField("付款方层级", max_length=10, choices=PayerLevel.choices)
    payer_district = models.ForeignKey(
        "accounts.District",
        verbose_name="付款区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组批人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("组批时间", default=timezone.now)

    class Meta:
        verbose_name = "拨付批次"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payer_level="city", payer_district__isnull=True)
                | Q(payer_level="district", payer_district__isnull=False),
                name="batch_payer_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """PC + the Beijing (TIME_ZONE) date it was made + the id: made at 04:30 on 7 December
        in Beijing is PC20261207-…, not the UTC date 20261206."""
        made = timezone.localtime(self.created_at or timezone.now())
        return f"PC{made:%Y%m%d}-{self.pk or 0:05d}"

    @property
    def payer_label(self) -> str:
        if self.payer_level == PayerLevel.CITY:
            return "市财政局"
        return f"{self.payer_district.name}财政局" if self.payer_district_id else ""


class PaymentBatchItem(models.Model):
    """One share in one batch, with the payee's bank details as they were when batched.

    The payer fields are copied from the share; a database trigger (migration 0002) refuses an
    item whose payer differs from its batch's, so the rule holds even for a bug in a service.
    """

    class Result(models.TextChoices):
        PENDING = "pending", "待支付"
        PAID = "paid", "已支付"
        FAILED = "failed", "支付失败"

    batch = models.ForeignKey(
        PaymentBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="items"
    )
    share = models.ForeignKey(
        PayableShare, verbose_name="份额", on_delete=models.PROTECT, related_name="batch_items"
    )
    payer_level = models.CharField("付款方层级", max_length=10, choices=PayerLevel.choices)
    payer_district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_fen = models.BigIntegerField("金额（分）")
    payee_name = models.CharField("收款单位", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    bank_name = models.CharField("开户银行", max_length=100)
    bank_account = models.CharField("账号", max_length=30)
    purpose = models.CharField("用途", max_length=200)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.PENDING)

    class Meta:
        verbose_name = "批次明细"
        verbose_name_plural = verbose_name
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "share"], name="batch_item_unique_share"),
            models.UniqueConstraint(
                fields=["share"],
                condition=Q(result="pending"),
                name="share_in_one_open_batch",
                violation_error_message="该份额已在其他批次中等待支付。",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="batch_item_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.payee_name} {from_fen(self.amount_fen)}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)


class Clawback(models.Model):
    """追回: money to be returned on a paid award. Repayments are ledger rows."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="clawbacks",
    )
    finding = models.TextField("追回事由")
    amount_fen = models.BigIntegerField("追回金额（分）")
    due_date = models.DateField("退回期限")
    credit_blocked_until = models.DateField("限制申报至", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", default=timezone.now)

    class Meta:
        verbose_name = "资金追回"
        verbose_name_plural = verbose_name
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="clawback_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"追回 {self.application_id} {from_fen(self.amount_fen)}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("资金台账只能追加，不能修改。")

    def delete(self):
        raise TypeError("资金台账只能追加，不能删除。")


class LedgerEntry(models.Model):
    """Append-only: every money event, with who and when. Balances are computed from here."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "生成应付"
        BATCHED = "batched", "纳入批次"
        PAID = "paid", "支付成功"
        FAILED = "failed", "支付失败"
        CANCELLED = "cancelled", "取消"
        CLAWBACK_OPENED = "clawback_opened", "发起追回"
        REPAYMENT = "repayment", "追回到账"

    share = models.ForeignKey(
        PayableShare,
        verbose_name="份额",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    clawback = models.ForeignKey(
        Clawback,
        verbose_name="追回",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name="批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    amount_fen = models.BigIntegerField("金额（分）")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voucher_no = models.CharField("凭证号", max_length=60, blank=True)
    paid_on = models.DateField("支付/到账日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "资金台账"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="ledger_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(share__isnull=False) | Q(clawback__isnull=False),
                name="ledger_entry_has_subject",
            ),
            # the last line of defence against paying twice, whatever the code above does
            models.UniqueConstraint(
                fields=["share"], condition=Q(kind="paid"), name="ledger_one_payment_per_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {from_fen(self.amount_fen)}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("资金台账只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("资金台账只能追加，不能删除。")


class Budget(models.Model):
    """A year's budget of one payer for a policy (or one clause of it).

    ``payer_level`` "total" is a programme cap regardless of who pays (155号第12条:
    全市每年安排不超过3000万元); "city"/"district" count only that payer's share of each award.
    """

    class Level(models.TextChoices):
        TOTAL = "total", "全市合计"
        CITY = "city", "市级"
        DISTRICT = "district", "区县"

    policy = models.ForeignKey(
        "policies.Policy", verbose_name="政策", on_delete=models.PROTECT, related_name="+"
    )
    clause = models.ForeignKey(
        "policies.Clause",
        verbose_name="条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度")
    payer_level = models.CharField("付款方", max_length=10, choices=Level.choices)
    payer_district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_fen = models.BigIntegerField("预算金额（分）")
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "预算"
        verbose_name_plural = verbose_name
        ordering = ["-year", "policy", "clause"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="budget_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(payer_level="district", payer_district__isnull=False)
                | (~Q(payer_level="district") & Q(payer_district__isnull=True)),
                name="budget_payer_consistent",
            ),
            models.UniqueConstraint(
                fields=["policy", "clause", "year", "payer_level", "payer_district"],
                name="budget_unique_scope",
            ),
        ]

    def __str__(self) -> str:
        where = f"第{self.clause.article}条" if self.clause_id else ""
        return f"{self.policy.doc_number}{where} {self.year}年 {self.scope_label}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def scope_label(self) -> str:
        if self.payer_level == self.Level.DISTRICT:
            return f"{self.payer_district.name}财政"
        return self.get_payer_level_display()


class PaymentReminder(models.Model):
    """One reminder digest per treasury and day: the nightly job sends it at most once."""

    payer_level = models.CharField("付款方层级", max_length=10, choices=PayerLevel.choices)
    payer_district = models.ForeignKey(
        "accounts.District",
        verbose_name="付款区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField("日期")
    due_soon = models.PositiveIntegerField("即将到期笔数")
    overdue = models.PositiveIntegerField("已逾期笔数")
    amount_fen = models.BigIntegerField("合计金额（分）")
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "付款到期提醒"
        verbose_name_plural = verbose_name
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(  # the city's row has no district: 0 stands for it
                Coalesce("payer_district", Value(0)), F("day"), name="payment_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.payer_level} {self.payer_district_id or ''}"
