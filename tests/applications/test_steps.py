"""The step bar: current step, who holds it (an office, not a login) and its working-day
deadline; where a rejected case ended; steps a path skips."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.steps import case_steps
from applications.workflow import Status
from policies.models import Clause
from portal.core.workdays import add_workdays
from tests.factories.applications import CITY_CLAUSE, ApplicationFactory

pytestmark = pytest.mark.usefixtures("library")
TODAY = timezone.localdate()


def _moved(app, *moves):
    for source, target in moves:
        ApplicationEvent.objects.create(
            application=app, action="x", from_status=source, to_status=target
        )
    return list(app.events.order_by("created_at", "id"))


def _by_name(steps):
    return {s.name: s for s in steps}


def test_district_review_is_held_by_the_district_office_with_its_deadline():
    due = add_workdays(TODAY, 5)
    app = ApplicationFactory(status=Status.DISTRICT_REVIEW, due_on=due)
    events = _moved(app, (Status.DRAFT, Status.DISTRICT_REVIEW))
    steps = case_steps(app, events=events)
    current = [s for s in steps if s.current]
    assert [s.name for s in current] == ["区县初审"]
    assert current[0].holder == "金水区工信局（区县初审）"
    assert current[0].due == due and current[0].remaining == 5 and not current[0].late
    assert _by_name(steps)["申报"].state == "done" and _by_name(steps)["申报"].finished
    assert _by_name(steps)["市级复审"].limit == "10个工作日"
    assert _by_name(steps)["拨付"].limit == "确定后20个工作日"


def test_an_overdue_step_counts_working_days_late():
    due = TODAY - dt.timedelta(days=10)
    app = ApplicationFactory(status=Status.CITY_REVIEW, due_on=due)
    steps = case_steps(app, events=[])
    here = _by_name(steps)["市级复审"]
    assert here.current and here.late and here.overdue_days > 0 and here.holder == "市工信局"


def test_a_return_is_held_by_the_enterprise_until_its_correction_deadline():
    due = add_workdays(TODAY, 10)
    app = ApplicationFactory(
        status=Status.RETURNED, returned_from=Status.DISTRICT_REVIEW, correction_due=due
    )
    steps = case_steps(app, events=[])
    here = next(s for s in steps if s.current)
    assert here.name == "区县初审" and "补正中" in here.holder and here.due == due


def test_a_case_rejected_at_city_review_ends_there():
    app = ApplicationFactory(status=Status.REJECTED)
    events = _moved(
        app,
        (Status.DRAFT, Status.DISTRICT_REVIEW),
        (Status.DISTRICT_REVIEW, Status.CITY_REVIEW),
        (Status.CITY_REVIEW, Status.REJECTED),
    )
    steps = _by_name(case_steps(app, events=events))
    assert steps["市级复审"].note == "不予支持" and steps["市级复审"].state == "decided"
    assert steps["办结"].state == "ended" and steps["办结"].note == "不予支持"
    assert steps["公示"].state == "unreached" and not steps["公示"].current


def test_a_city_only_clause_skips_district_review():
    app = ApplicationFactory(clause=Clause.objects.get(code=CITY_CLAUSE), status=Status.CITY_REVIEW)
    steps = _by_name(case_steps(app, events=[]))
    assert steps["区县初审"].state == "skipped" and steps["市级复审"].current


def test_the_page_marks_the_current_step_for_assistive_technology(client, enterprise_user):
    from tests.factories.enterprises import EnterpriseMemberFactory

    app = ApplicationFactory(status=Status.CITY_REVIEW, due_on=add_workdays(TODAY, 3))
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    client.force_login(enterprise_user)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert '<ol class="steps">' in page
    assert page.count('aria-current="step"') == 1
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "市级复审" in current and "市工信局" in current and "还剩 3 个工作日" in current


def test_the_api_gives_the_steps_and_the_policy_target(client, enterprise_user):
    from tests.factories.enterprises import EnterpriseMemberFactory

    app = ApplicationFactory(status=Status.CITY_REVIEW, due_on=add_workdays(TODAY, 3))
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    client.force_login(enterprise_user)
    body = client.get(f"/api/v1/applications/{app.pk}/").json()
    current = [s for s in body["steps"] if s["state"] == "current"]
    assert [(s["name"], s["holder"]) for s in current] == [("市级复审", "市工信局")]
    assert body["payout_target"] == "2023-03-31" and body["late_against_policy"] is False
