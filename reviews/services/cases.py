"""A reviewer's work on one case: claim, assign, check, return, approve, reject."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from applications.models import Application
from applications.selectors import access_application, acting_level, duplicate_of
from applications.services import (
    application_event_record,
    application_return_for_correction,
    application_transition,
    award_period_derive,
)
from applications.workflow import Action, Level, Status
from policies import engine
from portal.core.errors import DomainError, PermissionRefused
from portal.core.money import MoneyError, format_yuan, parse_yuan, round_fen, to_fen
from reviews import selectors
from reviews.ceiling import Ceiling, review_ceiling
from reviews.models import CaseReview, MaterialCheck

REDUCTION_REASONS: dict[str, str] = {
    "incomplete": "材料不全",
    "partial_investment": "部分投资不予认定",
    "budget": "超出预算",
    "other": "其他",
}
APPROVE_ACTION = {Level.DISTRICT: Action.DISTRICT_APPROVE, Level.CITY: Action.CITY_APPROVE}


def _acting(user, application: Application) -> str:
    """The level ``user`` acts at on the case's current step; refuses with the reason."""
    permission = selectors.review_permission(user, application)
    if not permission.allowed:
        raise PermissionRefused(permission.reason)
    return selectors.current_level(application)


# --- the subject of the award ------------------------------------------------------------


@transaction.atomic
def review_subject_verify(*, application: Application, user, subject: str, comment: str = ""):
    """The reviewer confirms or corrects what the award is for (the project, product, title,
    event or platform the enterprise named). The award key follows; a subject that another
    live case of the enterprise already claims under the clause is refused, and a case flagged
    as a duplicate is released once its subject makes it a different award."""
    level = _acting(user, application)
    locked = Application.objects.select_for_update().select_related("clause").get(pk=application.pk)
    if locked.status not in selectors.REVIEW_STATUSES:
        raise DomainError(f"案件当前状态为“{locked.get_status_display()}”，不能核实申报对象。")
    derived = award_period_derive(clause=locked.clause, period=locked.period, subject=subject)
    if not locked.subject_label:
        raise DomainError("该条款不按项目、产品、称号、活动或平台奖励，无需核实申报对象。")
    probe = Application(
        pk=locked.pk,
        enterprise_id=locked.enterprise_id,
        clause_id=locked.clause_id,
        award_key=derived.key,
    )
    other = duplicate_of(probe)
    if other is not None and other.duplicate_of_id != locked.pk:
        message = f"与案件 {other.number} 为同一奖励（{locked.subject_label}“{other.subject}”），不能更正为该申报对象。"
        raise DomainError(message, errors={"subject": message})
    before = (locked.subject, locked.duplicate_of_id)
    locked.subject, locked.award_key, locked.duplicate_of = derived.subject, derived.key, None
    locked.save(update_fields=["subject", "award_key", "duplicate_of", "updated_at"])
    application_event_record(
        application=locked,
        user=user,
        action="subject_verified",
        label=f"核实申报{locked.subject_label}",
        level=level,
        comment=comment.strip() or f"{before[0] or '（未填写）'} → {locked.subject}",
        data={"before": before[0], "after": locked.subject, "released_duplicate_of": before[1]},
    )
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if k != "_state"})
    return locked


# --- claim and assignment ---------------------------------------------------------------


def _hold(application: Application, *, assignee, by, level: str) -> CaseReview:
    review, _ = CaseReview.objects.select_for_update().get_or_create(
        application=application,
        defaults={"status": application.status, "level": level},
    )
    review.status, review.level = application.status, level
    review.assignee, review.assigned_by, review.claimed_at = assignee, by, timezone.now()
    review.save()
    return review


@transaction.atomic
def review_claim(*, application: Application, user) -> CaseReview:
    level = _acting(user, application)
    current = selectors.assignee_of(application)
    if current is not None and current.pk != user.pk:
        raise DomainError(f"该案件已由 {current} 认领；如需调整，请使用分派。")
    review = _hold(application, assignee=user, by=user, level=level)
    application_event_record(
        application=application, user=user, action="claimed", label="认领", level=level
    )
    return review


@transaction.atomic
def review_assign(*, application: Application, user, assignee) -> CaseReview:
    """Give the case to a named reviewer of the right level and scope (not conflicted)."""
    level = _acting(user, application)
    if not assignee.is_active or acting_level(assignee, application) != level:
        raise DomainError(f"{assignee} 不是该案件当前环节的审核人员，不能分派。")
    reason = selectors.conflict_reason(assignee, application)
    if reason:
        raise DomainError(f"{assignee} 须回避该企业的案件，不能分派。")
    review = _hold(application, assignee=assignee, by=user, level=level)
    application_event_record(
        application=application,
        user=user,
        action="assigned",
        label="分派",
        level=level,
        comment=f"分派给 {assignee}",
        data={"assignee": assignee.pk},
    )
    return review


@transaction.atomic
def review_assign_batch(*, application_ids: Iterable[object], user, assignee) -> int:
    """All or nothing: one case the user may not assign refuses the whole batch."""
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise DomainError("请选择要分派的案件。")
    for pk in ids:
        review_assign(application=access_application(user, pk), user=user, assignee=assignee)
    return len(ids)


# --- material and fact checks ----------------------------------------------------------


def _check_rows(application: Application, checks, *, user, level: str) -> list[MaterialCheck]:
    fact_names = {s.name for s in engine.get_clause(application.clause.code).facts}
    round_ = selectors.review_round(application)
    rows = []
    for raw in checks:
        kind, target = raw.get("kind", ""), (raw.get("target") or "").strip()
        known = application.clause.materials if kind == MaterialCheck.Kind.MATERIAL else fact_names
        if kind not in MaterialCheck.Kind.values or target not in (known or ()):
            raise DomainError(
                f"“{target}”不是该条款的申报材料或申报数据项。", errors={"checks": target}
            )
        passed, comment = bool(raw.get("passed")), (raw.get("comment") or "").strip()
        if not passed and not comment:
            message = f"“{target}”审核不通过，须写明理由（将告知企业）。"
            raise DomainError(message, errors={"checks": message})
        verified = raw.get("verified_value")
        verified = None if verified in (None, "") or kind != MaterialCheck.Kind.FACT else verified
        rows.append(
            MaterialCheck(
                application=application,
                level=level,
                status=application.status,
                round=round_,
                kind=kind,
                target=target,
                passed=passed,
                comment=comment,
                declared_value=application.facts.get(target) if kind == "fact" else None,
                verified_value=verified,
                reviewer=user,
            )
        )
    return rows


@transaction.atomic
def review_checks_record(
    *, application: Application, user, checks: Iterable[Mapping[str, object]]
) -> list[MaterialCheck]:
    """Record pass/fail per material and fact; a fact may be corrected (both values kept)."""
    level = _acting(user, application)
    if application.status not in selectors.REVIEW_STATUSES:
        raise DomainError(f"案件当前状态为“{application.get_status_display()}”，不能审核材料。")
    rows = _check_rows(application, list(checks), user=user, level=level)
    if not rows:
        raise DomainError("请至少审核一项材料或申报数据。")
    MaterialCheck.objects.bulk_create(rows)
    _, corrections = selectors.verified_facts(application)
    if corrections:
        facts = {**application.facts, **{k: v["verified"] for k, v in corrections.items()}}
        try:
            engine.get_clause(application.clause.code).calculate(facts, None)
        except engine.EngineError as exc:
            raise DomainError("核实后的申报数据有误：" + "；".join(exc.errors.values())) from exc
    failed = [r.target for r in rows if not r.passed]
    application_event_record(
        application=application,
        user=user,
        action="checks_recorded",
        label="材料审核",
        level=level,
        comment=("不通过：" + "、".join(failed)) if failed else "审核项均通过",
        data={"checks": len(rows), "failed": failed},
    )
    return rows


# --- decisions -------------------------------------------------------------------------


@transaction.atomic
def review_return(
    *, application: Application, user, comment: str = "", due_days: int | None = None
) -> Application:
    """Return with every failed check of this round as one correction item (一次性告知)."""
    _acting(user, application)
    failed = [c for c in selectors.current_checks(application).values() if not c.passed]
    if not failed:
        raise DomainError(
            "退回补正须至少有一项审核不通过的材料或申报数据；请先在材料审核中标记不通过的项目。"
        )
    items = [{"kind": c.kind, "target": c.target, "message": c.comment} for c in failed]
    return application_return_for_correction(
        application=application, user=user, items=items, due_days=due_days, comment=comment
    )


@transaction.atomic
def review_reject(*, application: Application, user, reason: str) -> Application:
    _acting(user, application)
    if not (reason or "").strip():
        message = "不予支持须写明企业能看懂的理由。"
        raise DomainError(message, errors={"comment": message})
    application_transition(application=application, user=user, action=Action.REJECT, comment=reason)
    return application


def _parse_amount(amount: object, ceiling: Decimal) -> Decimal:
    if amount in (None, ""):
        return ceiling
    try:
        return round_fen(parse_yuan(amount))
    except MoneyError as exc:
        raise DomainError(f"核定金额{exc}。", errors={"amount": str(exc)}) from exc


def _reduction(amount: Decimal, ceiling: Decimal, reason_code: str, reason_text: str) -> dict:
    if amount > ceiling:
        message = (
            f"核定金额 {format_yuan(amount)} 元超过按核实数据测算的上限 "
            f"{format_yuan(ceiling)} 元，不能核定。"
        )
        raise DomainError(message, errors={"amount": message})
    if amount == ceiling:
        return {}
    if reason_code not in REDUCTION_REASONS:
        message = "核定金额低于测算上限，须选择核减原因。"
        raise DomainError(message, errors={"reason_code": message})
    if reason_code == "other" and not (reason_text or "").strip():
        message = "核减原因选择“其他”时须写明具体原因。"
        raise DomainError(message, errors={"reason_text": message})
    return {
        "code": reason_code,
        "label": REDUCTION_REASONS[reason_code],
        "text": (reason_text or "").strip(),
        "reduced_by": format_yuan(ceiling - amount),
    }


def budget_check(application: Application, amount: Decimal) -> tuple[bool, str]:
    """``PORTAL_BUDGET_CHECK``: an import string to ``f(*, application, amount) -> (ok, reason)``
    (finance provides it; reviews never imports finance). Unset: no budget check."""
    path = getattr(settings, "PORTAL_BUDGET_CHECK", "")
    if not path:
        return True, ""
    return import_string(path)(application=application, amount=amount)


def approval_ceiling(application: Application, *, level: str, user=None, store=False) -> Ceiling:
    try:
        return review_ceiling(application, level=level, user=user, store=store)
    except engine.EngineError as exc:
        raise DomainError("申报数据有误，无法测算：" + "；".join(exc.errors.values())) from exc


@transaction.atomic
def review_approve(
    *,
    application: Application,
    user,
    amount: object = None,
    reason_code: str = "",
    reason_text: str = "",
    comment: str = "",
) -> Application:
    """Approve at the current level for at most the engine's figure on the verified facts (and,
    at city level, after the cross-case rules); less only with a coded reason."""
    level = _acting(user, application)
    if application.status not in selectors.REVIEW_STATUSES:
        raise DomainError(f"案件当前状态为“{application.get_status_display()}”，不能审核通过。")
    enterprise = application.enterprise
    today = timezone.localdate()
    if enterprise.credit_blocked_on(today):
        raise DomainError(
            f"{enterprise.name}处于限制申报期（至 {enterprise.credit_blocked_until:%Y年%m月%d日}，"
            f"原因：{enterprise.credit_block_reason}），不能审核通过；请依规不予支持。"
        )
    if application.duplicate_of_id:
        holder = application.duplicate_of
        raise DomainError(
            f"本案件与在先案件 {holder.number} 为同一奖励，已标记为重复申报，不能审核通过；"
            "请核实申报对象（不是同一奖励的予以更正）或不予支持。"
        )
    failed = [c.target for c in selectors.current_checks(application).values() if not c.passed]
    if failed:
        raise DomainError(
            "本轮审核中以下项目未通过：" + "、".join(failed) + "。请退回补正或不予支持。"
        )
    ceiling = approval_ceiling(application, level=level, user=user, store=True)
    if not ceiling.result.eligible:
        raise DomainError(
            "按核实后的申报数据，该企业不符合条件：" + "；".join(ceiling.result.reasons)
        )
    approved = _parse_amount(amount, ceiling.amount)
    reduction = _reduction(approved, ceiling.amount, reason_code, reason_text)
    if level == Level.CITY:
        ok, why = budget_check(application, approved)
        if not ok:
            raise DomainError(f"预算校验未通过：{why}", errors={"amount": why})
    key = "approved_amount_fen" if level == Level.CITY else "recommended_amount_fen"
    data = {**ceiling.trace(), key: to_fen(approved), "reduction": reduction}
    note = comment.strip()
    if reduction:
        extra = f"核减 {reduction['reduced_by']} 元（{reduction['label']}{'：' + reduction['text'] if reduction['text'] else ''}）"
        note = f"{note}\n{extra}".strip()
    application_transition(
        application=application,
        user=user,
        action=APPROVE_ACTION[level],
        comment=note,
        data=data,
        updates={"approved_amount_fen": to_fen(approved)} if level == Level.CITY else None,
    )
    return application


def status_is_review(application: Application) -> bool:
    return application.status in (Status.DISTRICT_REVIEW, Status.CITY_REVIEW)
