"""Conflicts of interest: a reviewer declares a relationship; a second reviewer may allow one case."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from applications.models import Application
from applications.selectors import acting_level
from applications.services import application_event_record
from portal.accounts.models import Role
from portal.core.audit import audit_append
from portal.core.errors import DomainError, PermissionRefused
from reviews import selectors
from reviews.models import ConflictDeclaration, ConflictOverride

REVIEWER_ROLES = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)


@transaction.atomic
def conflict_declare(*, user, credit_code: str, relationship: str) -> ConflictDeclaration:
    if user.role not in REVIEWER_ROLES:
        raise PermissionRefused("只有审核人员需要申报利害关系。")
    code = (credit_code or "").strip().upper()
    relationship = (relationship or "").strip()
    if len(code) != 18:
        raise DomainError("请填写18位统一社会信用代码。", errors={"credit_code": "代码应为18位。"})
    if not relationship:
        raise DomainError("请说明与该企业的关系。", errors={"relationship": "请说明关系。"})
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                reviewer=user, credit_code=code, relationship=relationship
            )
    except IntegrityError as exc:
        raise DomainError("您已申报过与该企业的利害关系。") from exc
    audit_append(
        kind="reviews.conflict_declared",
        actor=user.get_username(),
        object_ref=f"reviews.ConflictDeclaration:{declaration.pk}",
        object_id=declaration.pk,
        data={"credit_code": code, "relationship": relationship},
    )
    return declaration


@transaction.atomic
def conflict_override_approve(
    *, application: Application, reviewer, approver, reason: str
) -> ConflictOverride:
    """``approver`` (another reviewer of the same level and scope, not conflicted) lets
    ``reviewer`` act on this one case; logged on the case's timeline."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("批准回避豁免须说明理由。", errors={"reason": "请说明理由。"})
    if approver.pk == reviewer.pk:
        raise PermissionRefused("回避豁免须由另一名审核人员批准，不能自行批准。")
    level = selectors.current_level(application)
    if not level or acting_level(approver, application) != level:
        raise PermissionRefused("只有当前环节的其他审核人员可以批准回避豁免。")
    if acting_level(reviewer, application) != level:
        raise DomainError("被豁免人不是当前环节的审核人员。")
    if selectors.conflict_reason(approver, application):
        raise PermissionRefused("您本人也须回避该企业的案件，不能批准豁免。")
    if not selectors.conflict_reason(reviewer, application):
        raise DomainError(f"{reviewer} 无须回避该案件。")
    override = ConflictOverride.objects.create(
        application=application, reviewer=reviewer, approved_by=approver, reason=reason
    )
    application_event_record(
        application=application,
        user=approver,
        action="conflict_override",
        label="批准回避豁免",
        level=level,
        comment=f"准许 {reviewer} 办理本案：{reason}",
        data={"reviewer": reviewer.pk},
    )
    return override
