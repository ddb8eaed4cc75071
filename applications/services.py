"""Writes of the case file. Every status change goes through ``application_transition``.

Keyword-only, one transaction each; refusals are ``DomainError`` with Chinese messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import deadlines, files, selectors, workflow
from applications.models import (
    Application,
    ApplicationEvent,
    CorrectionItem,
    Material,
    Notification,
    target_label,
)
from applications.workflow import Action, Level, Status
from enterprises.selectors import enterprise_for_user
from policies import engine
from policies.engine import periods
from policies.models import Clause
from policies.services import award_calculate, facts_jsonable
from portal.core import events
from portal.core.errors import DomainError, PermissionRefused
from portal.core.money import to_fen
from portal.core.text import has_nul
from portal.core.workdays import add_workdays

PERIOD_RE = periods.PERIOD_RE  # ASCII digits only: "20２３" is normalised first, never matched
MAX_FACT_TEXT = 200  # a fact is a number, a choice or a short text
MAX_FACT_ITEMS = 100
COMMITMENT_TEXT = (
    "本企业郑重承诺：所填报的数据和提交的材料真实、准确、完整，同一事项未重复申报其他同类"
    "财政资金；如有虚报、冒领，愿退回全部奖补资金，并按规定纳入失信记录、承担相应法律责任。"
)
EDITABLE = (Status.DRAFT, Status.RETURNED)


# --- the one transition -----------------------------------------------------------------


@transaction.atomic
def application_transition(
    *,
    application: Application,
    user,
    action: str,
    comment: str = "",
    data: Mapping[str, object] | None = None,
    updates: Mapping[str, object] | None = None,
    system: bool = False,
) -> ApplicationEvent:
    """Move the case by ``action``: lock, check table, role, scope; save; event; notify.

    ``application.status`` is what the caller saw: if someone else moved the case meanwhile
    the caller is told who did, and when. ``updates`` are extra fields set in the same save.
    ``system=True`` is for scheduled jobs (notice closing, lapses) acting as the system user:
    the move must still be in the table; the role and scope checks are skipped.
    """
    seen = application.status
    locked = _lock(application)
    transition = workflow.find_transition(locked, action)
    if locked.status != seen or transition is None:
        raise DomainError(_conflict_message(locked, action, user))
    if system:
        level = transition.level
    else:
        level = selectors.acting_level(user, locked)
        if level != transition.level:
            raise PermissionRefused(_refusal(transition, user))
        _check_one_level_per_person(locked, user, level)
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        message = f"{Action(action).label}须填写理由或意见。"
        raise DomainError(message, errors={"comment": message})
    locked.status = transition.target
    if transition.target == Status.RETURNED:
        locked.returned_from = transition.source
    elif transition.source == Status.RETURNED:
        locked.returned_from, locked.correction_due = "", None
    for name, value in (updates or {}).items():
        setattr(locked, name, value)
    if "due_on" not in (updates or {}):
        locked.due_on = (
            locked.correction_due
            if transition.target == Status.RETURNED
            else deadlines.due_on_for(transition.target, locked.clause)
        )
    locked.save()
    event = ApplicationEvent.objects.create(
        application=locked,
        actor=user,
        action=action,
        level=level,
        from_status=transition.source,
        to_status=transition.target,
        comment=comment,
        visible_to_enterprise=transition.visible_to_enterprise,
        data=dict(data or {}),
    )
    # the dashboards, the enterprise's message and the audit copy follow (applications.subscribers)
    events.publish(
        events.CaseTransitioned(
            application_ids=(locked.pk,),
            cause="transition",
            event_id=event.pk,
            visible_to_enterprise=transition.visible_to_enterprise,
        )
    )
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if k != "_state"})
    return event


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("enterprise", "enterprise__district", "clause")
        .get(pk=application.pk)
    )


def _conflict_message(locked: Application, action: str, user) -> str:
    last = (
        locked.events.exclude(actor=user)
        .exclude(to_status="")
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    status = locked.get_status_display()
    if last is not None and last.to_status == locked.status:
        when = timezone.localtime(last.created_at)
        return (
            f"该案件已由 {last.actor} 于 {when:%H:%M} 处理（{last.action_label}），"
            f"当前状态为“{status}”，请刷新后查看。"
        )
    return f"案件当前状态为“{status}”，不能{Action(action).label}。"


def _refusal(transition: workflow.Transition, user) -> str:
    if transition.level == Level.ENTERPRISE:
        return "该操作须由申报企业本企业的用户办理。"
    if transition.level == Level.DISTRICT:
        return "该操作须由企业所在区县的审核人员办理。"
    return "该操作须由市工信局审核人员办理。"


def _check_one_level_per_person(locked: Application, user, level: str) -> None:
    if selectors.acted_at_other_level(user, locked, level):
        raise PermissionRefused(selectors.ONE_LEVEL_MESSAGE)


def application_notify_step(*, application: Application, event: ApplicationEvent) -> int:
    """The enterprise's members are told of a step they can see (its label, status, comment)."""
    title = f"案件 {application.number}：{event.action_label}"
    body = (
        f"您单位申报的“{application.clause}”（{application.period}）"
        f"{event.action_label}，当前状态：{application.simple_status}。"
    )
    if event.data.get("notice"):  # a move that words its own message (办结: amount, vouchers)
        body = str(event.data["notice"])
    elif event.comment:
        body += f"\n意见：{event.comment}"
    if application.correction_due:
        body += f"\n请于 {application.correction_due:%Y年%m月%d日} 前完成补正。"
    users = [m.user for m in application.enterprise.members.select_related("user")]
    return notification_send(users=users, application=application, title=title, body=body)


def notification_send(*, users, application: Application | None, title: str, body: str) -> int:
    """One message per user in the message centre, e-mailed after commit."""
    rows = Notification.objects.bulk_create(
        [Notification(user=u, application=application, title=title, body=body) for u in users]
    )
    ids = tuple(row.pk for row in rows if row.pk)
    if ids:
        events.publish(events.MessagesCreated(notification_ids=ids))
    return len(rows)


# --- drafts ---------------------------------------------------------------------------


@dataclass
class DraftSaved:
    application: Application
    result: engine.AwardResult | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _fact_value_ok(value: object, *, nested: bool = False) -> bool:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_FACT_TEXT and not has_nul(value)
    if isinstance(value, list | tuple) and not nested:
        return len(value) <= MAX_FACT_ITEMS and all(_fact_value_ok(v, nested=True) for v in value)
    return False


def _draft_facts(clause: Clause, facts: Mapping[str, object]) -> dict:
    """A draft keeps the clause's own facts only, each a number, a short text or a list of
    them (no NUL, which PostgreSQL cannot store); anything else is refused with its name."""
    specs = {spec.name: spec.label for spec in engine.get_clause(clause.code).facts}
    if not isinstance(facts, Mapping):
        raise DomainError("申报数据格式不正确。", errors={"facts": "申报数据格式不正确。"})
    errors = {
        str(k)[:50]: "该条款没有这项申报数据。"
        for k in facts
        if not isinstance(k, str) or k not in specs
    }
    errors.update(
        {
            k: f"{specs[k]}的格式不正确。"
            for k, v in facts.items()
            if k in specs and not _fact_value_ok(v)
        }
    )
    if errors:
        raise DomainError("申报数据有误，请按提示修改。", errors=errors)
    return facts_jsonable(facts)


def prefill_facts(enterprise, clause: Clause, period: str) -> dict:
    """The enterprise's stored figures for the clause's facts (the form starts from these)."""
    from enterprises.facts import indicator_facts

    names = {spec.name for spec in engine.get_clause(clause.code).facts}
    known = indicator_facts(enterprise, year=int(period[:4]))
    return facts_jsonable({k: v for k, v in known.items() if k in names and v is not None})


def award_period_derive(
    *, clause: Clause, period: object, subject: object = ""
) -> periods.AwardPeriod:
    """The case's period, subject and award key as the clause's payment rule makes them (a
    period is never kept as typed); ``DomainError`` naming ``period`` or ``subject``."""
    try:
        return periods.derive_award(
            engine.get_clause(clause.code),
            period,
            subject,
            default_year=timezone.localdate().year,
        )
    except engine.EngineError as exc:
        raise DomainError(exc.message, errors=exc.errors) from exc


@transaction.atomic
def application_create_draft(
    *,
    user,
    clause: Clause,
    period: str = "",
    subject: str = "",
    facts: Mapping[str, object] | None = None,
) -> Application:
    """A draft for the award ``clause`` pays for ``period`` (and ``subject``): one live case
    per award, also against a concurrent request (the unique constraint decides)."""
    enterprise = enterprise_for_user(user)
    if enterprise is None:
        raise PermissionRefused("只有已关联企业的企业用户可以申报。")
    derived = award_period_derive(clause=clause, period=period, subject=subject)
    period = derived.period
    if not clause.window_open_on(timezone.localdate()):
        message = f"该条款申报时间为{selectors.window_label(clause)}，当前不在申报期内。"
        raise DomainError(message, errors={"clause": message})
    probe = Application(
        enterprise=enterprise,
        clause=clause,
        period=period,
        subject=derived.subject,
        award_key=derived.key,
    )
    existing = selectors.duplicate_of(probe)
    if existing:
        raise DomainError(selectors.duplicate_message(existing))
    if facts is None:
        facts = prefill_facts(enterprise, clause, period)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                enterprise=enterprise,
                clause=clause,
                period=period,
                subject=derived.subject,
                award_key=derived.key,
                facts=_draft_facts(clause, facts),
                created_by=user,
            )
    except IntegrityError as exc:  # a second tab created the same case a moment ago
        existing = selectors.duplicate_of(probe)
        raise DomainError(
            selectors.duplicate_message(existing) if existing else "该案件已存在。"
        ) from exc
    ApplicationEvent.objects.create(
        application=application, actor=user, action=ApplicationEvent.CREATED, level=Level.ENTERPRISE
    )
    events.publish(events.CaseRecorded(application_ids=(application.pk,)))
    _recalculate(application, user)
    return application


def _recalculate(application: Application, user) -> DraftSaved:
    try:
        calculated = award_calculate(
            code=application.clause.code, facts=application.facts, source="application", user=user
        )
    except engine.EngineError as exc:
        application.calculation, application.estimated_amount_fen = None, 0
        application.save(update_fields=["calculation", "estimated_amount_fen", "updated_at"])
        return DraftSaved(application, None, dict(exc.errors))
    application.calculation = calculated.calculation
    application.estimated_amount_fen = to_fen(calculated.result.amount)
    application.save(update_fields=["calculation", "estimated_amount_fen", "updated_at"])
    return DraftSaved(application, calculated.result)


def _lock_for_enterprise(application: Application, user, *, what: str) -> Application:
    locked = _lock(application)
    if selectors.acting_level(user, locked) != Level.ENTERPRISE:
        raise PermissionRefused("只有申报企业本企业的用户可以修改案件。")
    if locked.status not in EDITABLE:
        raise DomainError(f"案件当前状态为“{locked.get_status_display()}”，不能{what}。")
    return locked


@transaction.atomic
def application_update_draft(
    *, application: Application, user, facts: Mapping[str, object]
) -> DraftSaved:
    """Store the facts as entered (even incomplete) and recompute the estimate."""
    locked = _lock_for_enterprise(application, user, what="修改申报数据")
    before = locked.facts
    locked.facts = _draft_facts(locked.clause, facts)
    locked.save(update_fields=["facts", "updated_at"])
    changed = sorted(
        k for k in set(before) | set(locked.facts) if before.get(k) != locked.facts.get(k)
    )
    if changed:
        ApplicationEvent.objects.create(
            application=locked,
            actor=user,
            action=ApplicationEvent.DRAFT_SAVED,
            level=Level.ENTERPRISE,
            data={"changed": changed},
        )
        events.publish(events.CaseRecorded(application_ids=(locked.pk,)))
    return _recalculate(locked, user)


# --- materials ------------------------------------------------------------------------


@transaction.atomic
def material_upload(*, application: Application, user, item: str, file) -> Material:
    """Keep a new file for ``item``; the file it replaces stays (inactive) for the reviewer."""
    locked = _lock_for_enterprise(application, user, what="上传材料")
    if item not in (locked.clause.materials or []):
        raise DomainError(
            "该条款不要求此项材料。", errors={"item": f"“{item}”不是该条款的申报材料。"}
        )
    if not file or not file.size:
        raise DomainError("请选择要上传的文件。", errors={"file": "文件为空，请重新选择。"})
    if file.size > files.MAX_MATERIAL_BYTES:
        message = f"文件超过 {files.MAX_MATERIAL_LABEL}，请压缩或拆分后上传。"
        raise DomainError(message, errors={"file": message})
    file.seek(0)
    content_type = files.sniff_content_type(file.read(16), file)
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    previous = locked.materials.filter(item=item, active=True).first()
    if previous:
        previous.active = False
        previous.save(update_fields=["active"])
    material = Material(
        application=locked,
        item=item,
        original_name=files.display_name(getattr(file, "name", ""), content_type),
        content_type=content_type,
        size=file.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    material.file.save(f"upload{files.SUFFIXES[content_type]}", file, save=False)
    material.save()
    if previous:
        previous.superseded_by = material
        previous.save(update_fields=["superseded_by"])
    ApplicationEvent.objects.create(
        application=locked,
        actor=user,
        action=ApplicationEvent.MATERIAL,
        level=Level.ENTERPRISE,
        comment=item,
        data={"item": item, "material": material.pk, "replaced": previous.pk if previous else None},
    )
    events.publish(events.CaseRecorded(application_ids=(locked.pk,)))
    return material


# --- enterprise actions ---------------------------------------------------------------


@transaction.atomic
def application_submit(*, application: Application, user, commitment_accepted: bool) -> Application:
    seen = application.status
    locked = _lock(application)
    if selectors.acting_level(user, locked) != Level.ENTERPRISE:
        raise PermissionRefused("只有申报企业本企业的用户可以提交申报。")
    if not commitment_accepted:
        message = "请阅读并勾选信用承诺后提交。"
        raise DomainError(message, errors={"commitment": message})
    problems = selectors.submit_problems(locked)
    if problems:
        raise DomainError(problems[0], errors={"detail": "；".join(problems)})
    saved = _recalculate(locked, user)
    now = timezone.now()
    locked.status = seen
    application_transition(
        application=locked,
        user=user,
        action=Action.SUBMIT,
        data={
            "estimated_amount_fen": locked.estimated_amount_fen,
            "eligible": saved.result.eligible,
        },
        updates={
            "submitted_at": now,
            "commitment_text": COMMITMENT_TEXT,
            "commitment_signed_at": now,
            "commitment_user": user,
        },
    )
    return locked


def application_withdraw(*, application: Application, user, reason: str) -> Application:
    application_transition(
        application=application, user=user, action=Action.WITHDRAW, comment=reason
    )
    return application


@transaction.atomic
def application_resubmit(*, application: Application, user) -> Application:
    """Only when every open correction item was addressed (file re-uploaded or fact changed)."""
    seen = application.status
    locked = _lock(application)
    if selectors.acting_level(user, locked) != Level.ENTERPRISE:
        raise PermissionRefused("只有申报企业本企业的用户可以重新提交。")
    if locked.status != Status.RETURNED:
        raise DomainError(f"案件当前状态为“{locked.get_status_display()}”，不能重新提交。")
    open_items = list(locked.corrections.filter(resolved_at__isnull=True).select_related("event"))
    materials = selectors.active_materials(locked)
    resolved, pending = [], []
    for item in open_items:
        note = _resolution(item, locked, materials)
        (resolved if note else pending).append((item, note))
    if pending:
        names = "、".join(f"{i.get_kind_display()}“{i.target}”" for i, _ in pending)
        raise DomainError(f"以下补正事项尚未处理：{names}。请逐项补正后再提交。")
    errors = selectors.fact_errors(locked)
    if errors:
        raise DomainError("申报数据不完整：" + "；".join(errors.values()), errors=errors)
    now = timezone.now()
    for item, note in resolved:
        item.resolved_at, item.resolution = now, note
        item.save(update_fields=["resolved_at", "resolution"])
    _recalculate(locked, user)
    locked.status = seen
    application_transition(
        application=locked,
        user=user,
        action=Action.RESUBMIT,
        data={"resolved": [{"id": i.pk, "target": i.target, "resolution": n} for i, n in resolved]},
    )
    return locked


def _resolution(item: CorrectionItem, application: Application, materials: dict) -> str:
    if item.kind == CorrectionItem.Kind.MATERIAL:
        material = materials.get(item.target)
        if material and material.uploaded_at > item.event.created_at:
            return f"已重新上传：{material.original_name}"
        return ""
    before = (item.event.data.get("facts_at_return") or {}).get(item.target)
    after = application.facts.get(item.target)
    if after == before:
        return ""
    specs = {s.name: s for s in engine.get_clause(application.clause.code).facts}
    spec = specs.get(item.target)
    if spec is None:
        return f"已修改：{before} → {after}"
    return f"已修改：{spec.display(before)} → {spec.display(after)}"


# --- reviewer actions (the review app will build its pages on these) ----------------


@transaction.atomic
def application_return_for_correction(
    *,
    application: Application,
    user,
    items: list[Mapping[str, str]],
    due_days: int | None = None,
    comment: str = "",
) -> Application:
    """Return with an itemised list (一次性告知); the enterprise has ``due_days`` working days
    (default: the ``correction`` deadline of ``PORTAL_REVIEW_DEADLINES``)."""
    clean = _correction_items(application, items)
    if due_days is None:
        due_days = deadlines.step_days("correction", application.clause)
    due = add_workdays(timezone.localdate(), due_days)
    code = application.clause.code
    summary = comment.strip() or "；".join(
        f"{target_label(code, i['kind'], i['target'])}：{i['message']}" for i in clean
    )
    event = application_transition(
        application=application,
        user=user,
        action=Action.RETURN_FOR_CORRECTION,
        comment=summary,
        data={
            "items": clean,
            "facts_at_return": application.facts,
            "due": due.isoformat(),
            # the comment is only the items joined: the timeline lists the items instead
            "comment_is_summary": not comment.strip(),
        },
        updates={"correction_due": due},
    )
    CorrectionItem.objects.bulk_create(
        [CorrectionItem(application_id=application.pk, event=event, **i) for i in clean]
    )
    return application


def _correction_items(application: Application, items) -> list[dict[str, str]]:
    if not items:
        raise DomainError("退回补正须至少列明一项补正事项。", errors={"items": "请列明补正事项。"})
    fact_names = {s.name for s in engine.get_clause(application.clause.code).facts}
    clean = []
    for raw in items:
        kind, target = raw.get("kind", ""), (raw.get("target") or "").strip()
        message = (raw.get("message") or "").strip()
        if kind not in CorrectionItem.Kind.values or not target or not message:
            raise DomainError(
                "每项补正事项须有类别、对象和补正要求。", errors={"items": "补正事项不完整。"}
            )
        known = application.clause.materials if kind == "material" else fact_names
        if target not in known:
            raise DomainError(
                f"“{target}”不是该条款的申报材料或申报数据项。", errors={"items": target}
            )
        clean.append({"kind": kind, "target": target, "message": message})
    return clean


@transaction.atomic
def application_event_record(
    *,
    application: Application,
    user,
    action: str,
    label: str,
    level: str = "",
    comment: str = "",
    data: Mapping[str, object] | None = None,
    visible_to_enterprise: bool = False,
) -> ApplicationEvent:
    """Append a non-transition event (a claim, a check, an override) to the timeline."""
    event = ApplicationEvent.objects.create(
        application=application,
        actor=user,
        action=action,
        level=level,
        comment=comment,
        visible_to_enterprise=visible_to_enterprise,
        data={**dict(data or {}), "label": label},
    )
    events.publish(events.CaseRecorded(application_ids=(application.pk,)))
    return event


# --- notifications --------------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """Send each not-yet-sent notification by e-mail once (idempotent on retries)."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update()
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None or not row.user.email:
                continue
            send_mail(
                f"【{settings.PORTAL_NAME}】{row.title}",
                row.body,
                settings.DEFAULT_FROM_EMAIL,
                [row.user.email],
            )
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent
