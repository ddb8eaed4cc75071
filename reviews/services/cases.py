"""A reviewer's work on one case: claim, assign, check, return, approve, reject."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications.models import Application, target_label
from applications.selectors import (
    ONE_LEVEL_MESSAGE,
    access_application,
    acted_at_other_level,
    acting_level,
    duplicate_of,
)
from applications.services import (
    application_event_record,
    application_return_for_correction,
    application_transition,
    award_period_derive,
)
from applications.workflow import Action, Level, Status
from policies import engine
from policies.services import award_calculate
from portal.core import links
from portal.core.errors import DomainError, NotFound, PermissionRefused
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
    if acted_at_other_level(assignee, application, level):
        raise DomainError(
            f"{assignee} 已办理过该案件的另一级审核（{ONE_LEVEL_MESSAGE}），不能分派。"
        )
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


NUMERIC_KINDS = ("money", "percent", "area", "kwh", "int")


def _award(code: str, facts: Mapping[str, object]) -> Decimal | None:
    """The engine's amount on ``facts`` (the rule version in force), None when invalid."""
    try:
        result = award_calculate(code=code, facts=facts).result
    except engine.EngineError:
        return None
    return result.amount if result.eligible else Decimal("0.00")


def _figure(spec, raw: object) -> Decimal | None:
    """A numeric fact's value for comparison (a list of amounts: its sum); None otherwise."""
    try:
        value = spec.default() if raw in (None, "") else spec.parse(raw)
    except ValueError:
        return None
    if spec.kind == "money_list":
        return sum(value, Decimal(0))
    return Decimal(value) if spec.kind in NUMERIC_KINDS else None


def _raises(application: Application, spec, verified: object, in_force: dict) -> bool:
    """Does this verified value raise the figure (a number above the declared one) or the
    award (the engine's amount with it above the amount with the declared value, the other
    facts as verified so far)? A value the engine refuses is no raise: it is refused later."""
    declared = application.facts.get(spec.name)
    before, after = _figure(spec, declared), _figure(spec, verified)
    if before is not None and after is not None and after > before:
        return True
    code = application.clause.code
    with_it = _award(code, {**in_force, spec.name: verified})
    if with_it is None:
        return False
    without = _award(code, {**in_force, spec.name: declared})
    return without is None or with_it > without


def _raise_refusal(label: str, declared: object, verified: object) -> str:
    declared_text = "未填报" if declared is None else declared
    return (
        f"“{label}”的核实值 {verified} 高于企业申报值（{declared_text}）或会提高测算金额："
        "上调须选择依据的申报材料，并由本环节另一名审核人员复核确认后才生效。"
    )


def _check_rows(application: Application, checks, *, user, level: str) -> list[MaterialCheck]:
    specs = {s.name: s for s in engine.get_clause(application.clause.code).facts}
    materials = application.clause.materials or []
    round_ = selectors.review_round(application)
    in_force, _ = selectors.verified_facts(application)
    rows = []
    for raw in checks:
        kind, target = raw.get("kind", ""), (raw.get("target") or "").strip()
        known = materials if kind == MaterialCheck.Kind.MATERIAL else specs
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
        evidence = (raw.get("evidence") or "").strip() if verified is not None else ""
        if evidence and evidence not in materials:
            message = f"上调依据“{evidence}”不是该条款的申报材料。"
            raise DomainError(message, errors={"checks": message})
        declared = application.facts.get(target) if kind == "fact" else None
        raises = verified is not None and verified != declared
        raises = raises and _raises(application, specs[target], verified, in_force)
        if raises and not evidence:
            message = _raise_refusal(specs[target].label, declared, verified)
            raise DomainError(message, errors={"checks": message})
        if verified is not None and not raises:
            in_force[target] = verified
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
                declared_value=declared,
                verified_value=verified,
                raises=raises,
                evidence=evidence if raises else "",
                reviewer=user,
            )
        )
    return rows


@transaction.atomic
def review_checks_record(
    *, application: Application, user, checks: Iterable[Mapping[str, object]]
) -> list[MaterialCheck]:
    """Record pass/fail per material and fact; a fact may be corrected (both values kept).
    A correction that raises the figure or the award names its material and waits for a
    second reviewer (``review_fact_raise_confirm``) before it counts."""
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
    code = application.clause.code
    specs = {s.name: s for s in engine.get_clause(code).facts}
    failed_words = [target_label(code, r.kind, r.target) for r in rows if not r.passed]
    raised = [
        {"target": r.target, "declared": r.declared_value, "verified": r.verified_value,
         "evidence": r.evidence}
        for r in rows if r.raises
    ]  # fmt: skip
    comment = ("不通过：" + "、".join(failed_words)) if failed else "审核项均通过"
    if raised:
        comment += "；上调核实值待复核：" + "、".join(
            f"{specs[r['target']].label} {specs[r['target']].display(r['declared'])} → "
            f"{specs[r['target']].display(r['verified'])}（依据：{r['evidence']}）"
            for r in raised
        )
    application_event_record(
        application=application,
        user=user,
        action="checks_recorded",
        label="材料审核",
        level=level,
        comment=comment,
        data={"checks": len(rows), "failed": failed, "raised": raised},
    )
    return rows


@transaction.atomic
def review_fact_raise_confirm(*, application: Application, user, check_id: object) -> MaterialCheck:
    """A second reviewer of the same step confirms a raised verified value: it is in force
    from now on (the ceiling follows it). Never the reviewer who raised it."""
    level = _acting(user, application)
    try:
        pk = int(str(check_id))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    row = (
        MaterialCheck.objects.select_for_update()
        .filter(pk=pk, application=application, raises=True)
        .select_related("reviewer")
        .first()
    )
    if row is None:
        raise NotFound()
    if row.confirmed_at is not None:
        raise DomainError(f"该上调核实值已由 {row.confirmed_by} 复核确认。")
    if row.pk not in {r.pk for r in selectors.pending_raises(application)}:
        raise DomainError("该上调核实值已被后续核实值替代，无需复核。")
    if row.status != application.status:
        raise DomainError("该上调核实值不是本环节录入的，不能在本环节复核。")
    if row.reviewer_id == user.pk:
        raise PermissionRefused("上调核实值须由另一名审核人员复核确认，不能由录入人本人确认。")
    row.confirmed_by, row.confirmed_at = user, timezone.now()
    row.save(update_fields=["confirmed_by", "confirmed_at"])
    application_event_record(
        application=application,
        user=user,
        action="fact_raise_confirmed",
        label="复核上调核实值",
        level=level,
        comment=(
            f"复核确认 {row.reviewer} 上调的核实值：{row.target} {row.declared_value} → "
            f"{row.verified_value}（依据：{row.evidence}）"
        ),
        data={
            "check": row.pk,
            "target": row.target,
            "declared": row.declared_value,
            "verified": row.verified_value,
            "evidence": row.evidence,
            "raised_by": row.reviewer_id,
        },
    )
    return row


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


def _check_review_complete(application: Application) -> None:
    """Approval comes after the material review of this step and round: every material and
    fact checked, none failed, and no raised value waiting for its second reviewer."""
    unchecked = selectors.unchecked_items(application)
    if unchecked:
        message = (
            "以下材料和申报数据本轮尚未审核：" + "、".join(unchecked)
            + "。请在“材料与数据审核”中逐项审核后再审核通过。"
        )  # fmt: skip
        raise DomainError(message, errors={"checks": message})
    failed = [c.target for c in selectors.current_checks(application).values() if not c.passed]
    if failed:
        raise DomainError(
            "本轮审核中以下项目未通过：" + "、".join(failed) + "。请退回补正或不予支持。"
        )
    pending = [r for r in selectors.fact_raises(application) if r["state"] == "pending"]
    if pending:
        message = (
            "以下上调的核实值尚待另一名审核人员复核确认，确认前不能审核通过："
            + "、".join(
                f"“{r['label']}”（{r['declared']} → {r['verified']}，依据：{r['evidence']}）"
                for r in pending
            )
            + "。"
        )
        raise DomainError(message, errors={"checks": message})


def budget_check(application: Application, amount: Decimal) -> tuple[bool, str]:
    """``links.BUDGET_CHECK``: ``f(*, application, amount) -> (ok, reason)`` (finance provides it;
    reviews never imports finance)."""
    return links.BUDGET_CHECK(application=application, amount=amount)


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
    _check_review_complete(application)
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
    raised = [r for r in selectors.fact_raises(application) if r["state"] == "confirmed"]
    data = {
        **ceiling.trace(),
        key: to_fen(approved),
        "reduction": reduction,
        "raised_facts": [
            {k: r[k] for k in ("fact", "declared", "verified", "evidence", "level",
                               "reviewer", "confirmed_by")}
            for r in raised
        ],
    }  # fmt: skip
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
