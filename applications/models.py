"""The case file: one enterprise's claim under one clause for one period, its materials,
its append-only timeline, its correction lists and the messages it sends."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.workflow import CITY_DESK, CLAIMING_EXCLUDED, Action, Status, simple_label
from policies import engine
from policies.engine import periods
from portal.core.models import TimeStampedModel
from portal.core.money import from_fen


def award_period_of(code: str, period: str, subject: str = "") -> periods.AwardPeriod:
    """The period, subject and award key of a stored row (never refuses: see lenient_award)."""
    try:
        clause = engine.get_clause(code)
    except engine.EngineError:  # a clause the engine does not know: the period as stored
        return periods.AwardPeriod(period, "", f"{period}|")
    return periods.lenient_award(clause, period, subject)


def case_number(created_at, pk: int) -> str:
    """The case number quoted on the phone (``Application.number``) from the case's creation
    time and id, for lists that read rows, not models: e.g. HQ2023-000042."""
    return f"HQ{created_at.year}-{pk:06d}"


class Application(TimeStampedModel):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # the enterprise's district, kept on the case (set on save, moved with the enterprise by
    # enterprises.services): a district's queue and scope read one table with one index
    # instead of joining every case to its enterprise (bench/README.md, reviewers' queue)
    district = models.ForeignKey(
        "accounts.District",
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # application_district_queue_idx leads with it
    )
    clause = models.ForeignKey(
        "policies.Clause", verbose_name="政策条款", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(
        "申报期",
        max_length=10,
        help_text="按条款的兑现方式确定：年度 2023、季度 2023Q1 或半年 2023H1",
    )
    subject = models.CharField(
        "申报对象",
        max_length=100,
        blank=True,
        help_text="奖励针对的项目、产品、称号、活动或平台（由企业填写，审核人员核实）",
    )
    # what makes two cases of one clause the same award (policies.engine.periods.award_key):
    # "once|" for a one-off award, "2023|" for a yearly one, "|<subject>" per project...
    award_key = models.CharField("奖励标识", max_length=160, editable=False, default="")
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="与之重复的案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="同一奖励的在先案件（迁移既有数据时标记；核实申报对象后解除）",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    facts = models.JSONField("申报数据", default=dict, blank=True, encoder=DjangoJSONEncoder)
    calculation = models.ForeignKey(
        "policies.Calculation",
        verbose_name="最近测算",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    estimated_amount_fen = models.BigIntegerField("测算金额（分）", default=0)
    approved_amount_fen = models.BigIntegerField("核定金额（分）", null=True, blank=True)
    returned_from = models.CharField("退回环节", max_length=20, choices=Status.choices, blank=True)
    correction_due = models.DateField("补正期限", null=True, blank=True)
    due_on = models.DateField(
        "当前环节办理期限", null=True, blank=True, db_index=True, help_text="按工作日计算"
    )
    commitment_text = models.TextField("信用承诺内容", blank=True)
    commitment_signed_at = models.DateTimeField("承诺时间", null=True, blank=True)
    commitment_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承诺人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "申报案件"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            # the review queue (reviews.selectors.queue_scope): one status in due-date order,
            # with the enterprise for the district filter read from the index itself
            models.Index(
                fields=["status", "due_on", "id"],
                include=["enterprise_id"],
                name="application_queue_due_idx",
            ),
            # a district's queue: its cases in due-date order (cases without a deadline last),
            # the status read from the index to skip those of other desks
            models.Index(
                fields=["district", "due_on", "id"],
                include=["status"],
                name="application_district_queue_idx",
            ),
            # the city's queue: the cases that can be on its desk, in due-date order
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=CITY_DESK),
                name="application_city_desk_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_amount_fen__gte=0), name="application_estimate_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(approved_amount_fen__isnull=True) | Q(approved_amount_fen__gte=0),
                name="application_approved_gte_0",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "clause", "award_key"],
                condition=~Q(status__in=CLAIMING_EXCLUDED) & Q(duplicate_of__isnull=True),
                name="application_one_live_case_per_award",
                violation_error_message="该企业已就同一奖励提交过申报，不能重复申报。",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        if self.district_id is None and self.enterprise_id is not None:
            self.district_id = self.enterprise.district_id
        if not self.award_key and self.clause_id is not None:
            # rows written without the service (factories, imports): the key from what is there
            derived = award_period_of(self.clause.code, self.period, self.subject)
            self.period, self.subject, self.award_key = derived.period, derived.subject, derived.key
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise} {self.clause.code}"

    @property
    def number(self) -> str:
        """The case number quoted on the phone: year of filing and id, e.g. HQ2023-000042."""
        return case_number(self.created_at or timezone.now(), self.pk or 0)

    @property
    def period_label(self) -> str:
        return periods.period_label(self.period)

    @property
    def subject_label(self) -> str:
        """项目 / 产品 / 称号 / 活动 / 平台 for the clause, "" when it has no subject."""
        return periods.subject_label(engine.get_clause(self.clause.code))

    @property
    def estimated_amount(self) -> Decimal:
        return from_fen(self.estimated_amount_fen)

    @property
    def approved_amount(self) -> Decimal | None:
        return None if self.approved_amount_fen is None else from_fen(self.approved_amount_fen)

    @property
    def simple_status(self) -> str:
        return simple_label(self.status)


def material_upload_to(instance: Material, filename: str) -> str:
    """A generated name: the user's file name never reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"materials/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="案件", on_delete=models.PROTECT, related_name="materials"
    )
    item = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=material_upload_to, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    active = models.BooleanField("当前版本", default=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="被替换为",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = verbose_name
        ordering = ["application", "item", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item"],
                condition=Q(active=True),
                name="material_one_active_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}：{self.original_name}"


class ApplicationEvent(models.Model):
    """Append-only: the timeline, the notifications and the audit view read from these rows."""

    CREATED = "created"  # not a transition: the draft came into being
    MATERIAL = "material_uploaded"
    DRAFT_SAVED = "draft_saved"
    PROPOSED = "propose"  # 免申即享: the system created the case as a proposal

    application = models.ForeignKey(
        Application, verbose_name="案件", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("事项", max_length=30)
    level = models.CharField("层级", max_length=10, blank=True)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    comment = models.TextField("意见", blank=True)
    visible_to_enterprise = models.BooleanField("企业可见", default=True)
    data = models.JSONField("数据", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "案件记录"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action_label}"

    @property
    def action_label(self) -> str:
        extra = {
            self.CREATED: "创建草稿",
            self.MATERIAL: "上传材料",
            self.DRAFT_SAVED: "保存草稿",
            self.PROPOSED: "系统推送（免申即享）",
        }
        if self.action in extra:
            return extra[self.action]
        if isinstance(self.data, dict) and self.data.get("label"):
            return str(self.data["label"])  # events other apps record (claims, checks...)
        return Action(self.action).label if self.action in Action.values else self.action

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label if self.to_status else ""


class CorrectionItem(models.Model):
    """One point of a return (一次性告知): every problem is listed at once."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "材料"
        FACT = "fact", "申报数据"

    application = models.ForeignKey(
        Application, verbose_name="案件", on_delete=models.PROTECT, related_name="corrections"
    )
    event = models.ForeignKey(
        ApplicationEvent, verbose_name="退回记录", on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    target = models.CharField("对象", max_length=200, help_text="材料名称或申报数据项")
    message = models.TextField("补正要求")
    resolved_at = models.DateTimeField("补正时间", null=True, blank=True)
    resolution = models.TextField("补正说明", blank=True)

    class Meta:
        verbose_name = "补正事项"
        verbose_name_plural = verbose_name
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_label}"

    @property
    def target_label(self) -> str:
        """What the enterprise reads: the material's name or the fact's Chinese label."""
        return target_label(self.application.clause.code, self.kind, self.target)


class Notification(models.Model):
    """The message centre: one row per person and message; e-mail is sent from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        Application,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


def target_label(clause_code: str, kind: str, target: str) -> str:
    """A check's or correction's object in words: a material is named as it is, a fact (kind
    ``fact``) by its label, never by its code."""
    if kind != "fact":
        return target
    try:
        specs = engine.get_clause(clause_code).facts
    except engine.EngineError:
        return target
    return next((s.label for s in specs if s.name == target), target)


class ServiceRating(models.Model):
    """好差评 (国办发〔2019〕51号): the enterprise rates the service once the case has ended
    (已拨付（办结） or 不予支持). A 差评 (the two lowest levels) is followed up by the
    responsible office by a working-day deadline; the follow-up is kept on the same row."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, "非常满意"
        SATISFIED = 4, "满意"
        FAIR = 3, "基本满意"
        DISSATISFIED = 2, "不满意"
        VERY_DISSATISFIED = 1, "非常不满意"

    BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    application = models.OneToOneField(
        Application, verbose_name="案件", on_delete=models.PROTECT, related_name="rating"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField("评价", choices=Level.choices)
    comment = models.TextField("评价意见", blank=True)
    outcome = models.CharField("办理结果", max_length=20, choices=Status.choices)
    office_level = models.CharField("责任单位层级", max_length=10)
    office_district = models.ForeignKey(
        "accounts.District",
        verbose_name="责任区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_name = models.CharField("责任单位", max_length=60)
    created_at = models.DateTimeField("评价时间", default=timezone.now)
    follow_up_due = models.DateField("回访整改期限", null=True, blank=True)
    followed_up_at = models.DateTimeField("回访整改时间", null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访整改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_note = models.TextField("回访整改情况", blank=True)

    class Meta:
        verbose_name = "服务评价"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5), name="rating_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=3) | Q(follow_up_due__isnull=False),
                name="rating_bad_has_follow_up",
            ),
        ]
        indexes = [models.Index(fields=["office_level", "office_district", "followed_up_at"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_level_display()}"

    @property
    def bad(self) -> bool:
        return self.level in self.BAD_LEVELS

    @property
    def follow_up_open(self) -> bool:
        return self.bad and self.followed_up_at is None

    def follow_up_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.follow_up_open and self.follow_up_due is not None and self.follow_up_due < today
