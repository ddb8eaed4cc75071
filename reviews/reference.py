"""Reference data of the review queue: the filter's policies, clauses and districts, the names a
queue row shows beside a district or clause id, and today's amber date. Cached for five minutes
per process: 0 queries warm, 1 cold (one UNION over the three tables and the calendar's
overrides), so a cold queue page stays within its query budget and the queue's own query joins
no reference table. The same pattern as ``dashboards.reference``, which the queue cannot
import (reviews sits below dashboards) and which does not carry the clause codes the queue's
filter and rows use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, CharField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils import timezone

from policies.models import Clause, Policy
from portal.accounts.models import District, Role, User
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


def _row(kind, *, pk, code, label, number, active) -> dict:
    return {
        "ref_kind": Value(kind, output_field=CharField()) if isinstance(kind, str) else kind,
        "ref_id": pk,
        "ref_code": code,
        "ref_label": label,
        "ref_number": number,
        "ref_active": active,
    }


def _article(code: str) -> int:
    """``zzw-2022-155/12`` -> 12, so 第2条 comes before 第12条."""
    tail = code.rpartition("/")[2]
    return int(tail) if tail.isdigit() else 0


def _load(today: dt.date) -> QueueReference:
    empty, zero = Value("", CharField()), Value(0, IntegerField())
    yes = Value(True, BooleanField())
    # one statement for the three tables and the calendar ("ref_" names avoid the models' own)
    policies = Policy.objects.values(
        **_row("p", pk=F("id"), code=F("code"), label=F("doc_number"), number=zero, active=yes)
    )
    districts = District.objects.values(
        **_row("d", pk=F("id"), code=F("code"), label=F("name"), number=F("sort_order"),
               active=F("active")),
    )  # fmt: skip
    # a clause's label is its name ("郑政文〔2022〕155号 第5条 …"), its number its policy's id
    name = Concat(
        "policy__doc_number", Value(" 第"), Cast("article", CharField()), Value("条 "), "title",
        output_field=CharField(),
    )  # fmt: skip
    clauses = Clause.objects.values(
        **_row("c", pk=F("id"), code=F("code"), label=name, number=F("policy_id"), active=yes)
    )
    end = today + dt.timedelta(days=CALENDAR_DAYS)
    calendar = WorkdayOverride.objects.filter(day__range=(today, end)).values(
        **_row("w", pk=F("id"), code=Cast("day", CharField()), label=empty, number=zero,
               active=F("is_workday")),
    )  # fmt: skip
    # the kind of a reviewer's row is its role
    reviewers = User.objects.filter(role__in=REVIEWER_ROLES).values(
        **_row(F("role"), pk=F("id"), code=F("username"),
               label=Coalesce(NullIf("name", empty), "username"),
               number=Coalesce("district_id", zero), active=F("is_active")),
    )  # fmt: skip
    parts = (policies, districts, clauses, calendar, reviewers)
    rows = list(parts[0].order_by().union(*(p.order_by() for p in parts[1:]), all=True))
    by_kind: dict[str, list[dict]] = {k: [] for k in ("p", "d", "c", "w", *REVIEWER_ROLES)}
    for row in rows:
        by_kind[row["ref_kind"]].append(row)
    policy_codes = {r["ref_id"]: r["ref_code"] for r in by_kind["p"]}
    policy_clause_ids: dict[str, list[int]] = {r["ref_code"]: [] for r in by_kind["p"]}
    for r in by_kind["c"]:
        policy_clause_ids.setdefault(policy_codes[r["ref_number"]], []).append(r["ref_id"])
    by_article = sorted(
        by_kind["c"], key=lambda r: (policy_codes[r["ref_number"]], _article(r["ref_code"]))
    )
    overrides = {dt.date.fromisoformat(r["ref_code"]): r["ref_active"] for r in by_kind["w"]}
    return QueueReference(
        policies=sorted((r["ref_code"], r["ref_label"]) for r in by_kind["p"]),
        clauses=[(r["ref_code"], r["ref_label"]) for r in by_article],
        districts=[
            (r["ref_code"], r["ref_label"])
            for r in sorted(by_kind["d"], key=lambda r: (r["ref_number"], r["ref_code"]))
            if r["ref_active"]
        ],
        district_ids={r["ref_code"]: r["ref_id"] for r in by_kind["d"]},
        district_names={r["ref_id"]: r["ref_label"] for r in by_kind["d"]},
        clause_labels={r["ref_id"]: r["ref_label"] for r in by_kind["c"]},
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
