"""Who may read the dashboards, and which district they are held to. Checks say why."""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.models import Role

# Oversight roles that read the whole city unless their account names a district.
VIEW_ROLES = frozenset(
    {
        Role.LEADER,
        Role.CITY_REVIEWER,
        Role.DISTRICT_REVIEWER,
        Role.FINANCE,
        Role.POLICY_ADMIN,
        Role.SYS_ADMIN,
    }
)
# Roles whose account's district limits what they see (a city-level account has none).
DISTRICT_HELD_ROLES = frozenset({Role.LEADER, Role.DISTRICT_REVIEWER, Role.FINANCE})


@dataclass(frozen=True)
class Viewer:
    allowed: bool
    reason: str
    district_id: int | None = None  # None: the whole city

    @property
    def citywide(self) -> bool:
        return self.district_id is None


def dashboard_viewer(user) -> Viewer:
    """May ``user`` read the dashboards, and of which district (``None``: all)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Viewer(False, "请先登录。")
    if user.role not in VIEW_ROLES:
        return Viewer(False, "领导驾驶舱仅供领导和政府工作人员查看。")
    if user.role in DISTRICT_HELD_ROLES and user.district_id:
        return Viewer(True, "", user.district_id)
    return Viewer(True, "")
