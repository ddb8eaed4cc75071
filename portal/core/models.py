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
