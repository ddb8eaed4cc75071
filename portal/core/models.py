"""Shared kernel models: base classes and the worker heartbeat."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """Written by a Celery task: proves a worker (or eager mode) ran and reached the database."""

    note = models.CharField("说明", max_length=200)
    worker = models.CharField("执行者", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "后台任务心跳"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.note}"


class WorkdayOverride(models.Model):
    """An administrator's correction to the official calendar (a year the library lacks, a local
    arrangement): this date is, or is not, a working day."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = verbose_name
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_workday else '休息日'}"


class OutboxTask(models.Model):
    """A task to send to Celery, saved in the same transaction as the change that caused it.

    Sent right after commit; when the broker is down it stays unsent and the flush job (or
    ``manage.py flush_outbox``) sends it once the broker is back. Tasks are idempotent, so a
    second delivery after a crash between sending and marking changes nothing.
    """

    task = models.CharField("任务", max_length=200)
    args = models.JSONField("参数", default=list)
    kwargs = models.JSONField("关键字参数", default=dict)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待发送任务"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class AuditRecord(models.Model):
    """One entry of the audit log: a copy of every state-change event and every login, chained
    by hash (each record's hash covers the previous one's), so an edit or a gap is detectable
    by ``manage.py verify_audit_chain``. On PostgreSQL a trigger refuses UPDATE and DELETE."""

    seq = models.BigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=150, blank=True)
    kind = models.CharField("类型", max_length=60, db_index=True)
    object_ref = models.CharField("对象", max_length=120, blank=True)
    object_id = models.BigIntegerField("对象编号", null=True, blank=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    data = models.JSONField("数据", default=dict)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = verbose_name
        ordering = ["seq"]
        constraints = [
            # an event row is copied once, whoever copies it
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="audit_one_record_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.object_ref}"
