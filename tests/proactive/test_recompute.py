"""Nightly recomputation of proposals whose enterprise's figures changed after the proposal."""

import pytest

from applications.models import Application, ApplicationEvent, Notification
from applications.workflow import Status
from enterprises.models import Indicator
from policies import engine
from policies.models import Calculation
from portal.core.money import to_fen
from proactive import services
from proactive.services.recompute import proposals_due_for_recompute
from proactive.tasks import recompute_proposals
from tests.proactive.conftest import add_figures, run_now

pytestmark = pytest.mark.django_db

Q1 = {("revenue", "2022Q1"): 10_000_000_000, ("revenue", "2023Q1"): 13_500_000_000}


@pytest.fixture
def proposal(policy_admin, clauses, demo_enterprises):
    add_figures(demo_enterprises[0], Q1)
    run_now(policy_admin, clauses)
    return Application.objects.get(enterprise=demo_enterprises[0])


def set_q1_2023(proposal, fen: int) -> None:
    figure = Indicator.objects.get(enterprise=proposal.enterprise, period="2023Q1")
    figure.value = fen
    figure.save()  # moves updated_at past the proposal's


def test_nothing_is_due_while_the_figures_are_older_than_the_proposal(proposal):
    assert services.proposals_recompute() == services.RecomputeReport()


def test_new_figures_give_a_new_amount_recorded_and_announced(proposal):
    before = proposal.estimated_amount_fen
    set_q1_2023(proposal, 11_200_000_000)  # growth 12% instead of 35%
    report = services.proposals_recompute()
    assert (report.due, report.changed) == (1, 1)
    proposal.refresh_from_db()
    expected = engine.calculate(proposal.clause.code, proposal.facts)
    assert proposal.estimated_amount_fen == to_fen(expected.amount) != before
    assert proposal.facts["revenue_q1_2023"] == "112000000.00"
    assert proposal.calculation.amount_fen == proposal.estimated_amount_fen
    assert Calculation.objects.filter(source=Calculation.Source.PROACTIVE).count() == 2
    event = proposal.events.get(action="recomputed")
    assert event.data["from_amount_fen"] == before
    assert event.data["to_amount_fen"] == proposal.estimated_amount_fen
    assert event.visible_to_enterprise and "重新测算" in event.comment
    owner = proposal.enterprise.members.get().user
    assert Notification.objects.filter(user=owner, title__contains="已按最新数据更新").count() == 1
    assert services.proposals_recompute() == services.RecomputeReport()  # the next night: none


def test_figures_that_no_longer_qualify_withdraw_the_proposal(proposal):
    set_q1_2023(proposal, 9_000_000_000)  # revenue fell
    report = services.proposals_recompute()
    assert (report.due, report.withdrawn) == (1, 1)
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    event = proposal.events.get(action="expire")
    assert event.from_status == Status.PROPOSED and "不再符合条件" in event.comment
    assert event.actor.username == "system"


def test_a_rewritten_but_equal_figure_changes_nothing_but_the_check_time(proposal):
    set_q1_2023(proposal, Q1[("revenue", "2023Q1")])
    events = ApplicationEvent.objects.count()
    report = services.proposals_recompute()
    assert (report.due, report.unchanged) == (1, 1)
    assert ApplicationEvent.objects.count() == events
    assert proposals_due_for_recompute() == []


def test_answered_proposals_are_left_alone(proposal):
    owner = proposal.enterprise.members.get().user
    services.proposal_confirm(application=proposal, user=owner, commitment_accepted=True)
    set_q1_2023(proposal, 9_000_000_000)
    assert services.proposals_recompute().due == 0
    proposal.refresh_from_db()
    assert proposal.status == Status.CITY_REVIEW


def test_the_nightly_task_reports(proposal):
    set_q1_2023(proposal, 11_200_000_000)
    assert recompute_proposals.apply().get() == {
        "due": 1, "unchanged": 0, "changed": 1, "withdrawn": 0
    }  # fmt: skip
