"""Reads of the review side: queues (computed in the database), the case's checks, conflicts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.selectors import (
    ONE_LEVEL_MESSAGE,
    OTHER_LEVEL,
    acted_at_other_level,
    acting_level,
    application_condition,
    application_scope,
)
from applications.workflow import CITY_DESK, Action, Level, Status
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_for_user
from policies import engine
from portal.accounts.models import Role, User
from portal.core import statements, text
from reviews.models import (
    CaseReview,
    ConflictDeclaration,
    ConflictOverride,
    MaterialCheck,
    NoticeBatch,
    NoticeEntry,
    Objection,
)
from reviews.reference import SOON_WORKDAYS as SOON_WORKDAYS
from reviews.reference import queue_reference

REVIEW_STATUSES = (Status.DISTRICT_REVIEW, Status.CITY_REVIEW)
CITY_STEP_STATUSES = (Status.CITY_REVIEW, Status.APPROVED, Status.IN_NOTICE)


def current_level(application: Application) -> str:
    """The level whose desk the case is on now ("" when nobody's)."""
    status = application.status
    if status == Status.DISTRICT_REVIEW:
        return Level.DISTRICT
    if status in CITY_STEP_STATUSES or status == Status.PROPOSED:
        return Level.CITY
    if status == Status.SUBMITTED:
        return Level.CITY if application.clause.review_path == "city_only" else Level.DISTRICT
    if status == Status.RETURNED:
        return Level.DISTRICT if application.returned_from == Status.DISTRICT_REVIEW else Level.CITY
    return ""


def _queue_condition(user) -> Q | None:
    """The cases on ``user``'s desk: the desk's statuses, less those of the other level.

    Written as "one of these statuses and not those cases" rather than as an OR of (status,
    ...) pairs: PostgreSQL plans the OR several times slower (it weighs a bitmap path per
    status index for every arm) and the first term lets it read the desk's index."""
    city_only = Q(clause__review_path="city_only")
    if user.role == Role.DISTRICT_REVIEWER:
        return (
            Q(status__in=(Status.DISTRICT_REVIEW, Status.SUBMITTED, Status.RETURNED))
            & ~(Q(status=Status.SUBMITTED) & city_only)
            & ~(Q(status=Status.RETURNED) & ~Q(returned_from=Status.DISTRICT_REVIEW))
        )
    if user.role == Role.CITY_REVIEWER:
        return (
            Q(status__in=CITY_DESK)  # application_city_desk_idx
            & ~(Q(status=Status.SUBMITTED) & ~city_only)
            & ~(Q(status=Status.RETURNED) & ~Q(returned_from=Status.CITY_REVIEW))
        )
    if user.role in (Role.LEADER, Role.SYS_ADMIN):
        return ~Q(status=Status.DRAFT)
    return None


def conflicted_cases(user) -> Q:
    """Cases of enterprises ``user`` declared a relationship with, and no override allows."""
    declared = ConflictDeclaration.objects.filter(
        reviewer=user, withdrawn_at__isnull=True, credit_code=OuterRef("enterprise__credit_code")
    )
    overridden = ConflictOverride.objects.filter(reviewer=user, application=OuterRef("pk"))
    return Q(Exists(declared)) & ~Q(Exists(overridden))


def queue_scope(user, *, today: dt.date | None = None) -> QuerySet[Application]:
    """The cases of ``user``'s queue with the columns the queue shows, all in one query."""
    condition = _queue_condition(user) if getattr(user, "is_authenticated", False) else None
    if condition is None:
        return Application.objects.none()
    today = today or timezone.localdate()
    soon = queue_reference(today).soon  # add_workdays(today, SOON_WORKDAYS), cached
    qs = application_scope(user).filter(condition)
    if user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER):
        qs = qs.exclude(conflicted_cases(user))
    return (
        qs.select_related("review__assignee")
        .annotate(
            amount_fen=Coalesce("approved_amount_fen", "estimated_amount_fen"),
            urgency=Case(
                When(due_on__lt=today, then=Value("overdue")),
                When(due_on__lte=soon, then=Value("soon")),
                default=Value(""),
                output_field=CharField(),
            ),
            assigned_here=ExpressionWrapper(
                Q(review__status=F("status")) & Q(review__assignee__isnull=False),
                output_field=BooleanField(),
            ),
        )
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


# --- the queue as built for a user and a query, kept a minute in the process ---------------
# Building the queue (scope, conditions, filters, annotations) costs more Python time than the
# page's query: a reviewer paging or returning to the queue reuses the QuerySet built for the
# same user, role, district, query and day (never evaluated itself: each use takes a clone).
# Nothing it reads goes stale with it: the conflict and district conditions are evaluated by
# the database at each use; only codes to ids of the reference data (cached longer) are fixed.
# Its pages' statements are kept too (``portal.core.statements``): compiling the rows' SELECT
# (two joins, four annotations) cost more Python time than running it.
RECENT_SECONDS = 60
RECENT_MAX = 512
_recent: OrderedDict[tuple, tuple[float, QuerySet[Application]]] = OrderedDict()
_recent_lock = threading.Lock()


def queue_key(user, query: list[tuple[str, list[str]]], today: dt.date) -> tuple:
    """What a built queue depends on: the user as it is now, the query (without the page)."""
    asked = tuple(sorted((k, tuple(v)) for k, v in query))
    return (user.pk, user.role, user.district_id, user.is_active, today, asked)


def recent_queue(key: tuple) -> QuerySet[Application] | None:
    """A clone of the queue built under ``key`` in the last minute, or None."""
    with _recent_lock:
        found = _recent.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        _recent.move_to_end(key)
        return found[1].all()


def remember_queue(key: tuple, queue: QuerySet[Application]) -> None:
    with _recent_lock:
        _recent[key] = (time.monotonic() + RECENT_SECONDS, queue.all())
        _recent.move_to_end(key)
        while len(_recent) > RECENT_MAX:
            _recent.popitem(last=False)


def forget_queues() -> None:
    with _recent_lock:
        _recent.clear()


# the columns a queue row shows, as plain dicts (names of districts, clauses and reviewers from
# ``reviews.reference``): two joins (the enterprise; the review, left) where the model
# instances took seven
QUEUE_COLUMNS = (
    "id",
    "created_at",
    "enterprise__name",
    "district_id",
    "clause_id",
    "status",
    "amount_fen",
    "due_on",
    "urgency",
    "assigned_here",
    "review__assignee_id",
)
QUEUE_PAGE_SIZE = 25
ESTIMATE_SECONDS = 60


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its rows (dicts of ``QUEUE_COLUMNS``) and how many cases the
    queue holds: exact when the rows tell (the last page), else PostgreSQL's estimate
    (``count_is_estimate``; an exact ``COUNT(*)`` over the joins cost more than the page)."""

    number: int
    object_list: list[dict]
    has_next: bool
    count: int
    count_is_estimate: bool = False
    per_page: int = QUEUE_PAGE_SIZE

    @property
    def paginator(self) -> QueuePage:
        return self  # callers written for Django's ``Page`` read ``page.paginator.count``

    @property
    def count_label(self) -> str:
        return f"约 {self.count:,}" if self.count_is_estimate else f"{self.count:,}"

    @property
    def num_pages(self) -> int | None:
        """None when the count is an estimate (the last page is not known)."""
        if self.count_is_estimate:
            return None
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        """The page before, or the last page when this one is past the end."""
        return min(self.number - 1, self.num_pages or self.number - 1)

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def queue_page(
    queue: QuerySet[Application],
    number: object,
    *,
    estimate_key: str,
    per_page: int = QUEUE_PAGE_SIZE,
    memo_key: tuple | None = None,
) -> QueuePage:
    """Page ``number`` (1 when not a positive integer) of a filtered ``queue_scope`` as dicts.

    One query for the rows, one more than the page to know whether a next page exists. The
    count is exact when the rows tell it (no next page); otherwise it is the planner's
    estimate (EXPLAIN, not run; ``estimate_key`` names the user and the filters, so the
    estimate is reused for a minute without compiling the statement again), at least the
    cases seen so far plus one. A page past the
    end has no rows and the exact count (one more query). ``memo_key``: the key ``queue`` was
    remembered under (``remember_queue``); the page's compiled statement is kept with it."""
    number = text.page_number(number)
    rows_qs = queue.values(*QUEUE_COLUMNS)
    offset = (number - 1) * per_page
    if memo_key is None:
        rows = list(rows_qs[offset : offset + per_page + 1])
    else:
        rows = statements.kept_rows(
            ("reviews.queue", memo_key, offset, per_page),
            lambda: rows_qs[offset : offset + per_page + 1],
        )
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    seen = offset + len(rows)
    if not has_next and (rows or number == 1):
        return QueuePage(number, rows, False, seen, per_page=per_page)
    if has_next:
        estimate = _estimated_count(queue, estimate_key)
        if estimate is None:  # not PostgreSQL: count
            return QueuePage(number, rows, True, queue.count(), per_page=per_page)
        return QueuePage(number, rows, True, max(estimate, seen + 1), True, per_page)
    # past the end (the queue shrank, or a typed page number): no rows, the exact count
    # (the page links back to the last page)
    return QueuePage(number, [], False, queue.count(), per_page=per_page)


def queue_assignee_names(rows: list[dict], known: dict[int, str]) -> dict[int, str]:
    """``str(user)`` of the reviewers holding the rows' cases: ``known`` (the cached reviewers),
    plus one query only for any who are not there (e.g. whose role changed since)."""
    missing = {
        row["review__assignee_id"]
        for row in rows
        if row["assigned_here"] and row["review__assignee_id"] not in known
    }
    if not missing:
        return known
    found = User.objects.filter(pk__in=missing).values_list("pk", "name", "username")
    return {**known, **{pk: name or username for pk, name, username in found}}


def _estimated_count(queue: QuerySet, key: str) -> int | None:
    """How many rows PostgreSQL expects ``queue`` to hold (planned, not run; reused for a
    minute under ``key``, which must name the user and the filters); None elsewhere."""
    qs = queue.order_by().values("pk")
    if connections[qs.db].vendor != "postgresql":
        return None
    key = "reviews:queue-estimate:" + hashlib.sha256(key.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        sql, params = qs.query.sql_with_params()
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        found = int(plan[0]["Plan"]["Plan Rows"])
        cache.set(key, found, ESTIMATE_SECONDS)
    return found


def assignee_of(application: Application) -> User | None:
    """The reviewer holding the case at its current step (the assignment of an earlier step
    does not count)."""
    review = getattr(application, "review", None) if _has_review(application) else None
    if review and review.status == application.status:
        return review.assignee
    return None


def _has_review(application: Application) -> bool:
    try:
        application.review  # noqa: B018 - the reverse one-to-one raises when missing
    except CaseReview.DoesNotExist:
        return False
    return True


def reviewers_for(application: Application) -> QuerySet[User]:
    """Active reviewers who could hold the case at its current step (for the assign list)."""
    level = current_level(application)
    qs = User.objects.filter(is_active=True).exclude(username="system")
    if level == Level.DISTRICT:
        qs = qs.filter(role=Role.DISTRICT_REVIEWER, district_id=application.enterprise.district_id)
    elif level == Level.CITY:
        qs = qs.filter(role=Role.CITY_REVIEWER)
    else:
        return qs.none()
    declared = ConflictDeclaration.objects.filter(
        reviewer=OuterRef("pk"),
        withdrawn_at__isnull=True,
        credit_code=application.enterprise.credit_code,
    )
    other_level = ApplicationEvent.objects.filter(
        application_id=application.pk, actor=OuterRef("pk"), level=OTHER_LEVEL[level]
    )
    return qs.exclude(Exists(declared)).exclude(Exists(other_level)).order_by("username")


def conflict_reason(user, application: Application) -> str:
    """Why ``user`` must stay away from this case ("" when they need not)."""
    declaration = ConflictDeclaration.objects.filter(
        reviewer=user, withdrawn_at__isnull=True, credit_code=application.enterprise.credit_code
    ).first()
    if declaration is None:
        return ""
    if ConflictOverride.objects.filter(application=application, reviewer=user).exists():
        return ""
    return (
        f"您已申报与{application.enterprise.name}存在利害关系（{declaration.relationship}），"
        "须回避该企业的案件；确需办理的，须经另一名审核人员批准。"
    )


def review_round(application: Application) -> int:
    """1, then one more after each return for correction or objection (a new look at it)."""
    again = application.events.filter(
        action__in=[Action.RETURN_FOR_CORRECTION, Action.OBJECT]
    ).count()
    return 1 + again


def current_checks(application: Application) -> dict[tuple[str, str], MaterialCheck]:
    """The latest check per (kind, target) at the current step and round."""
    rows = MaterialCheck.objects.filter(
        application=application, status=application.status, round=review_round(application)
    ).select_related("reviewer")
    latest: dict[tuple[str, str], MaterialCheck] = {}
    for row in rows.order_by("created_at", "id"):
        latest[(row.kind, row.target)] = row
    return latest


def review_items(application: Application) -> list[tuple[str, str, str]]:
    """What a reviewer checks at each step: every required material and every fact of the
    clause, as ``(kind, target, label)``."""
    items = [(MaterialCheck.Kind.MATERIAL, m, m) for m in application.clause.materials or []]
    items += [
        (MaterialCheck.Kind.FACT, spec.name, spec.label)
        for spec in engine.get_clause(application.clause.code).facts
    ]
    return items


def unchecked_items(application: Application) -> list[str]:
    """The items with no check at the current step and round (a new round starts after each
    return for correction or objection, so corrected items are looked at again), labelled."""
    done = current_checks(application)
    return [
        f"{'材料' if kind == MaterialCheck.Kind.MATERIAL else '数据'}“{label}”"
        for kind, target, label in review_items(application)
        if (kind, target) not in done
    ]


def _fact_corrections(application: Application) -> QuerySet[MaterialCheck]:
    return (
        MaterialCheck.objects.filter(
            application=application, kind=MaterialCheck.Kind.FACT, verified_value__isnull=False
        )
        .select_related("reviewer", "confirmed_by")
        .order_by("created_at", "id")
    )


def pending_raises(application: Application) -> list[MaterialCheck]:
    """The latest correction of each fact when it raises the figure and no second reviewer
    has confirmed it yet (it is not in force; approval waits for it)."""
    latest: dict[str, MaterialCheck] = {}
    for row in _fact_corrections(application):
        latest[row.target] = row
    return [row for row in latest.values() if row.raise_pending]


def fact_value_text(spec: engine.FactSpec | None, value: object) -> str:
    return spec.display(value) if spec else str(value)


def fact_raises(application: Application) -> list[dict]:
    """Every raised verified value of the case (shown in red to the next level), with who
    raised it, on which material, and who confirmed it."""
    specs = {s.name: s for s in engine.get_clause(application.clause.code).facts}
    labels = {name: spec.label for name, spec in specs.items()}
    rows = list(_fact_corrections(application))
    latest = {row.target: row.pk for row in rows}
    found = []
    for row in rows:
        if not row.raises:
            continue
        if row.confirmed_at:
            state, state_label = "confirmed", "已复核确认"
        elif latest[row.target] == row.pk:
            state, state_label = "pending", "待另一名审核人员复核（未生效）"
        else:
            state, state_label = "superseded", "已被后续核实值替代"
        found.append(
            {
                "id": row.pk,
                "fact": row.target,
                "label": labels.get(row.target, row.target),
                "declared": row.declared_value,
                "verified": row.verified_value,
                "declared_text": fact_value_text(specs.get(row.target), row.declared_value),
                "verified_text": fact_value_text(specs.get(row.target), row.verified_value),
                "evidence": row.evidence,
                "level": row.level,
                "level_label": Level(row.level).label if row.level else "",
                "reviewer": str(row.reviewer),
                "created_at": row.created_at,
                "confirmed_by": str(row.confirmed_by) if row.confirmed_by_id else None,
                "confirmed_at": row.confirmed_at,
                "state": state,
                "state_label": state_label,
            }
        )
    return found


def verified_facts(application: Application) -> tuple[dict, dict[str, dict]]:
    """The facts as verified by reviewers (latest correction of each fact in force wins), and
    the corrections ``{name: {"declared": ..., "verified": ...}}``. A raise that no second
    reviewer has confirmed is not in force."""
    facts = dict(application.facts)
    corrections: dict[str, dict] = {}
    for row in _fact_corrections(application):
        if row.raise_pending:
            continue
        if row.verified_value != application.facts.get(row.target):
            corrections[row.target] = {
                "declared": application.facts.get(row.target),
                "verified": row.verified_value,
            }
        else:
            corrections.pop(row.target, None)
        facts[row.target] = row.verified_value
    return facts, corrections


def check_history(application: Application) -> QuerySet[MaterialCheck]:
    return MaterialCheck.objects.filter(application=application).select_related(
        "reviewer", "confirmed_by"
    )


def check_history_shown(application: Application) -> list[MaterialCheck]:
    """The history for the page: each fact row named by its label, values in words."""
    specs = {s.name: s for s in engine.get_clause(application.clause.code).facts}
    rows = list(check_history(application))
    for row in rows:
        spec = specs.get(row.target) if row.kind == MaterialCheck.Kind.FACT else None
        row.target_label = spec.label if spec else row.target
        row.declared_text = fact_value_text(spec, row.declared_value)
        row.verified_text = fact_value_text(spec, row.verified_value)
    return rows


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""


def review_permission(user, application: Application) -> Permission:
    """Whether ``user`` may act on the case's current step, and if not, why (for the page)."""
    level = current_level(application)
    if not level:
        return Permission(False, f"案件当前状态为“{application.get_status_display()}”，无需审核。")
    if acting_level(user, application) != level:
        who = "企业所在区县审核人员" if level == Level.DISTRICT else "市工信局审核人员"
        return Permission(False, f"当前环节由{who}办理，您只能查看。")
    if acted_at_other_level(user, application, level):
        done = "区县初审" if level == Level.CITY else "市级复审"
        return Permission(False, f"您已办理过该案件的{done}；{ONE_LEVEL_MESSAGE}您只能查看。")
    reason = conflict_reason(user, application)
    if reason:
        return Permission(False, reason)
    return Permission(True)


# --- notices --------------------------------------------------------------------------


def notice_entry_scope(user) -> QuerySet[NoticeEntry]:
    """The notice entries of the cases ``user`` may read (a district leader: its district's),
    with their objections."""
    condition = application_condition(user, "application__")
    if condition is None:
        return NoticeEntry.objects.none()
    return (
        NoticeEntry.objects.filter(condition)
        .select_related("batch", "application__enterprise", "application__clause__policy")
        .prefetch_related("objections__user", "objections__enterprise", "objections__decided_by")
        .order_by("batch_id", "id")
    )


def notice_batch_list(user, *, ended_on: dt.date | None = None) -> QuerySet[NoticeBatch]:
    """The notice batches holding a case ``user`` may read, each with only those entries
    (with ``ended_on``: only those whose period ended before that day and not yet closed)."""
    condition = application_condition(user, "entries__application__")
    if condition is None:
        return NoticeBatch.objects.none()
    qs = NoticeBatch.objects.select_related("created_by")
    if ended_on is not None:
        qs = qs.filter(closed_at__isnull=True, closes_on__lt=ended_on)
    if condition:  # held to a district: the batches with one of its cases
        qs = qs.filter(pk__in=NoticeBatch.objects.filter(condition).values("pk"))
    entries = Prefetch("entries", queryset=notice_entry_scope(user))
    return qs.prefetch_related(entries).order_by("-opens_on", "-id")


def objector_enterprise(user):
    """The verified enterprise under whose identity ``user`` may object (None if none)."""
    enterprise = enterprise_for_user(user)
    if enterprise is None or enterprise.verification_status != Enterprise.Status.VERIFIED:
        return None
    return enterprise


def objector_permission(user) -> Permission:
    """May ``user`` file an objection to a public notice, and if not, why (for the page)."""
    if not getattr(user, "is_authenticated", False):
        return Permission(False, "异议须实名提出，请先登录已通过核验的企业账号。")
    if not user.is_active:
        return Permission(False, "账号已停用，不能提出异议。")
    if user.role != Role.ENTERPRISE:
        return Permission(
            False,
            "公示异议须以已通过核验的企业账号实名提出；工作人员发现问题请通过审核程序反映。",
        )
    enterprise = enterprise_for_user(user)
    if enterprise is None:
        return Permission(False, "您的账号未关联企业，不能提出异议；请先完成企业注册和核验。")
    if enterprise.verification_status != Enterprise.Status.VERIFIED:
        return Permission(
            False,
            f"您的企业“{enterprise.name}”尚未通过核验（{enterprise.get_verification_status_display()}），"
            "核验通过后才能实名提出异议。",
        )
    return Permission(True)


def can_triage_objections(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.CITY_REVIEWER


def objection_scope(user) -> QuerySet[Objection]:
    """The objections to the cases ``user`` may read (a district leader: its district's)."""
    condition = application_condition(user, "entry__application__")
    if condition is None:
        return Objection.objects.none()
    return (
        Objection.objects.filter(condition)
        .select_related(
            "user", "enterprise", "decided_by", "entry__batch", "entry__application__enterprise"
        )
        .order_by("-created_at", "-id")
    )


def notice_public_entries(*, today: dt.date | None = None) -> QuerySet[NoticeEntry]:
    """Cases in a notice whose window is open today (objected cases are out)."""
    today = today or timezone.localdate()
    return (
        NoticeEntry.objects.filter(
            removed_at__isnull=True,
            batch__opens_on__lte=today,
            batch__closes_on__gte=today,
            application__status=Status.IN_NOTICE,
        )
        .select_related("batch", "application__enterprise", "application__clause__policy")
        .order_by("batch__opens_on", "batch_id", "id")
    )


def notice_candidates(user) -> QuerySet[Application]:
    """Approved cases a city reviewer can put into a notice."""
    if getattr(user, "role", None) != Role.CITY_REVIEWER:
        return Application.objects.none()
    return (
        application_scope(user)
        .filter(status=Status.APPROVED)
        .exclude(conflicted_cases(user))
        .order_by("id")
    )


def audit_events(
    *,
    user,
    actor: str = "",
    application: str = "",
    enterprise: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[ApplicationEvent]:
    condition = application_condition(user, "application__")
    if condition is None:
        return ApplicationEvent.objects.none()
    qs = ApplicationEvent.objects.filter(condition).select_related(
        "actor", "application__enterprise", "application__clause"
    )
    if actor:
        qs = qs.filter(Q(actor__username=actor) | Q(actor__name__contains=actor))
    if application:
        number = text.parse_int(application.upper().split("-")[-1])
        qs = qs.none() if number is None else qs.filter(application_id=number)
    if enterprise:
        qs = qs.filter(
            Q(application__enterprise__name__contains=enterprise)
            | Q(application__enterprise__credit_code=enterprise.upper())
        )
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs.order_by("-created_at", "-id")
