"""Every transition of the table, allowed for its level and refused for everyone else."""

import pytest

from applications import services, workflow
from applications.models import ApplicationEvent
from applications.workflow import TRANSITIONS, Action, Level, Status
from portal.core.errors import DomainError, PermissionRefused
from tests.factories.applications import (
    CITY_CLAUSE,
    DISTRICT_CLAUSE,
    ApplicationFactory,
    open_window,
)

ACTORS = (
    "enterprise_user",
    "other_enterprise_user",
    "district_reviewer",
    "other_district_reviewer",
    "city_reviewer",
    "leader",
    "city_finance",
)
ALLOWED_ACTOR = {
    Level.ENTERPRISE: "enterprise_user",
    Level.DISTRICT: "district_reviewer",
    Level.CITY: "city_reviewer",
    # nobody in person: the last payment moves the case as the system (finance.services.completion)
    Level.FINANCE: None,
}


def _case_for(transition, enterprise):
    code = CITY_CLAUSE if transition.guard in ("city_path",) else DISTRICT_CLAUSE
    returned_from = ""
    if transition.guard == "returned_by_district":
        returned_from = Status.DISTRICT_REVIEW
    elif transition.guard == "returned_by_city" or transition.source == Status.RETURNED:
        returned_from = Status.CITY_REVIEW
    return ApplicationFactory(
        enterprise=enterprise,
        clause=open_window(code),
        status=transition.source,
        returned_from=returned_from,
    )


def _id(t):
    return f"{t.source}-{t.action}-{t.target}"


@pytest.mark.parametrize("transition", TRANSITIONS, ids=_id)
def test_transition_allowed_only_for_its_level_and_scope(
    request, library, enterprise, other_enterprise_user, transition
):
    for period, actor in enumerate(ACTORS, start=2001):
        case = _case_for(transition, enterprise)
        case.period, case.subject, case.award_key = str(period), f"项目{period}", ""
        case.save()  # a new award for each actor (the key is derived again on save)
        user = request.getfixturevalue(actor)
        call = {"application": case, "user": user, "action": transition.action, "comment": "意见"}
        if ALLOWED_ACTOR[transition.level] != actor:
            with pytest.raises(PermissionRefused):
                services.application_transition(**call)
            case.refresh_from_db()
            assert case.status == transition.source, actor
            continue
        event = services.application_transition(**call)
        case.refresh_from_db()
        assert case.status == transition.target
        assert (event.actor, event.from_status, event.to_status) == (
            user,
            transition.source,
            transition.target,
        )
    if ALLOWED_ACTOR[transition.level] is None:
        case = _case_for(transition, enterprise)
        user = request.getfixturevalue("city_finance")
        services.application_transition(
            application=case, user=user, action=transition.action, system=True
        )
        case.refresh_from_db()
        assert case.status == transition.target


@pytest.mark.parametrize("transition", [t for t in TRANSITIONS if t.needs_comment], ids=_id)
def test_comment_required(request, library, enterprise, transition):
    case = _case_for(transition, enterprise)
    user = request.getfixturevalue(ALLOWED_ACTOR[transition.level])
    with pytest.raises(DomainError) as exc:
        services.application_transition(
            application=case, user=user, action=transition.action, comment="  "
        )
    assert "comment" in exc.value.errors


@pytest.mark.parametrize("action", Action.values)
def test_action_refused_from_states_without_a_row(request, library, enterprise, action):
    sources = {t.source for t in TRANSITIONS if t.action == action}
    level = next(t.level for t in TRANSITIONS if t.action == action)
    user = request.getfixturevalue(ALLOWED_ACTOR[level] or "city_finance")
    for period, status in enumerate(sorted(set(Status) - sources), start=2001):
        case = ApplicationFactory(
            enterprise=enterprise, status=status, returned_from="", period=str(period)
        )
        with pytest.raises(DomainError) as exc:
            services.application_transition(
                application=case, user=user, action=action, comment="意见"
            )
        assert "不能" in exc.value.message


def test_submit_goes_to_city_for_city_only_clauses(library, enterprise, enterprise_user):
    case = ApplicationFactory(enterprise=enterprise, clause=open_window(CITY_CLAUSE))
    services.application_transition(application=case, user=enterprise_user, action=Action.SUBMIT)
    assert case.status == Status.CITY_REVIEW


def test_resubmit_returns_to_the_level_that_returned(library, enterprise, enterprise_user):
    case = ApplicationFactory(
        enterprise=enterprise, status=Status.RETURNED, returned_from=Status.DISTRICT_REVIEW
    )
    services.application_transition(application=case, user=enterprise_user, action=Action.RESUBMIT)
    case.refresh_from_db()
    assert (case.status, case.returned_from) == (Status.DISTRICT_REVIEW, "")


def test_every_open_state_has_a_way_out():
    for status in workflow.UNDECIDED_STATUSES:
        assert workflow.transitions_from(status), status
        if status != Status.DRAFT:  # a draft is the enterprise's alone
            levels = {t.level for t in workflow.transitions_from(status)}
            assert levels - {Level.ENTERPRISE}, status
    for status in workflow.FINAL_STATUSES:  # decided: only the money moves 已确定 on, to 办结
        moves = workflow.transitions_from(status)
        assert all(t.action == Action.PAY_COMPLETE for t in moves), status
    assert [t.target for t in workflow.transitions_from(Status.DETERMINED)] == [Status.PAID]
    assert set(workflow.SIMPLE_LABELS) == set(Status)


def test_same_person_never_acts_at_both_levels(library, enterprise, district_reviewer):
    case = ApplicationFactory(enterprise=enterprise, status=Status.DISTRICT_REVIEW)
    services.application_transition(
        application=case, user=district_reviewer, action=Action.DISTRICT_APPROVE
    )
    district_reviewer.role = "city_reviewer"  # promoted to the city the same week
    district_reviewer.save()
    with pytest.raises(PermissionRefused, match="同一人员"):
        services.application_transition(
            application=case, user=district_reviewer, action=Action.CITY_APPROVE
        )


def test_second_actor_is_told_who_acted(library, enterprise, city_reviewer):
    from tests.factories.accounts import UserFactory

    case = ApplicationFactory(enterprise=enterprise, status=Status.CITY_REVIEW)
    stale = type(case).objects.get(pk=case.pk)
    services.application_transition(
        application=case, user=city_reviewer, action=Action.CITY_APPROVE
    )
    other = UserFactory(username="city_rev2", role="city_reviewer")
    with pytest.raises(DomainError, match=f"该案件已由 {city_reviewer} 于 .* 处理"):
        services.application_transition(application=stale, user=other, action=Action.CITY_APPROVE)
    assert (
        ApplicationEvent.objects.filter(application=case, action=Action.CITY_APPROVE).count() == 1
    )
