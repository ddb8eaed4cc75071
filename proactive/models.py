"""免申即享: government figures staged by credit code, matching runs and their chunks, outreach.

A run evaluates every enterprise with data against the chosen 免申即享 clauses for one period
through the award engine. It is split into chunks (~1,000 enterprises) processed by Celery
workers; a chunk commits its proposals and its own ``done`` status in one transaction, so a
worker killed mid-chunk loses nothing and a chunk processed twice creates nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.core.money import from_fen


class GovImport(models.Model):
    """One department file that was imported (files with errors are refused, not recorded)."""

    source = models.CharField("数据来源", max_length=20)
    department = models.CharField("提供部门", max_length=100)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件SHA-256", max_length=64, unique=True)
    rows_read = models.PositiveIntegerField("读取行数")
    rows_imported = models.PositiveIntegerField("导入行数")
    registered = models.PositiveIntegerField("已注册企业数")
    unregistered = models.PositiveIntegerField("未注册企业数")
    indicators_written = models.PositiveIntegerField("写入企业指标数", default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门数据导入"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.department} {self.file_name}"


class GovImportJob(models.Model):
    """A large department file imported in the background: its progress and its report.

    The file is kept (private storage, generated name) until the task has read it; the
    report holds what the synchronous import page shows (rows, errors, unregistered).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已导入"
        REJECTED = "rejected", "有误，未导入"
        FAILED = "failed", "导入出错"

    source = models.CharField("数据来源", max_length=20)
    file_name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to="gov_imports/%Y/%m/", blank=True)
    size = models.PositiveIntegerField("文件大小（字节）")
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.QUEUED)
    rows_read = models.PositiveIntegerField("已读取行数", default=0)
    report = models.JSONField("导入报告", default=dict, blank=True)
    batch = models.ForeignKey(
        GovImport, verbose_name="导入记录", on_delete=models.PROTECT, null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "部门数据后台导入"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class GovRecord(models.Model):
    """A department's figure (or list membership) for a credit code, registered or not.

    ``item`` is an indicator name (``revenue``...) for figures and an engine fact name
    (``chain_leader``...) for list memberships (``value`` = 1). Figures in base units (fen, kWh).
    """

    class Kind(models.TextChoices):
        FIGURE = "figure", "指标"
        FLAG = "flag", "名单"

    batch = models.ForeignKey(GovImport, on_delete=models.PROTECT, related_name="records")
    source = models.CharField("数据来源", max_length=20)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    name = models.CharField("企业名称", max_length=100)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    item = models.CharField("指标/名单", max_length=40)
    period = models.CharField("期间", max_length=7)
    value = models.BigIntegerField("数值")

    class Meta:
        verbose_name = "部门数据"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["source", "credit_code", "item", "period"], name="govrecord_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="govrecord_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_code} {self.item} {self.period}"


class MatchRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"

    clauses = models.ManyToManyField("policies.Clause", verbose_name="条款", related_name="+")
    period = models.CharField("兑现期", max_length=10)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    chunk_size = models.PositiveIntegerField("每批企业数", default=1000)
    chunks_total = models.PositiveIntegerField("批次数", default=0)
    enterprises_total = models.PositiveIntegerField("企业数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "免申即享比对"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"比对#{self.pk} {self.period}"


class MatchChunk(models.Model):
    """~1,000 enterprises (or unregistered credit codes) of a run; totals are this chunk's."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", "已注册企业"
        OUTREACH = "outreach", "未注册企业"

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        DONE = "done", "已完成"

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("序号")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    keys = models.JSONField("企业ID或信用代码")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("处理次数", default=0)
    evaluated = models.PositiveIntegerField("测算次数", default=0)
    proposed = models.PositiveIntegerField("新生成待确认", default=0)
    skipped = models.PositiveIntegerField("已有案件跳过", default=0)
    amount_fen = models.BigIntegerField("新生成金额（分）", default=0)
    outreach = models.PositiveIntegerField("未注册符合条件", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "比对批次"
        verbose_name_plural = verbose_name
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="matchchunk_unique_number"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="matchchunk_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.run} 批次{self.number}"


class OutreachCandidate(models.Model):
    """An unregistered enterprise that would qualify: a lead for the 工信局 to call."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="outreach")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("企业名称", max_length=100)
    clause = models.ForeignKey("policies.Clause", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField("测算金额（分）")
    facts = models.JSONField("数据")

    class Meta:
        verbose_name = "未注册企业线索"
        verbose_name_plural = verbose_name
        ordering = ["run", "credit_code", "clause"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "credit_code", "clause"], name="outreach_unique"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="outreach_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.clause_id}"

    @property
    def amount(self):
        return from_fen(self.amount_fen)
