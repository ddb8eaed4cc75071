"""How long each step may take, in Chinese working days (settings decide; defaults below).

``PORTAL_REVIEW_DEADLINES`` maps a step to working days; ``by_policy`` overrides per policy::

    PORTAL_REVIEW_DEADLINES = {
        "district_review": 5, "city_review": 10, "correction": 10, "notice": 5,
        "by_policy": {"zzw-2022-155": {"city_review": 15}},
    }
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from applications.workflow import Status
from portal.core.workdays import add_workdays

DEFAULT_DEADLINES: dict[str, int] = {
    "district_review": 5,
    "city_review": 10,
    "correction": 10,
    "notice": 5,
}
# The status whose clock each step's deadline runs on.
STEP_OF_STATUS: dict[str, str] = {
    Status.DISTRICT_REVIEW: "district_review",
    Status.CITY_REVIEW: "city_review",
    Status.RETURNED: "correction",
    Status.IN_NOTICE: "notice",
}


def step_days(step: str, clause=None) -> int:
    """Working days allowed for ``step`` (a key of DEFAULT_DEADLINES), per-policy override first."""
    configured = getattr(settings, "PORTAL_REVIEW_DEADLINES", {}) or {}
    if clause is not None:
        policy_code = getattr(getattr(clause, "policy", None), "code", "")
        override = (configured.get("by_policy") or {}).get(policy_code) or {}
        if step in override:
            return int(override[step])
    return int(configured.get(step, DEFAULT_DEADLINES[step]))


def due_on_for(status: str, clause=None, *, start: dt.date | None = None) -> dt.date | None:
    """The due date of the step a case enters with ``status`` (None: no clock runs)."""
    step = STEP_OF_STATUS.get(status)
    if step is None:
        return None
    return add_workdays(start or timezone.localdate(), step_days(step, clause))
