"""Public notice (公示): batches of approved cases and closing their windows (objections:
``reviews.services.objections``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from applications.selectors import access_application
from applications.services import application_transition
from applications.workflow import Action, Status
from portal.accounts.models import Role
from portal.accounts.system import system_user
from portal.core import links
from portal.core.audit import audit_append
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.text import parse_int
from portal.core.workdays import add_workdays
from reviews import selectors
from reviews.models import NoticeBatch, NoticeEntry, Objection

logger = logging.getLogger(__name__)


@transaction.atomic
def notice_batch_create(
    *,
    user,
    application_ids: list[object],
    title: str = "",
    window_days: int | None = None,
    opens_on: dt.date | None = None,
) -> NoticeBatch:
    """Put approved cases into one public notice open ``window_days`` working days."""
    from applications.deadlines import step_days

    if user.role != Role.CITY_REVIEWER:
        raise PermissionRefused("公示由市工信局审核人员发布。")
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise DomainError("请选择要公示的案件。")
    cases = [access_application(user, pk) for pk in ids]
    days = window_days if window_days is not None else step_days("notice", cases[0].clause)
    if days < 1:
        raise DomainError("公示期至少1个工作日。")
    opens_on = opens_on or timezone.localdate()
    closes_on = add_workdays(opens_on, days)
    batch = NoticeBatch.objects.create(
        title=(title or "").strip() or f"惠企政策拟支持企业名单公示（{opens_on:%Y年%m月%d日}）",
        opens_on=opens_on,
        closes_on=closes_on,
        window_days=days,
        created_by=user,
    )
    for application in cases:
        reason = selectors.conflict_reason(user, application)
        if reason:
            raise PermissionRefused(reason)
        if application.status != Status.APPROVED:
            raise DomainError(
                f"案件 {application.number} 当前状态为“{application.get_status_display()}”，"
                "只有复审通过的案件可以公示。"
            )
        application_transition(
            application=application,
            user=user,
            action=Action.PUBLISH_NOTICE,
            comment=f"{batch.title}，公示期 {opens_on:%Y-%m-%d} 至 {closes_on:%Y-%m-%d}",
            data={"batch": batch.pk, "opens_on": opens_on, "closes_on": closes_on},
            updates={"due_on": closes_on},
        )
        NoticeEntry.objects.create(
            batch=batch, application=application, amount_fen=application.approved_amount_fen or 0
        )
    return batch


def notices_close(*, today: dt.date | None = None) -> list[int]:
    """Determine the remaining cases of every batch whose window closed before ``today`` and
    start finance's payables (``links.PAYABLES_ON_DETERMINATION``). Idempotent: determined
    cases are skipped; a batch is closed only when all its cases went through (one failure is
    retried on the next run). A case with an objection still to be triaged is not determined: it waits for the reviewer
    (dismissed, the next run determines it; accepted, it has left the notice)."""
    today = today or timezone.localdate()
    determined: list[int] = []
    batches = NoticeBatch.objects.filter(closed_at__isnull=True, closes_on__lt=today)
    for batch_id in batches.order_by("id").values_list("id", flat=True):
        determined += _batch_close(batch_id)
    return determined


@dataclass(frozen=True)
class NoticeClosed:
    determined: list[int]  # the cases determined now
    closed: bool  # False: a case is held by an objection still to triage (closed later)


def notice_batch_close(*, batch_id: object, user, today: dt.date | None = None) -> NoticeClosed:
    """Close one notice whose period has ended, from its page: what ``notices_close`` does for
    every ended notice each night (``close_notices``), for this one now, on the record of the
    city reviewer who asked. Refused before the period's end, and for a notice closed already."""
    if getattr(user, "role", None) != Role.CITY_REVIEWER:
        raise PermissionRefused("公示由市工信局审核人员办结。")
    pk = parse_int(batch_id)
    batch = NoticeBatch.objects.filter(pk=pk).first() if pk is not None else None
    if batch is None:
        raise NotFound()
    today = today or timezone.localdate()
    if batch.closed_at is not None:
        raise DomainError(
            f"公示“{batch.title}”已于 {timezone.localtime(batch.closed_at):%Y年%m月%d日} 办结。"
        )
    if batch.closes_on >= today:
        first = batch.closes_on + dt.timedelta(days=1)
        raise DomainError(
            f"公示“{batch.title}”的公示期至 {batch.closes_on:%Y年%m月%d日}，"
            f"期满后（{first:%Y年%m月%d日}起）方可办结。"
        )
    determined = _batch_close(batch.pk)
    closed = NoticeBatch.objects.filter(pk=batch.pk, closed_at__isnull=False).exists()
    audit_append(
        kind="reviews.notice_closed",
        actor=user.get_username(),
        object_ref=f"reviews.NoticeBatch:{batch.pk}",
        object_id=batch.pk,
        summary=f"办结公示“{batch.title}”，确定支持 {len(determined)} 件",
        data={"determined": determined, "closed": closed, "closes_on": batch.closes_on.isoformat()},
    )
    return NoticeClosed(determined, closed)


def _batch_close(batch_id: int) -> list[int]:
    actor, done = system_user(), []
    entries = NoticeEntry.objects.filter(
        batch_id=batch_id, removed_at__isnull=True, determined_at__isnull=True
    )
    # a case with an objection not yet triaged waits (and so does its batch's closing)
    held = entries.filter(objections__status=Objection.Status.PENDING)
    unfinished = held.exists()
    for entry_id in list(entries.exclude(pk__in=held.values("pk")).values_list("id", flat=True)):
        try:
            with transaction.atomic():
                entry = (
                    NoticeEntry.objects.select_for_update(of=("self",))
                    .filter(pk=entry_id, determined_at__isnull=True, removed_at__isnull=True)
                    .first()
                )
                if entry is None:
                    continue
                if entry.objections.filter(status=Objection.Status.PENDING).exists():
                    unfinished = True  # filed while this run started
                    continue
                application = Application.objects.get(pk=entry.application_id)
                if application.status != Status.IN_NOTICE:  # withdrawn or rejected meanwhile
                    entry.removed_at = timezone.now()
                    entry.removed_reason = f"公示期内案件{application.get_status_display()}"
                    entry.save(update_fields=["removed_at", "removed_reason"])
                    continue
                application_transition(
                    application=application,
                    user=actor,
                    action=Action.DETERMINE,
                    comment="公示期满无异议，确定支持。",
                    data={"batch": batch_id, "approved_amount_fen": entry.amount_fen},
                    system=True,
                )
                entry.determined_at = timezone.now()
                entry.save(update_fields=["determined_at"])
                links.PAYABLES_ON_DETERMINATION(application.pk)  # finance provides it
                done.append(application.pk)
        except Exception:  # one case must not hold up the batch; the next run retries it
            logger.exception("notice entry %s not determined", entry_id)
            unfinished = True
    if not unfinished:
        NoticeBatch.objects.filter(pk=batch_id, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
    return done
