"""The dashboard's own summary projection: one fact row per case and additive buckets.

Both are derived data: the case and payment events keep them current (``dashboards.subscribers``:
``case_changed`` per case, ``cases_changed`` per bulk write) and
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
            # the overview's red/amber list: latest first due date first (city-wide, and within
            # a district: a district's rows are a few percent of the first index)
            models.Index(
                first_due_expression().desc(), F("application").desc(), name="dash_fact_first_due"
            ),
            models.Index(
                F("district"),
                first_due_expression().desc(),
                F("application").desc(),
                name="dash_fact_district_first_due",
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
    exist and which one answers a query is ``dashboards.rollups``; maintained with the
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
            # the case list's count: a district and a stage, all months
            models.Index(
                fields=["grain", "district", "status"], name="dash_rollup_grain_dist_status"
            ),
            models.Index(fields=["n"], condition=models.Q(n=0), name="dash_rollup_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.month:%Y-%m} {self.status} {self.n}"


# --- what is not additive: medians, date-relative counts, distinct enterprises ----------

TALLY_DIMS = ("policy_id", "clause_id", "district_id", "month", "status")
NO_DAY = dt.date(1970, 1, 1)  # ``CaseTally.day`` of a measure that counts days, not dates


class CaseTally(models.Model):
    """How many filed cases have each value of a measure (days to determine, a deadline's
    date, ...), per grain: histograms the overview reads its medians and deadline counts from
    instead of scanning the facts. Which measures and grains exist, and how they are kept equal
    to ``CaseFact``, is ``dashboards.tallies``. Dimension columns are plain integers:
    nothing joins them and foreign keys would add an index each."""

    grain = models.CharField("粒度", max_length=8)
    policy_id = models.BigIntegerField("政策")
    clause_id = models.BigIntegerField("条款")
    district_id = models.BigIntegerField("区县")
    month = models.DateField("申报月份")
    status = models.CharField("状态", max_length=20)
    measure = models.CharField("指标", max_length=12)
    days = models.IntegerField("天数", default=0)
    day = models.DateField("日期", default=NO_DAY)
    n = models.IntegerField("案件数", default=0)

    class Meta:
        verbose_name = "案件计数（按取值）"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain", "policy_id", "clause_id", "district_id", "month", "status",
                    "measure", "days", "day",
                ],
                name="dash_tally_unique_key",
            ),
        ]  # fmt: skip
        indexes = [
            # a query names every dimension of its grain (those it drops by their ANY value)
            models.Index(
                fields=["grain", "district_id", "policy_id", "measure", "month"],
                name="dash_tally_lookup",
            ),
            models.Index(fields=["n"], condition=models.Q(n=0), name="dash_tally_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.measure} {self.days or self.day} {self.n}"


class FiledEnterprise(models.Model):
    """An enterprise's filed cases, city-wide (grain ``city``, district 0) and per district. The
    row is also the lock that serializes updates of the enterprise's ``EnterpriseMonth`` pairs
    (``dashboards.reach``)."""

    grain = models.CharField("粒度", max_length=8)
    district_id = models.BigIntegerField("区县")
    enterprise_id = models.BigIntegerField("企业")
    n = models.IntegerField("已申报案件数", default=0)

    class Meta:
        verbose_name = "申报企业"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "district_id", "enterprise_id"], name="dash_filed_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.district_id} 企业 {self.enterprise_id}: {self.n}"


class EnterpriseMonth(models.Model):
    """Distinct enterprises over any month range, from a few hundred rows per district.

    For each enterprise and each month in which it filed a case, one count under (that month,
    the enterprise's previous such month; ``NO_DAY`` for its first). An enterprise filed in
    ``[a, b]`` exactly when one of its months lies in ``[a, b]`` with the previous one before
    ``a``: the first of its months in the range. So the enterprises of ``[a, b]`` are the sum of
    ``n`` over ``a <= month <= b`` and ``prev_month < a``, each enterprise counted once.
    Grain ``city`` (district 0) counts over the whole city, ``district`` within each district.
    """

    grain = models.CharField("粒度", max_length=8)
    district_id = models.BigIntegerField("区县")
    month = models.DateField("申报月份")
    prev_month = models.DateField("上一申报月份")
    n = models.IntegerField("企业数", default=0)

    class Meta:
        verbose_name = "申报企业（按月）"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "district_id", "month", "prev_month"],
                name="dash_reach_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.district_id} {self.month:%Y-%m} ← {self.prev_month} {self.n}"
