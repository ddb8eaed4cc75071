"""The dashboard's own summary projection: one fact row per case and additive buckets.

Both are derived data: ``dashboards.tasks.case_changed`` keeps them current case by case and
``rebuild_dashboard_summary`` recomputes them from the source tables (nightly, or after a bulk
load). Nothing else writes them and no other app reads them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Least

FAR = dt.date(9999, 12, 31)


def first_due_expression() -> Least:
    """A case's nearest deadline (review or payment); far in the future when it has none."""
    return Least(Coalesce("review_due_on", Value(FAR)), Coalesce("pay_due_on", Value(FAR)))


class WorkdayOrdinal(models.Model):
    """Working-day calendar as data, so working days are counted by the database.

    ``seq`` is the number of working days from the calendar's first day up to and including
    ``day``; working days after ``a`` up to and including ``b`` are ``seq(b) - seq(a)``
    (the same count as ``portal.core.workdays.workdays_between``). Rebuilt nightly, so an
    administrator's ``WorkdayOverride`` reaches old figures within a day.
    """

    day = models.DateField("日期", primary_key=True)
    seq = models.PositiveIntegerField("工作日序号")

    class Meta:
        verbose_name = "工作日序号"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.day} #{self.seq}"


class CaseFact(models.Model):
    """One row per case (drafts included, ``month`` null): what the dashboard needs of it."""

    application = models.OneToOneField(
        "applications.Application",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    clause = models.ForeignKey(
        "policies.Clause", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    status = models.CharField("状态", max_length=20)
    month = models.DateField("申报月份", null=True, help_text="提交（或系统推送）所在月的第一天")
    period_year = models.PositiveSmallIntegerField("申报年度", default=0)
    submitted_on = models.DateField("提交日期", null=True)
    estimated_fen = models.BigIntegerField("测算金额（分）", default=0)
    approved_fen = models.BigIntegerField("核定金额（分）", default=0)
    determined_fen = models.BigIntegerField("确定金额（分）", default=0)
    paid_fen = models.BigIntegerField("已拨付（分）", default=0)
    outstanding_fen = models.BigIntegerField("待拨付（分）", default=0)
    unmatched_fen = models.BigIntegerField("配套未到位（分）", default=0)
    review_due_on = models.DateField("审核期限", null=True)
    pay_due_on = models.DateField("最早未付应付日期", null=True)
    first_due_on = models.DateField("首期应付日期", null=True)
    determined_on = models.DateField("确定日期", null=True)
    paid_on = models.DateField("全部拨付日期", null=True)
    days_to_determine = models.IntegerField("提交至确定（工作日）", null=True)
    days_to_pay = models.IntegerField("确定至拨付（工作日）", null=True)

    class Meta:
        verbose_name = "案件事实"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["district", "month"], name="dash_fact_district_month"),
            models.Index(fields=["month", "policy"], name="dash_fact_month_policy"),
            models.Index(fields=["status", "month"], name="dash_fact_status_month"),
            models.Index(fields=["review_due_on"], name="dash_fact_review_due"),
            models.Index(fields=["pay_due_on"], name="dash_fact_pay_due"),
            # the case list: filter, then newest first (keyset on application_id)
            models.Index(
                fields=["district", "status", "-application"], name="dash_fact_list_district"
            ),
            models.Index(fields=["status", "-application"], name="dash_fact_list_status"),
            # the overview's red/amber list: latest first due date first
            models.Index(
                first_due_expression().desc(), F("application").desc(), name="dash_fact_first_due"
            ),
        ]

    def __str__(self) -> str:
        return f"案件 {self.application_id} {self.status}"

    @property
    def get_status_label(self) -> str:
        from applications.workflow import Status

        return Status(self.status).label if self.status in Status.values else self.status


BUCKET_KEY = ("policy_id", "clause_id", "district_id", "month", "period_year", "status")
BUCKET_SUMS = (
    "estimated_fen",
    "approved_fen",
    "determined_fen",
    "paid_fen",
    "outstanding_fen",
    "unmatched_fen",
)


class CaseBucket(models.Model):
    """Additive totals of the submitted cases per policy, clause, district, month, year, status."""

    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    clause = models.ForeignKey(
        "policies.Clause", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    month = models.DateField("申报月份")
    period_year = models.PositiveSmallIntegerField("申报年度", default=0)
    status = models.CharField("状态", max_length=20)
    n = models.IntegerField("案件数", default=0)
    estimated_fen = models.BigIntegerField(default=0)
    approved_fen = models.BigIntegerField(default=0)
    determined_fen = models.BigIntegerField(default=0)
    paid_fen = models.BigIntegerField(default=0)
    outstanding_fen = models.BigIntegerField(default=0)
    unmatched_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "案件汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "clause", "district", "month", "period_year", "status"],
                name="dash_bucket_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "district"], name="dash_bucket_month_district"),
            models.Index(fields=["district", "month"], name="dash_bucket_district_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status} {self.n}"


# Dimensions a rollup can keep; a dimension a grain drops holds its ``ROLLUP_ANY`` value.
ROLLUP_DIMS = ("policy_id", "clause_id", "district_id", "month", "period_year", "status")


class CaseRollup(models.Model):
    """``CaseBucket`` summed over the dimensions a grain drops: a few thousand rows per grain,
    so a breakdown aggregates in milliseconds instead of regrouping every bucket. Which grains
    exist and which one answers a query is ``portal.dashboards.rollups``; maintained with the
    buckets (same task, same rebuild)."""

    grain = models.CharField("粒度", max_length=8)
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    clause = models.ForeignKey(
        "policies.Clause", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    month = models.DateField("申报月份")
    period_year = models.PositiveSmallIntegerField("申报年度", default=0)
    status = models.CharField("状态", max_length=20)
    n = models.IntegerField("案件数", default=0)
    estimated_fen = models.BigIntegerField(default=0)
    approved_fen = models.BigIntegerField(default=0)
    determined_fen = models.BigIntegerField(default=0)
    paid_fen = models.BigIntegerField(default=0)
    outstanding_fen = models.BigIntegerField(default=0)
    unmatched_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "案件汇总（分维度）"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "policy", "clause", "district", "month", "period_year", "status"],
                name="dash_rollup_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["grain", "month"], name="dash_rollup_grain_month"),
            models.Index(fields=["grain", "district", "month"], name="dash_rollup_grain_district"),
            models.Index(fields=["n"], condition=models.Q(n=0), name="dash_rollup_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.month:%Y-%m} {self.status} {self.n}"
