"""The enterprise's answer to a proposal, and the expiry of proposals left unanswered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from applications.models import Application
from applications.services import COMMITMENT_TEXT, application_transition
from applications.workflow import Action, Status
from portal.accounts.system import system_user
from portal.core.errors import DomainError
from portal.core.workdays import add_workdays


def expiry_workdays() -> int:
    return settings.PORTAL_PROPOSAL_EXPIRY_WORKDAYS


def proposal_deadline(application: Application) -> dt.date:
    """The last day the enterprise can confirm: N working days after the proposal."""
    return add_workdays(timezone.localdate(application.created_at), expiry_workdays())


@transaction.atomic
def proposal_confirm(*, application: Application, user, commitment_accepted: bool) -> Application:
    """意愿确认: the enterprise accepts the figures, amount and account -> city review."""
    if not commitment_accepted:
        message = "请核对数据、金额和银行账户，并勾选信用承诺后确认。"
        raise DomainError(message, errors={"commitment": message})
    if application.status == Status.PROPOSED and timezone.localdate() > proposal_deadline(
        application
    ):
        raise DomainError("该待确认事项已超过确认期限。")
    now = timezone.now()
    application_transition(
        application=application,
        user=user,
        action=Action.CONFIRM,
        data={"estimated_amount_fen": application.estimated_amount_fen, "proactive": True},
        updates={
            "submitted_at": now,
            "commitment_text": COMMITMENT_TEXT,
            "commitment_signed_at": now,
            "commitment_user": user,
        },
    )
    return application


def proposal_decline(*, application: Application, user, reason: str) -> Application:
    """The enterprise declines (withdrawn, with its reason); no later run proposes it again."""
    application_transition(
        application=application, user=user, action=Action.WITHDRAW, comment=reason
    )
    return application


def proposals_expire(*, today: dt.date | None = None) -> int:
    """Withdraw proposals past their deadline through the workflow (action ``expire``, as the
    system user); repeatable: a proposal already expired or answered is skipped."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    candidates = (
        Application.objects.filter(status=Status.PROPOSED)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("pk", "day")
        .order_by("pk")
    )
    deadlines: dict[dt.date, dt.date] = {}
    comment = f"超过{expiry_workdays()}个工作日未确认，视为放弃。"
    actor, expired = system_user(), 0
    for pk, day in candidates.iterator():
        if day not in deadlines:
            deadlines[day] = add_workdays(day, expiry_workdays())
        if today <= deadlines[day]:
            continue
        application = Application.objects.get(pk=pk)
        if application.status != Status.PROPOSED:
            continue  # answered meanwhile
        try:
            application_transition(
                application=application, user=actor, action=Action.EXPIRE, comment=comment,
                system=True,
            )  # fmt: skip
        except DomainError:
            continue  # the enterprise answered at the same moment: its answer wins
        expired += 1
    return expired
