"""The review case read model: what the reviewer's case page and ``GET /api/v1/reviews/cases/<id>/``
both show, read once (who may act and why not, the step, the assignee, the ceiling under the
policy, raised values, what is still unchecked, the timeline). The page and the API only lay
it out."""

from __future__ import annotations

from dataclasses import dataclass

from applications.models import Application, ApplicationEvent
from applications.selectors import application_events
from portal.accounts.models import User
from portal.core.errors import DomainError
from reviews import selectors
from reviews.ceiling import Ceiling
from reviews.services.cases import approval_ceiling


@dataclass(frozen=True)
class ReviewCase:
    application: Application
    permission: selectors.Permission
    level: str
    assignee: User | None
    in_review: bool
    ceiling: Ceiling | None
    ceiling_error: str  # why the ceiling could not be computed (bad facts), else ""
    raised: list[dict]  # verified values raised above the declared ones
    unchecked: list[str]  # items not yet checked at this step (in review only)
    events: list[ApplicationEvent]  # the staff timeline


def review_case(user, application: Application) -> ReviewCase:
    permission = selectors.review_permission(user, application)
    level = selectors.current_level(application)
    in_review = application.status in selectors.REVIEW_STATUSES
    ceiling, ceiling_error = None, ""
    if permission.allowed and in_review:
        try:
            ceiling = approval_ceiling(application, level=level)
        except DomainError as exc:
            ceiling_error = exc.message
    return ReviewCase(
        application=application,
        permission=permission,
        level=level,
        assignee=selectors.assignee_of(application),
        in_review=in_review,
        ceiling=ceiling,
        ceiling_error=ceiling_error,
        raised=selectors.fact_raises(application),
        unchecked=selectors.unchecked_items(application) if in_review else [],
        events=list(application_events(application, for_enterprise=False)),
    )
