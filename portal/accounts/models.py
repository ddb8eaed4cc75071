"""Users, their roles and the districts of the city (kept as data: the list changes)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils import timezone


class District(models.Model):
    """A district, county-level city, county or development zone of Zhengzhou."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "区"
        CITY = "city", "县级市"
        COUNTY = "county", "县"
        ZONE = "zone", "开发区"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "区县（开发区）"
        verbose_name_plural = verbose_name
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(DISTRICT_NAMES_KEY)


# every district's name by id, for the page header (``User.office_name``): a query per page of
# district staff before; cached per process like the other reference data (a rename shows in
# this process at once, in the others within the five minutes)
DISTRICT_NAMES_KEY = "accounts:district-names"
DISTRICT_NAMES_SECONDS = 300


def district_names() -> dict[int, str]:
    return cache.get_or_set(
        DISTRICT_NAMES_KEY,
        lambda: dict(District.objects.values_list("id", "name")),
        DISTRICT_NAMES_SECONDS,
    )


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", "申报企业"
    DISTRICT_REVIEWER = "district_reviewer", "区县审核员"
    CITY_REVIEWER = "city_reviewer", "市工信局审核员"
    FINANCE = "finance", "财政局经办人"
    LEADER = "leader", "领导"
    POLICY_ADMIN = "policy_admin", "政策管理员"
    SYS_ADMIN = "sys_admin", "系统管理员"


STAFF_ROLES = frozenset(
    {
        Role.DISTRICT_REVIEWER,
        Role.CITY_REVIEWER,
        Role.FINANCE,
        Role.LEADER,
        Role.POLICY_ADMIN,
        Role.SYS_ADMIN,
    }
)


class User(AbstractUser):
    """One person. Its role decides what it sees; ``district`` scopes district staff.

    A district reviewer always has a district. A finance officer with no district works for
    市财政局, with one for that district's 财政局. A leader with a district sees that district.
    """

    name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    district = models.ForeignKey(
        District,
        verbose_name="所属区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    mobile = models.CharField("手机号", max_length=20, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="district_reviewer") | Q(district__isnull=False),
                name="district_reviewer_has_district",
                violation_error_message="区县审核员必须指定所属区县。",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def password_expired(self, max_age_days: int | None) -> bool:
        if not max_age_days or self.password_changed_at is None:
            return False
        return timezone.now() - self.password_changed_at > dt.timedelta(days=max_age_days)

    @property
    def is_portal_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def office_name(self) -> str:
        """Where the person works, as shown in the page header."""
        if self.role == Role.FINANCE:
            return f"{self._district_name()}财政局" if self.district_id else "市财政局"
        if self.role == Role.DISTRICT_REVIEWER:
            return f"{self._district_name()}工信局" if self.district_id else ""
        if self.role in {Role.CITY_REVIEWER, Role.POLICY_ADMIN}:
            return "市工信局"
        if self.role == Role.LEADER:
            return self._district_name() if self.district_id else "市政府"
        return ""

    def _district_name(self) -> str:
        if User.district.is_cached(self):  # read with the user: no lookup
            return self.district.name
        name = district_names().get(self.district_id)
        return name if name is not None else self.district.name  # a district newer than the cache


class ApiToken(models.Model):
    """A key for API clients (system integrations), issued by its owner on the token page.

    Only a SHA-256 digest of the key is kept (the key is shown once); ``prefix`` (its first
    characters) names it in lists and in the audit log. Staff get one only from a session that
    passed the second factor (``verified``); every token expires; a revoked token stays listed
    so the audit records of its uses keep pointing at something.
    """

    user = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField("令牌前缀", max_length=12, db_index=True)
    digest = models.CharField("摘要", max_length=64, unique=True, editable=False)
    verified = models.BooleanField("签发时已通过二次验证", default=False)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def state_label(self) -> str:
        if self.revoked_at:
            return "已吊销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"

    @property
    def active(self) -> bool:
        return self.state_label == "有效"
