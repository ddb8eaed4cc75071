"""Scheduled deadline work: reminders to assignees (and office heads when late), lapses.

Office heads: active reviewers of the case's level with ``is_staff`` (district heads of the
enterprise's district), or the usernames in ``PORTAL_REVIEW_HEADS`` when that setting is set.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import Application
from applications.services import application_transition, notification_send
from applications.workflow import Action, Level, Status
from portal.accounts.models import Role, User
from portal.accounts.system import system_user
from portal.core.workdays import add_workdays
from reviews import selectors
from reviews.models import DeadlineReminder

logger = logging.getLogger(__name__)
REMINDED_STATUSES = (Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW)


def office_heads(application: Application) -> list[User]:
    level = selectors.current_level(application)
    configured = getattr(settings, "PORTAL_REVIEW_HEADS", None)
    qs = User.objects.filter(is_active=True)
    if configured:
        return list(qs.filter(username__in=configured))
    if level == Level.DISTRICT:
        qs = qs.filter(
            role=Role.DISTRICT_REVIEWER,
            is_staff=True,
            district_id=application.enterprise.district_id,
        )
    else:
        qs = qs.filter(role=Role.CITY_REVIEWER, is_staff=True)
    return list(qs)


def deadline_reminders_send(*, today: dt.date | None = None) -> int:
    """Once per case and day: remind the assignee of a case due within 2 working days; when
    it is late, its office head too. Returns the number of cases reminded."""
    today = today or timezone.localdate()
    soon = add_workdays(today, selectors.SOON_WORKDAYS)
    cases = (
        Application.objects.filter(status__in=REMINDED_STATUSES, due_on__lte=soon)
        .select_related("enterprise", "clause", "review__assignee")
        .order_by("due_on", "id")
    )
    sent = 0
    for application in cases:
        overdue = application.due_on < today
        try:
            with transaction.atomic():
                DeadlineReminder.objects.create(application=application, day=today, overdue=overdue)
                users = [u for u in [selectors.assignee_of(application)] if u is not None]
                if overdue:
                    users += [u for u in office_heads(application) if u not in users]
                if users:
                    state = "已逾期" if overdue else "即将到期"
                    notification_send(
                        users=users,
                        application=application,
                        title=f"案件 {application.number} 审核{state}",
                        body=(
                            f"{application.enterprise.name}“{application.clause}”"
                            f"（{application.get_status_display()}）办理期限为 "
                            f"{application.due_on:%Y年%m月%d日}，{state}，请及时办理。"
                        ),
                    )
                sent += 1
        except IntegrityError:  # reminded today already (a retry or a second beat)
            continue
    return sent


def corrections_lapse(*, today: dt.date | None = None) -> list[int]:
    """Returned cases past their correction due date lapse (acted by the system user)."""
    today = today or timezone.localdate()
    actor, lapsed = system_user(), []
    ids = Application.objects.filter(status=Status.RETURNED, correction_due__lt=today).values_list(
        "id", flat=True
    )
    for pk in list(ids):
        try:
            application = Application.objects.select_related("clause").get(pk=pk)
            due = application.correction_due
            application_transition(
                application=application,
                user=actor,
                action=Action.LAPSE,
                comment=f"补正期限（{due:%Y年%m月%d日}）已过，未补正，视为放弃申报。",
                system=True,
            )
            lapsed.append(pk)
        except Exception:
            logger.exception("case %s not lapsed", pk)
    return lapsed
