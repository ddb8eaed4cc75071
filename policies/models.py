"""The policy library: policies, their money-granting clauses, rule versions and calculations.

The formula of a clause lives in the award engine (``policies.engine``) under the clause's
contract code; its editable numbers (thresholds, amounts, caps) live here, one row per
version, so a changed rule never changes how an old calculation is explained.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Policy(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家"
        PROVINCIAL = "provincial", "省"
        CITY = "city", "市"
        COUNTY = "county", "区县"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_FORCE = "in_force", "有效"
        EXPIRED = "expired", "已失效"
        REPEALED = "repealed", "已废止"

    code = models.SlugField("政策编码", max_length=40, unique=True)
    doc_number = models.CharField("文号", max_length=60, unique=True)
    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("发文机关", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    issued_on = models.DateField("发布日期")
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    supersedes = models.CharField("废止/替代的文件", max_length=100, blank=True)
    interpreting_departments = models.JSONField("解释部门", default=list, blank=True)
    funding_split = models.JSONField("资金分担（市:区县）", null=True, blank=True)
    payout_targets = models.JSONField("兑付时限", default=list, blank=True)
    stacking_rule = models.TextField("叠加规则", blank=True)
    original_text = models.TextField("原文", blank=True)

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def status_on(self, day: dt.date) -> str:
        """The status on ``day``: repealed/draft as set; otherwise from the effective dates."""
        if self.status in (self.Status.REPEALED, self.Status.DRAFT):
            return self.status
        if day < self.effective_from or (self.effective_to and day > self.effective_to):
            return self.Status.EXPIRED
        return self.Status.IN_FORCE


class Clause(models.Model):
    class Category(models.TextChoices):
        AWARD = "奖励", "奖励"
        SUBSIDY = "补贴", "补贴"
        GRANT = "补助", "补助"
        INTEREST = "贴息", "贴息"
        VOUCHER = "服务券", "服务券"

    class Redemption(models.TextChoices):
        PROACTIVE = "免申即享", "免申即享"
        INSTANT = "即申即享", "即申即享"
        REVIEWED = "申报审核", "申报审核"

    class ReviewPath(models.TextChoices):
        DISTRICT_THEN_CITY = "district_then_city", "区县初审+市级复审"
        CITY_ONLY = "city_only", "市级审核"

    policy = models.ForeignKey(
        Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="clauses"
    )
    code = models.CharField("条款编码", max_length=40, unique=True)
    article = models.PositiveSmallIntegerField("条")
    title = models.CharField("标题", max_length=200)
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    redemption_mode = models.CharField("兑现方式", max_length=10, choices=Redemption.choices)
    responsible_department = models.CharField("责任部门", max_length=100, blank=True)
    review_path = models.CharField(
        "审核路径", max_length=20, choices=ReviewPath.choices, default=ReviewPath.DISTRICT_THEN_CITY
    )
    # 原申报时间 as the policy text gives it (written by load_policies); later periods are
    # ApplicationBatch rows, never a change to these two dates.
    application_opens = models.DateField("原申报开始（政策文件）", null=True, blank=True)
    application_closes = models.DateField("原申报截止（政策文件）", null=True, blank=True)
    payment_schedule = models.JSONField("拨付安排", default=list, blank=True)
    funding_split = models.JSONField("资金分担（覆盖政策规定）", null=True, blank=True)
    stacking_group = models.CharField("从高不重复分组", max_length=200, blank=True)
    materials = models.JSONField("申报材料", default=list, blank=True)
    guide = models.TextField("申兑指南", blank=True)
    original_text = models.TextField("条款原文", blank=True)

    class Meta:
        verbose_name = "政策条款"
        verbose_name_plural = verbose_name
        ordering = ["policy", "article"]

    def __str__(self) -> str:
        return f"{self.policy.doc_number} 第{self.article}条 {self.title}"

    def window_open_on(self, day: dt.date) -> bool:
        """Does the clause take applications on ``day``? Asks ``policies.windows`` (the one
        source for the pages, 为我推荐 and the application service)."""
        from policies.windows import clause_window

        return clause_window(self, day).is_open

    def window_on(self, day: dt.date | None = None):
        """Where the clause stands on ``day``: 正在申报 / 即将开始 / 已截止, and the window."""
        from policies.windows import clause_window

        return clause_window(self, day)

    @property
    def effective_funding_split(self) -> dict | None:
        return self.funding_split or self.policy.funding_split


class ApplicationBatch(models.Model):
    """申报批次: a dated period in which a clause takes applications, opened after (or besides)
    the window the policy text gives. ``is_demo`` marks the demo's own batch, said on every page."""

    clause = models.ForeignKey(
        Clause, verbose_name="条款", on_delete=models.CASCADE, related_name="batches"
    )
    name = models.CharField("批次名称", max_length=100)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = verbose_name
        ordering = ["clause", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "name"],
                name="unique_clause_batch_name",
                violation_error_message="该条款已有同名的申报批次。",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="batch_closes_after_opens",
                violation_error_message="申报批次的截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.code} {self.name}"


class ClauseRuleVersion(models.Model):
    """The rule of a clause from a date on: its editable numbers (``params``) and, for a clause
    declared as data, its whole definition (``definition``: facts, conditions, formula, caps,
    stacking, test cases; see ``policies.engine.definitions``). A version a calculation used is
    never changed (a database trigger refuses it): a change is a new row, and cases keep theirs."""

    clause = models.ForeignKey(
        Clause, verbose_name="条款", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    params = models.JSONField("参数")
    definition = models.JSONField(
        "条款定义",
        null=True,
        blank=True,
        help_text="以数据定义的条款（事实、条件、公式、上限、叠加规则、测试用例）；程序定义的条款为空",
    )
    effective_from = models.DateField("生效日期")
    note = models.TextField("修改说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "条款规则版本"
        verbose_name_plural = verbose_name
        ordering = ["clause", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "number"], name="unique_clause_version"),
        ]

    def __str__(self) -> str:
        return f"{self.clause.code} v{self.number}（{self.effective_from} 起）"


class Calculation(models.Model):
    """One run of the engine: the facts, the result and the rule version it used."""

    class Source(models.TextChoices):
        CALCULATOR = "calculator", "政策计算器"
        API = "api", "接口"
        APPLICATION = "application", "申报"
        REVIEW = "review", "审核"
        PROACTIVE = "proactive", "免申即享"

    clause = models.ForeignKey(
        Clause, verbose_name="条款", on_delete=models.PROTECT, related_name="calculations"
    )
    rule_version = models.ForeignKey(
        ClauseRuleVersion,
        verbose_name="规则版本",
        on_delete=models.PROTECT,
        related_name="calculations",
    )
    engine_version = models.CharField("引擎条款版本", max_length=20)
    facts = models.JSONField("输入数据")
    result = models.JSONField("计算结果")
    eligible = models.BooleanField("符合条件")
    amount_fen = models.BigIntegerField("金额（分）")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = "计算记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="calculation_amount_gte_0"),
        ]
        indexes = [models.Index(fields=["clause", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.clause.code} {self.result.get('amount')}"


class ClauseDraft(models.Model):
    """A clause being built in the browser editor (政策管理员): what was typed, kept as typed
    (``form``: the editor's fields, even when they do not validate yet, so nothing is lost).
    Publishing it writes the ``Clause`` and a ``ClauseRuleVersion`` through the import service;
    the draft stays, pointing at the version it became, and can be edited into a new version."""

    policy = models.ForeignKey(
        Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="drafts"
    )
    article = models.PositiveSmallIntegerField("条")
    form = models.JSONField("编辑内容", default=dict)
    published_version = models.ForeignKey(
        ClauseRuleVersion,
        verbose_name="已发布为",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后编辑人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后编辑时间", auto_now=True)
    # the first save; with the first publish, the time the clause took (the studio shows it)
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    built_in = models.DurationField("起草到发布用时", null=True, blank=True)

    class Meta:
        verbose_name = "条款草稿"
        verbose_name_plural = verbose_name
        ordering = ["policy", "article"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "article"], name="unique_draft_article"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} 第{self.article}条（草稿）"
