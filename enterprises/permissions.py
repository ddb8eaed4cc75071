"""Who may do what to an enterprise. Each check returns ``(allowed, reason)`` so pages can say why.

Verification is a three-state workflow kept as data in ``enterprises.workflow``. A district
reviewer acts only on enterprises of its own district; an enterprise acts only on itself.
"""

from __future__ import annotations

from enterprises import workflow
from enterprises.models import Enterprise, EnterpriseMember
from portal.accounts.models import Role

S = Enterprise.Status

# (from, to) -> roles allowed to move an enterprise along that edge (enterprises.workflow)
TRANSITIONS = workflow.TRANSITIONS

DEPARTMENT_DATA_ROLES = frozenset({Role.POLICY_ADMIN, Role.SYS_ADMIN})
CREDIT_BLOCK_ROLES = frozenset({Role.SYS_ADMIN, Role.POLICY_ADMIN})

Check = tuple[bool, str]


def _membership(user, enterprise: Enterprise) -> EnterpriseMember | None:
    if not user.is_authenticated or user.role != Role.ENTERPRISE:
        return None
    member = getattr(user, "enterprise_membership", None)
    return member if member is not None and member.enterprise_id == enterprise.pk else None


def is_member(user, enterprise: Enterprise) -> bool:
    return _membership(user, enterprise) is not None


def is_primary_member(user, enterprise: Enterprise) -> bool:
    member = _membership(user, enterprise)
    return member is not None and member.is_primary


def transition_check(user, enterprise: Enterprise, to_status: str) -> Check:
    """May ``user`` move ``enterprise`` from its current status to ``to_status``?"""
    current = enterprise.verification_status
    roles = TRANSITIONS.get((current, to_status))
    if roles is None:
        return False, f"企业当前状态为“{S(current).label}”，不能改为“{S(to_status).label}”。"
    if user.role not in roles:
        if Role.DISTRICT_REVIEWER in roles:
            return False, "只有企业所在区县的工信局审核员可以核验企业。"
        return False, "只有本企业的用户可以重新提交核验。"
    if user.role == Role.DISTRICT_REVIEWER and user.district_id != enterprise.district_id:
        return False, f"该企业属于{enterprise.district.name}，只能由该区县工信局核验。"
    if user.role == Role.ENTERPRISE and not is_member(user, enterprise):
        return False, "只有本企业的用户可以重新提交核验。"
    return True, ""


def can_edit_profile(user, enterprise: Enterprise) -> Check:
    if is_member(user, enterprise):
        return True, ""
    return False, "企业信息只能由本企业的用户维护。"


def can_edit_bank(user, enterprise: Enterprise) -> Check:
    if is_primary_member(user, enterprise):
        return True, ""
    return False, "银行账户只能由企业主账号（注册企业的账号）修改。"


def can_invite(user, enterprise: Enterprise) -> Check:
    if is_primary_member(user, enterprise):
        return True, ""
    return False, "只有企业主账号（注册企业的账号）可以添加企业用户。"


def can_report_indicators(user, enterprise: Enterprise) -> Check:
    if is_member(user, enterprise):
        return True, ""
    return False, "企业自报指标只能由本企业的用户填报。"


def can_import_department_data(user) -> Check:
    if user.is_authenticated and user.role in DEPARTMENT_DATA_ROLES:
        return True, ""
    return False, "只有政策管理员或系统管理员可以导入政府部门提供的数据。"


def can_set_credit_block(user) -> Check:
    if user.is_authenticated and user.role in CREDIT_BLOCK_ROLES:
        return True, ""
    return False, "只有系统管理员或政策管理员可以设置或解除限制申报。"
