"""Public notice (公示): batches of approved cases, real-name objections, closing windows."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from applications.selectors import access_application
from applications.services import application_transition
from applications.workflow import Action, Status
from portal.accounts.models import Role
from portal.accounts.system import system_user
from portal.core.errors import DomainError, PermissionRefused
from portal.core.tasks import enqueue
from portal.core.workdays import add_workdays
from reviews import selectors
from reviews.models import NoticeBatch, NoticeEntry, Objection

logger = logging.getLogger(__name__)
PAYABLES_TASK = "finance.tasks.payables_create"  # by name: reviews never imports finance


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


@transaction.atomic
def objection_file(
    *, user, entry_id: object, name: str, contact: str, text: str, today: dt.date | None = None
) -> Objection:
    """A real-name objection: the case leaves the notice and goes back to city review; the rest
    of its batch carries on."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionRefused("异议须实名提出，请先登录。")
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    errors = {
        k: m
        for k, v, m in (
            ("name", name, "请填写真实姓名。"),
            ("contact", contact, "请填写联系方式。"),
            ("text", text, "请写明异议内容和理由。"),
        )
        if not v
    }
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    today = today or timezone.localdate()
    entry = (
        NoticeEntry.objects.select_for_update(of=("self",))
        .select_related("batch", "application")
        .filter(pk=_int(entry_id), removed_at__isnull=True)
        .first()
    )
    if entry is None or not entry.batch.open_on(today):
        raise DomainError("该案件不在公示期内，不能提出异议。")
    objection = Objection.objects.create(
        entry=entry, user=user, name=name, contact=contact, text=text
    )
    entry.removed_at, entry.removed_reason = timezone.now(), "公示期间收到实名异议"
    entry.save(update_fields=["removed_at", "removed_reason"])
    application_transition(
        application=entry.application,
        user=system_user(),
        action=Action.OBJECT,
        comment="公示期间收到实名异议，案件撤出公示，退回市级复审核查。",
        data={"objection": objection.pk, "batch": entry.batch_id},
        system=True,
    )
    return objection


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def notices_close(*, today: dt.date | None = None) -> list[int]:
    """Determine the remaining cases of every batch whose window closed before ``today`` and
    start finance's payables by task name. Idempotent: determined cases are skipped; a batch is
    closed only when all its cases went through (one failure is retried on the next run)."""
    today = today or timezone.localdate()
    determined: list[int] = []
    batches = NoticeBatch.objects.filter(closed_at__isnull=True, closes_on__lt=today)
    for batch_id in batches.order_by("id").values_list("id", flat=True):
        determined += _batch_close(batch_id)
    return determined


def _batch_close(batch_id: int) -> list[int]:
    actor, done, failed = system_user(), [], False
    entries = NoticeEntry.objects.filter(
        batch_id=batch_id, removed_at__isnull=True, determined_at__isnull=True
    ).values_list("id", flat=True)
    for entry_id in list(entries):
        try:
            with transaction.atomic():
                entry = (
                    NoticeEntry.objects.select_for_update(of=("self",))
                    .filter(pk=entry_id, determined_at__isnull=True, removed_at__isnull=True)
                    .first()
                )
                if entry is None:
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
                enqueue(PAYABLES_TASK, application.pk)
                done.append(application.pk)
        except Exception:  # one case must not hold up the batch; the next run retries it
            logger.exception("notice entry %s not determined", entry_id)
            failed = True
    if not failed:
        NoticeBatch.objects.filter(pk=batch_id, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
    return done
