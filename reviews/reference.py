"""Reference data of the review queue: the filter's policies, clauses and districts, the names a
queue row shows beside a district or clause id, and today's amber date. Cached for five minutes
per process: 0 queries warm, 1 cold (one UNION over the three tables and the calendar's
overrides), so a cold queue page stays within its query budget and the queue's own query joins
no reference table. The rows are ``policies.reference``'s (as the dashboards'), plus the
calendar's overrides and the reviewers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from policies.reference import ref_row, reference_rows
from portal.accounts.models import Role, User
from portal.core import workdays
from portal.core.models import WorkdayOverride

SOON_WORKDAYS = 2  # due within this many working days: amber in the queue
TTL_SECONDS = 300
REVIEWER_ROLES = (Role.DISTRICT_REVIEWER.value, Role.CITY_REVIEWER.value)
CALENDAR_DAYS = workdays.overrides_reach(SOON_WORKDAYS)


@dataclass(frozen=True)
class QueueReference:
    policies: list[tuple[str, str]]  # (code, document number), by code
    clauses: list[tuple[str, str]]  # (code, "郑政文〔2022〕155号 第5条 …") by policy and article
    districts: list[tuple[str, str]]  # (code, name) of the active districts, in their order
    district_ids: dict[str, int]  # code -> id, every district
    district_names: dict[int, str]  # id -> name, every district
    clause_labels: dict[int, str]  # clause id -> its name as people read it
    clause_ids: dict[str, int]  # clause code -> id
    policy_clause_ids: dict[str, list[int]]  # policy code -> its clauses' ids
    soon: dt.date  # the last due date that is still amber today
    # active reviewers to assign to: role -> [(district id or 0, username, shown name)], by
    # username (the assign service checks the assignee again, so five minutes stale is safe)
    reviewers: dict[str, list[tuple[int, str, str]]]
    reviewer_names: dict[int, str]  # user id -> ``str(user)`` of every reviewer, active or not

    def assignees(self, user) -> list[tuple[str, str]]:
        """(username, name) of whom ``user`` may assign cases to: its role, its district."""
        district = (user.district_id or 0) if user.role == Role.DISTRICT_REVIEWER else None
        return [
            (username, name)
            for district_id, username, name in self.reviewers.get(user.role, [])
            if district is None or district_id == district
        ]


def queue_reference(today: dt.date | None = None) -> QueueReference:
    today = today or timezone.localdate()
    key = f"reviews:queue-reference:{today:%Y%m%d}"
    return cache.get_or_set(key, lambda: _load(today), TTL_SECONDS)


def _load(today: dt.date) -> QueueReference:
    empty, zero = Value("", CharField()), Value(0, IntegerField())
    end = today + dt.timedelta(days=CALENDAR_DAYS)
    calendar = WorkdayOverride.objects.filter(day__range=(today, end)).values(
        **ref_row("w", pk=F("id"), code=Cast("day", CharField()), active=F("is_workday"))
    )
    # the kind of a reviewer's row is its role
    reviewers = User.objects.filter(role__in=REVIEWER_ROLES).values(
        **ref_row(F("role"), pk=F("id"), code=F("username"),
                  label=Coalesce(NullIf("name", empty), "username"),
                  number=Coalesce("district_id", zero), active=F("is_active")),
    )  # fmt: skip
    # one statement for the three tables, the calendar and the reviewers
    by_kind = reference_rows(calendar, reviewers)
    for kind in ("w", *REVIEWER_ROLES):
        by_kind.setdefault(kind, [])
    policy_clause_ids: dict[str, list[int]] = {r["ref_code"]: [] for r in by_kind["p"]}
    for r in by_kind["c"]:
        policy_clause_ids.setdefault(r["ref_label"], []).append(r["ref_id"])
    # a clause's row: label its policy's code, number its article, name what pages show
    by_article = sorted(by_kind["c"], key=lambda r: (r["ref_label"], r["ref_number"]))
    overrides = {dt.date.fromisoformat(r["ref_code"]): r["ref_active"] for r in by_kind["w"]}
    return QueueReference(
        policies=sorted((r["ref_code"], r["ref_label"]) for r in by_kind["p"]),
        clauses=[(r["ref_code"], r["ref_name"]) for r in by_article],
        districts=[
            (r["ref_code"], r["ref_label"])
            for r in sorted(by_kind["d"], key=lambda r: (r["ref_number"], r["ref_code"]))
            if r["ref_active"]
        ],
        district_ids={r["ref_code"]: r["ref_id"] for r in by_kind["d"]},
        district_names={r["ref_id"]: r["ref_label"] for r in by_kind["d"]},
        clause_labels={r["ref_id"]: r["ref_name"] for r in by_kind["c"]},
        clause_ids={r["ref_code"]: r["ref_id"] for r in by_kind["c"]},
        policy_clause_ids=policy_clause_ids,
        soon=workdays.add_workdays_with(today, SOON_WORKDAYS, overrides),
        reviewers={
            role: [
                (r["ref_number"], r["ref_code"], r["ref_label"])
                for r in sorted(by_kind[role], key=lambda r: r["ref_code"])
                if r["ref_active"]
            ]
            for role in REVIEWER_ROLES
        },
        reviewer_names={
            r["ref_id"]: r["ref_label"] for role in REVIEWER_ROLES for r in by_kind[role]
        },
    )
