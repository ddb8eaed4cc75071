"""Who may do what in finance. Checks return ``(allowed, reason)`` so a page can say why."""

from __future__ import annotations

from finance.models import PayerLevel
from portal.accounts.models import Role

Check = tuple[bool, str]

# Read-only oversight of the bureaus' shares: leaders and administrators (a leader with a
# district: that district's cases and its bureau's batches, ``finance.selectors``).
READ_ALL_ROLES = frozenset({Role.SYS_ADMIN, Role.LEADER})


def payer_of(user) -> tuple[str, int | None] | None:
    """The treasury a finance officer works for: (level, district id), or None."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.FINANCE:
        return None
    if user.district_id:
        return PayerLevel.DISTRICT, user.district_id
    return PayerLevel.CITY, None


def can_operate_payments(user) -> Check:
    if payer_of(user) is None:
        return False, "只有财政局经办人可以组批、登记支付结果。"
    if not user.is_active:
        return False, "账号已停用。"
    return True, ""


def can_manage_clawbacks(user) -> Check:
    if getattr(user, "is_authenticated", False) and user.role == Role.SYS_ADMIN:
        return True, ""
    return False, "只有系统管理员可以发起资金追回、登记退回款。"


def can_confirm_milestone(user) -> Check:
    """The city level confirms a milestone (项目完成、验收): city reviewers or 市财政局."""
    if not getattr(user, "is_authenticated", False):
        return False, "请先登录。"
    if user.role in (Role.CITY_REVIEWER, Role.SYS_ADMIN):
        return True, ""
    if user.role == Role.FINANCE and not user.district_id:
        return True, ""
    return False, "只有市工信局审核员或市财政局可以确认分期拨付的里程碑。"
