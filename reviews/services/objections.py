"""Objections to a public notice (公示异议): filed under a verified identity, triaged by a city
reviewer before the case leaves the notice.

Who may object: an active enterprise account whose enterprise passed verification (its
credit code is the identity on record); an anonymous visitor, an account of an enterprise not
(yet) verified, or a staff account is refused, with the reason. Each account may file
``PORTAL_OBJECTIONS_PER_DAY`` objections in 24 hours (the same limit for the page and the
API: it is counted here, on the rows) and one pending objection per case.

Filing records an event on the case under the objector's account; the case stays in the
notice (and is not determined when the window closes) until a city reviewer accepts the
objection (the case leaves the notice for city review) or dismisses it with the reason (the
case stays in the notice).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.services import application_event_record, application_transition
from applications.workflow import Action, Level, Status
from portal.accounts.models import User
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.text import parse_int
from reviews import selectors
from reviews.models import NoticeEntry, Objection

FILED, DISMISSED = "objection_filed", "objection_dismissed"  # events beside the transitions
DEFAULT_PER_DAY = 3


def objections_per_day() -> int:
    return int(getattr(settings, "PORTAL_OBJECTIONS_PER_DAY", DEFAULT_PER_DAY))


@transaction.atomic
def objection_file(
    *, user, entry_id: object, name: str, contact: str, text: str, today: dt.date | None = None
) -> Objection:
    """File an objection to one case of an open notice under ``user``'s verified identity.
    The case stays in the notice until a city reviewer triages the objection."""
    permission = selectors.objector_permission(user)
    if not permission.allowed:
        raise PermissionRefused(permission.reason)
    enterprise = selectors.objector_enterprise(user)
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    errors = {
        k: m
        for k, v, m in (
            ("name", name, "请填写联系人姓名。"),
            ("contact", contact, "请填写联系电话。"),
            ("text", text, "请写明异议内容和理由。"),
        )
        if not v
    }
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    # one account's objections are counted one at a time (two tabs, two API calls)
    User.objects.select_for_update().filter(pk=user.pk).first()
    _check_rate(user)
    today = today or timezone.localdate()
    entry = (
        NoticeEntry.objects.select_for_update(of=("self",))
        .select_related("batch", "application")
        .filter(pk=_int(entry_id), removed_at__isnull=True, determined_at__isnull=True)
        .first()
    )
    if entry is None or not entry.batch.open_on(today):
        raise DomainError("该案件不在公示期内，不能提出异议。")
    if entry.objections.filter(user=user, status=Objection.Status.PENDING).exists():
        raise DomainError("您对该案件的异议正在核查中，请勿重复提出。")
    objection = Objection.objects.create(
        entry=entry, user=user, enterprise=enterprise, name=name, contact=contact, text=text
    )
    application_event_record(
        application=entry.application,
        user=user,
        action=FILED,
        label="收到公示异议",
        comment=f"{enterprise.name}（{enterprise.credit_code}）实名提出异议，待市工信局核查。",
        data={"objection": objection.pk, "batch": entry.batch_id, "enterprise": enterprise.pk},
    )
    return objection


def _check_rate(user) -> None:
    limit = objections_per_day()
    since = timezone.now() - dt.timedelta(hours=24)
    if Objection.objects.filter(user=user, created_at__gte=since).count() >= limit:
        raise DomainError(
            f"每个账号24小时内最多提出 {limit} 件公示异议，您已达到上限，请稍后再提出。"
        )


@transaction.atomic
def objection_accept(*, objection_id: object, user, reason: str) -> Objection:
    """The objection holds: the case leaves the notice and goes back to city review; the rest
    of its batch carries on. Other pending objections to the case are settled with it."""
    objection, reason = _triage_start(objection_id, user, reason, "请填写核查意见。")
    entry = NoticeEntry.objects.select_for_update(of=("self",)).get(pk=objection.entry_id)
    if entry.removed_at is not None or entry.determined_at is not None:
        raise DomainError("该案件已不在公示中，异议无须再核查。")
    application = entry.application
    now = timezone.now()
    entry.removed_at, entry.removed_reason = now, "公示异议经核查成立"
    entry.save(update_fields=["removed_at", "removed_reason"])
    entry.objections.filter(status=Objection.Status.PENDING).update(
        status=Objection.Status.ACCEPTED, decided_by=user, decided_at=now, decision_reason=reason
    )
    application_transition(
        application=application,
        user=user,
        action=Action.OBJECT,
        comment=f"公示异议经核查成立：{reason}。案件撤出公示，退回市级复审。",
        data={"objection": objection.pk, "batch": entry.batch_id},
    )
    objection.refresh_from_db()
    return objection


@transaction.atomic
def objection_dismiss(*, objection_id: object, user, reason: str) -> Objection:
    """The objection does not hold: it is closed with the reason; the case stays in the
    notice (and is determined when the window closes, if nothing else is pending)."""
    objection, reason = _triage_start(objection_id, user, reason, "驳回异议须写明理由。")
    objection.status = Objection.Status.DISMISSED
    objection.decided_by, objection.decided_at = user, timezone.now()
    objection.decision_reason = reason
    objection.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    application_event_record(
        application=objection.entry.application,
        user=user,
        action=DISMISSED,
        label="公示异议不成立",
        level=Level.CITY,
        comment=reason,
        data={"objection": objection.pk, "batch": objection.entry.batch_id},
    )
    return objection


def _triage_start(objection_id: object, user, reason: str, missing: str):
    """The pending objection, locked, once ``user`` may triage it; the reason, stripped."""
    if not selectors.can_triage_objections(user):
        raise PermissionRefused("公示异议由市工信局审核人员核查处理。")
    found = selectors.objection_scope(user).filter(pk=_int(objection_id)).first()
    if found is None:
        raise NotFound()
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("entry__application__enterprise", "entry__batch")
        .get(pk=found.pk)
    )
    conflict = selectors.conflict_reason(user, objection.entry.application)
    if conflict:
        raise PermissionRefused(conflict)
    if objection.status != Objection.Status.PENDING:
        raise DomainError(f"该异议已核查（{objection.get_status_display()}），不能再次处理。")
    if objection.entry.application.status != Status.IN_NOTICE:
        raise DomainError("该案件已不在公示中，异议无须再核查。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(missing, errors={"reason": missing})
    return objection, reason


def _int(value: object) -> int:
    """An id as typed (0, which matches nothing, when it is not one)."""
    return parse_int(value) or 0
