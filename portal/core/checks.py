"""System checks of the portal's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

MINIMUM_AUDIT_RETENTION_DAYS = 180  # 等保 / 网络安全法 第二十一条: logs kept at least six months


def audit_retention_check(app_configs=None, **kwargs) -> list[Error]:
    days = getattr(settings, "PORTAL_AUDIT_RETENTION_DAYS", MINIMUM_AUDIT_RETENTION_DAYS)
    if (
        isinstance(days, int)
        and not isinstance(days, bool)
        and days >= MINIMUM_AUDIT_RETENTION_DAYS
    ):
        return []
    return [
        Error(
            f"PORTAL_AUDIT_RETENTION_DAYS = {days!r}：审计记录至少保存 "
            f"{MINIMUM_AUDIT_RETENTION_DAYS} 天（六个月）。",
            hint=f"设置为不小于 {MINIMUM_AUDIT_RETENTION_DAYS} 的整数（环境变量 PORTAL_AUDIT_RETENTION_DAYS）。",
            id="core.E001",
        )
    ]
