import contextlib
import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from applications.workflow import Status
from portal.core.errors import DomainError
from proactive import services
from proactive.services.proposals import proposal_deadline
from tests.proactive.conftest import add_figures, run_now

pytestmark = pytest.mark.django_db

Q1 = {("revenue", "2022Q1"): 10_000_000_000, ("revenue", "2023Q1"): 13_500_000_000}


@pytest.fixture
def proposal(policy_admin, clauses, demo_enterprises):
    add_figures(demo_enterprises[0], Q1)
    run_now(policy_admin, clauses)
    return Application.objects.get(enterprise=demo_enterprises[0])


@pytest.fixture
def owner(demo_enterprises):
    return demo_enterprises[0].members.get().user


def test_the_demo_figures_propose_60000(proposal):
    assert proposal.status == Status.PROPOSED
    assert proposal.estimated_amount_fen == 6_000_000


def test_confirm_moves_the_case_to_city_review(proposal, owner):
    services.proposal_confirm(application=proposal, user=owner, commitment_accepted=True)
    proposal.refresh_from_db()
    assert proposal.status == Status.CITY_REVIEW
    assert proposal.commitment_signed_at is not None
    assert proposal.events.last().action == "confirm"


def test_confirm_needs_the_commitment_and_the_owner(proposal, owner, other_enterprise_user):
    with pytest.raises(DomainError):
        services.proposal_confirm(application=proposal, user=owner, commitment_accepted=False)
    with pytest.raises(DomainError):
        services.proposal_confirm(
            application=proposal, user=other_enterprise_user, commitment_accepted=True
        )
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


@pytest.fixture
def other_enterprise_user(db):
    from tests.factories.enterprises import enterprise_with_user

    return enterprise_with_user().members.get().user


def test_decline_withdraws_with_the_reason(proposal, owner):
    services.proposal_decline(application=proposal, user=owner, reason="本季度不申领")
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert proposal.events.last().comment == "本季度不申领"


def test_unconfirmed_proposals_expire_once(proposal, settings):
    settings.PORTAL_PROPOSAL_EXPIRY_WORKDAYS = 10
    deadline = proposal_deadline(proposal)
    assert services.proposals_expire(today=deadline) == 0
    later = deadline + dt.timedelta(days=1)
    assert services.proposals_expire(today=later) == 1
    assert services.proposals_expire(today=later) == 0
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert proposal.events.last().action == "expire"


def test_the_enterprise_page_lists_and_confirms(client, proposal, owner):
    client.force_login(owner)
    page = client.get("/proactive/proposals/").content.decode()
    assert "60,000.00" in page and "确认申领" in page
    assert "2023年一季度营业收入" in page and "135,000,000.00 元" in page  # labels, not names
    assert "revenue_q1_2023" not in page
    client.post(f"/proactive/proposals/{proposal.pk}/confirm/", {"commitment": "on"})
    proposal.refresh_from_db()
    assert proposal.status == Status.CITY_REVIEW


def test_another_enterprise_cannot_see_the_proposal(client, proposal, other_enterprise_user):
    client.force_login(other_enterprise_user)
    assert "60,000.00" not in client.get("/proactive/proposals/").content.decode()
    response = client.post(f"/proactive/proposals/{proposal.pk}/confirm/", {"commitment": "on"})
    assert response.status_code == 404


def test_admin_pages_and_export(client, policy_admin, proposal):
    client.force_login(policy_admin)
    assert client.get("/proactive/").status_code == 200
    run_id = proposal.events.get(action="propose").data["run"]
    page = client.get(f"/proactive/runs/{run_id}/").content.decode()
    assert proposal.enterprise.name in page and "1/1" in page
    export = client.get(f"/proactive/runs/{run_id}/export/")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_api_run_and_confirm(client, policy_admin, proposal, owner):
    client.force_login(policy_admin)
    runs = client.get("/api/v1/proactive/runs/").json()
    assert runs["results"][0]["progress"]["proposed"] == 1
    run_id = runs["results"][0]["id"]
    listed = client.get(f"/api/v1/proactive/runs/{run_id}/proposals/").json()
    assert listed["results"][0]["estimated_amount"] == "60000.00"
    client.force_login(owner)
    mine = client.get("/api/v1/proactive/proposals/").json()["results"]
    assert [p["id"] for p in mine] == [proposal.pk]
    response = client.post(
        f"/api/v1/proactive/proposals/{proposal.pk}/confirm/",
        {"commitment_accepted": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == Status.CITY_REVIEW


def test_api_refuses_enterprises_on_admin_endpoints(client, owner):
    client.force_login(owner)
    assert client.get("/api/v1/proactive/runs/").status_code == 403


def test_schema_has_no_warnings_from_proactive(tmp_path, capsys):
    # other apps' warnings are theirs (the command then raises); ours must be none
    with contextlib.suppress(Exception):
        call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "proactive/" not in capsys.readouterr().err


def test_expire_task_is_idempotent(proposal):
    from proactive.tasks import expire_proposals

    assert expire_proposals.apply().get() == 0  # not overdue today
    assert timezone.localdate() <= proposal_deadline(proposal)
