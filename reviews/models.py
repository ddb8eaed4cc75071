"""Review-side records of a case: who holds it, what was checked, conflicts, public notice.

The case's status and its step deadline (``Application.due_on``) live in ``applications``;
status changes only through ``applications.services.application_transition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.workflow import Level, Status


class CaseReview(models.Model):
    """Who holds the case at its current step. An assignment counts for the status it was made
    in (``status``): when the case moves on, the next level's queue sees it unassigned."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="review",
    )
    status = models.CharField("认领时状态", max_length=20, choices=Status.choices)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分派人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)

    class Meta:
        verbose_name = "案件经办"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.application_id} {self.assignee or '未分派'}"


class MaterialCheck(models.Model):
    """One reviewer's pass/fail on one material or one fact, in one review round (append-only:
    a later row for the same target in the same round supersedes the earlier one)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "材料"
        FACT = "fact", "申报数据"

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="checks",
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    status = models.CharField("审核环节", max_length=20, choices=Status.choices)
    round = models.PositiveIntegerField("审核轮次")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    target = models.CharField("对象", max_length=200)
    passed = models.BooleanField("通过")
    comment = models.TextField("意见", blank=True)
    declared_value = models.JSONField("申报值", null=True, blank=True)
    verified_value = models.JSONField("核实值", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    # A verified value above the declared one (or one that raises the award) is in force only
    # once another reviewer of the same step confirms it, and names the material it rests on.
    raises = models.BooleanField("上调核实值", default=False)
    evidence = models.CharField("上调依据材料", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)

    class Meta:
        verbose_name = "材料与数据审核"
        verbose_name_plural = verbose_name
        ordering = ["application", "round", "kind", "target", "-created_at", "-id"]
        indexes = [models.Index(fields=["application", "round"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(comment=""),
                name="materialcheck_failed_has_comment",
                violation_error_message="不通过的审核项须说明理由。",
            ),
            models.CheckConstraint(
                condition=Q(raises=False) | ~Q(evidence=""),
                name="materialcheck_raise_names_evidence",
                violation_error_message="上调核实值须注明依据的申报材料。",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | (~Q(confirmed_by=models.F("reviewer")) & Q(raises=True)),
                name="materialcheck_raise_confirmed_by_another",
                violation_error_message="上调核实值须由另一名审核人员复核确认。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} {'通过' if self.passed else '不通过'}"

    @property
    def raise_pending(self) -> bool:
        return self.raises and self.confirmed_at is None


class ConflictDeclaration(models.Model):
    """A reviewer's declared relationship with an enterprise (by credit code): keeps them away."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    relationship = models.CharField("关系说明", max_length=200)
    created_at = models.DateTimeField("申报时间", default=timezone.now)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "利害关系申报"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "credit_code"],
                condition=Q(withdrawn_at__isnull=True),
                name="conflict_one_open_per_reviewer_enterprise",
                violation_error_message="您已申报过与该企业的利害关系。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ↔ {self.credit_code}"


class ConflictOverride(models.Model):
    """A second reviewer allowed a conflicted reviewer to act on one case (logged as an event)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="conflict_overrides",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回避人", on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("理由")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "回避豁免"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="conflict_override_once_per_case"
            ),
            models.CheckConstraint(
                condition=~Q(reviewer=models.F("approved_by")),
                name="conflict_override_by_another_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.reviewer} ← {self.approved_by}"


class NoticeBatch(models.Model):
    """One public notice (公示) of approved cases, open ``opens_on`` to ``closes_on``."""

    title = models.CharField("公示标题", max_length=200)
    opens_on = models.DateField("公示开始")
    closes_on = models.DateField("公示截止")
    window_days = models.PositiveSmallIntegerField("公示期（工作日）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示批次"
        verbose_name_plural = verbose_name
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="notice_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class NoticeEntry(models.Model):
    """One case in a notice; an objection takes it out (``removed_at``), the rest go on."""

    batch = models.ForeignKey(
        NoticeBatch, verbose_name="公示批次", on_delete=models.PROTECT, related_name="entries"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="notice_entries",
    )
    amount_fen = models.BigIntegerField("公示金额（分）")
    removed_at = models.DateTimeField("撤出时间", null=True, blank=True)
    removed_reason = models.CharField("撤出原因", max_length=200, blank=True)
    determined_at = models.DateTimeField("确定时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示案件"
        verbose_name_plural = verbose_name
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(removed_at__isnull=True),
                name="notice_one_live_entry_per_case",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="notice_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.application_id}"


class Objection(models.Model):
    """A real-name objection filed during the notice window, under the objector's account and
    its verified enterprise. It leaves the case in the notice until a city reviewer triages
    it: accepted, the case leaves the notice for city review; dismissed (with the reason), the
    case stays."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核查"
        ACCEPTED = "accepted", "异议成立"
        DISMISSED = "dismissed", "异议不成立"

    entry = models.ForeignKey(
        NoticeEntry, verbose_name="公示案件", on_delete=models.PROTECT, related_name="objections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人账号",
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="提出人所属企业（已核验）",
        null=True,  # objections filed before identities were checked have none
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("联系人姓名", max_length=50)
    contact = models.CharField("联系电话", max_length=50)
    text = models.TextField("异议内容")
    created_at = models.DateTimeField("时间", default=timezone.now)
    status = models.CharField(
        "核查结果", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("核查时间", null=True, blank=True)
    decision_reason = models.TextField("核查意见", blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"],
                condition=Q(status="pending"),
                name="objection_one_pending_per_entry_and_account",
                violation_error_message="您对该案件的异议正在核查中，请勿重复提出。",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="objection_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.text[:20]}"


class DeadlineReminder(models.Model):
    """One reminder per case and day: the periodic task is idempotent through this row."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField("日期")
    overdue = models.BooleanField("已逾期")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["application", "day"], name="deadline_reminder_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.day}"
