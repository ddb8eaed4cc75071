"""Reads of the case file: the cases a user may see, the permission-checked fetch, checklists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from applications import workflow
from applications.models import Application, ApplicationEvent, Material, Notification
from applications.workflow import Level, Status
from enterprises.selectors import enterprise_condition, enterprise_for_user
from policies import engine
from policies.engine import periods
from policies.models import Clause
from portal.accounts.models import Role
from portal.core.errors import NotFound
from portal.core.text import parse_int

# Staff who read every case in their scope; only reviewers act (see workflow.LEVEL_ROLES).
CASE_READERS = frozenset(
    {Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.LEADER, Role.FINANCE, Role.SYS_ADMIN}
)


def application_condition(user, prefix: str = "") -> Q | None:
    """Which cases ``user`` may read, as a condition on the case reached through ``prefix``
    (e.g. ``"application__"`` from an event or a notice entry): ``Q()`` for all of them, None
    for none. Lists of rows that hang off a case are scoped with it, like the cases."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role != Role.ENTERPRISE and user.role not in CASE_READERS:
        return None
    return enterprise_condition(user, f"{prefix}enterprise__", district=f"{prefix}district_id")


def application_scope(user) -> QuerySet[Application]:
    """Every case ``user`` may read: the enterprise's own, the district's, or all."""
    qs = Application.objects.select_related(
        "enterprise", "enterprise__district", "clause", "clause__policy"
    )
    condition = application_condition(user)
    return qs.none() if condition is None else qs.filter(condition)


def access_application(user, application_id: object) -> Application:
    """One case if ``user`` may see it; otherwise NotFound, exactly as if it did not exist."""
    pk = parse_int(application_id)  # ASCII digits only: int() would take "٣" for 3
    if pk is None:
        raise NotFound()
    application = application_scope(user).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


def access_material(user, application_id: object, material_id: object) -> Material:
    application = access_application(user, application_id)
    pk = parse_int(material_id)
    if pk is None:
        raise NotFound()
    material = application.materials.filter(pk=pk).first()
    if material is None:
        raise NotFound()
    return material


def application_list(
    *, user, status: str = "", clause: str = "", period: str = ""
) -> QuerySet[Application]:
    qs = application_scope(user)
    if status:
        qs = qs.filter(status=status)
    if clause:
        qs = qs.filter(clause__code=clause)
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-created_at", "-id")


def application_events(
    application: Application, *, for_enterprise: bool
) -> QuerySet[ApplicationEvent]:
    qs = application.events.select_related("actor").prefetch_related("items")
    if for_enterprise:
        qs = qs.filter(visible_to_enterprise=True)
    return qs.order_by("created_at", "id")


def active_materials(application: Application) -> dict[str, Material]:
    return {m.item: m for m in application.materials.filter(active=True).order_by("item")}


@dataclass(frozen=True)
class ChecklistRow:
    item: str
    material: Material | None
    history: tuple[Material, ...]


def material_checklist(application: Application) -> list[ChecklistRow]:
    """Each material the clause asks for, its current file and the files it replaced."""
    all_materials = list(application.materials.select_related("uploaded_by"))
    rows = []
    for item in application.clause.materials or []:
        versions = [m for m in all_materials if m.item == item]
        current = next((m for m in versions if m.active), None)
        old = tuple(m for m in versions if not m.active)
        rows.append(ChecklistRow(item, current, old))
    return rows


def fact_errors(application: Application) -> dict[str, str]:
    """The engine's complaints about the stored facts (missing required facts included)."""
    try:
        engine.get_clause(application.clause.code).calculate(application.facts, None)
    except engine.EngineError as exc:
        return dict(exc.errors)
    return {}


def submit_problems(application: Application, *, on: dt.date | None = None) -> list[str]:
    """Every reason the enterprise cannot submit now, in Chinese; empty when it can."""
    from enterprises.services import enterprise_can_submit

    today = on or timezone.localdate()
    problems = []
    clause = application.clause
    if application.status != Status.DRAFT:
        problems.append(f"案件当前状态为“{application.get_status_display()}”，不能提交。")
    if not clause.window_open_on(today):
        problems.append(f"该条款申报时间为{window_label(clause)}，当前不在申报期内。")
    allowed, reason = enterprise_can_submit(application.enterprise, on=today)
    if not allowed:
        problems.append(reason)
    problems.extend(f"申报数据：{message}" for message in fact_errors(application).values())
    uploaded = active_materials(application)
    missing = [item for item in clause.materials or [] if item not in uploaded]
    if missing:
        problems.append("尚未上传材料：" + "、".join(missing) + "。")
    duplicate = duplicate_of(application)
    if duplicate:
        problems.append(duplicate_message(duplicate))
    return problems


def duplicate_of(application: Application) -> Application | None:
    """Another live case of the same enterprise, clause and award (``award_key``: the period
    and subject the clause pays for, not the period as typed)."""
    return (
        Application.objects.filter(
            enterprise_id=application.enterprise_id,
            clause_id=application.clause_id,
            award_key=application.award_key,
        )
        .exclude(status__in=workflow.CLAIMING_EXCLUDED)
        .exclude(pk=application.pk)
        .order_by("created_at", "id")
        .first()
    )


def award_rule(clause: Clause) -> str:
    """What one award of ``clause`` is for, in Chinese (the new-case page lists it)."""
    return periods.describe(engine.get_clause(clause.code))


def duplicate_message(existing: Application) -> str:
    clause = engine.get_clause(existing.clause.code)
    kind = periods.paid_per(clause)
    if existing.subject:
        what = f"同一{existing.subject_label}“{existing.subject}”"
    elif kind == periods.ONCE or clause.fixed_period:
        what = "该一次性奖励"
    else:
        what = periods.period_label(existing.period)
    return (
        f"本企业已就该条款{what}申报过（案件编号 {existing.number}，"
        f"状态：{existing.get_status_display()}），同一奖励不能重复申报。"
    )


def window_label(clause: Clause) -> str:
    """The clause's current 申报批次 in words, from the one source the pages use too."""
    window = clause.window_on()
    if window.current is None:
        return "未设申报批次"
    return f"{window.current.name}（{window.current.dates}，{window.label}）"


def clauses_for_application(*, on: dt.date | None = None) -> tuple[list[Clause], list[Clause]]:
    """(open, closed) clauses an enterprise can file. 免申即享 clauses are included: the system
    proposes them from department data, and an enterprise whose data the departments lack may
    still apply (the one-case-per-clause-and-period rule keeps a proposal and an application
    from both existing)."""
    today = on or timezone.localdate()
    clauses = Clause.objects.select_related("policy").prefetch_related("batches")
    open_, closed = [], []
    for clause in clauses.order_by("policy__code", "article"):
        (open_ if clause.window_open_on(today) else closed).append(clause)
    return open_, closed


def acting_level(user, application: Application) -> str:
    """The level at which ``user`` would act on this case, or "" (not a party to it)."""
    role = getattr(user, "role", None)
    if role == Role.ENTERPRISE:
        enterprise = enterprise_for_user(user)
        return Level.ENTERPRISE if enterprise and enterprise.pk == application.enterprise_id else ""
    if role == Role.DISTRICT_REVIEWER:
        ok = user.district_id and user.district_id == application.enterprise.district_id
        return Level.DISTRICT if ok else ""
    if role == Role.CITY_REVIEWER:
        return Level.CITY
    return ""


OTHER_LEVEL = {Level.DISTRICT: Level.CITY, Level.CITY: Level.DISTRICT}
ONE_LEVEL_MESSAGE = "同一人员不能同时办理同一案件的区县初审和市级复审。"


def acted_at_other_level(user, application: Application, level: str) -> bool:
    """Has ``user`` acted on this case (claim, assignment, checks, decision) at the review
    level other than ``level``? One person never works both levels of one case."""
    other = OTHER_LEVEL.get(level)
    if not other or not getattr(user, "pk", None):
        return False
    return ApplicationEvent.objects.filter(
        application_id=application.pk, actor_id=user.pk, level=other
    ).exists()


def actions_for(user, application: Application) -> list[workflow.Transition]:
    """The transitions ``user`` may take on the case now (to show buttons)."""
    level = acting_level(user, application)
    return [
        t
        for t in workflow.transitions_from(application.status)
        if t.level == level and t.applies_to(application)
    ]


def notification_list(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("application")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


IMPACT_CASES = 200  # most recent cases a rule change is previewed on


def impact_cases_of(clause: Clause) -> list[tuple[str, dict]]:
    """The clause's cases for the rule editor's preview (``policies.impact``): each named by
    its number, enterprise and state; drafts, withdrawn and lapsed cases left out."""
    left_out = (Status.DRAFT, Status.WITHDRAWN, Status.LAPSED)
    cases = (
        Application.objects.filter(clause=clause)
        .exclude(status__in=left_out)
        .select_related("enterprise")
        .order_by("-created_at")[:IMPACT_CASES]
    )
    return [
        (f"案件 {a.number} {a.enterprise.name}（{a.get_status_display()}）", a.facts) for a in cases
    ]
