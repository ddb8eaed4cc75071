import pytest

from applications.models import Application, ApplicationEvent, Notification
from applications.workflow import Status
from enterprises.facts import indicator_facts
from policies import engine
from policies.models import Calculation
from portal.core.errors import DomainError
from portal.core.money import to_fen
from proactive import services
from proactive.facts import facts_for_enterprises
from proactive.models import MatchChunk, OutreachCandidate
from tests.factories.enterprises import EnterpriseFactory
from tests.proactive.conftest import UNREGISTERED, generated_enterprises, run_now, sample

pytestmark = pytest.mark.django_db


def expected_proposals(enterprises, clauses) -> dict[tuple[int, int], int]:
    """What the engine says, enterprise by enterprise, through the per-enterprise facts."""
    expected = {}
    for e in enterprises:
        facts = indicator_facts(e, year=2023)
        for clause in clauses:
            try:
                result = engine.calculate(clause.code, facts)
            except engine.EngineError:
                continue
            if result.eligible and result.amount > 0:
                expected[(e.pk, clause.pk)] = to_fen(result.amount)
    return expected


def proposals() -> dict[tuple[int, int], int]:
    return {
        (a.enterprise_id, a.clause_id): a.estimated_amount_fen
        for a in Application.objects.filter(status=Status.PROPOSED)
    }


def test_a_run_proposes_exactly_what_the_engine_says(policy_admin, clauses):
    enterprises = generated_enterprises(40, with_user=True)
    run = run_now(policy_admin, clauses, chunk_size=15)
    expected = expected_proposals(enterprises, clauses)
    assert len(expected) > 5 and len({c for _, c in expected}) == 2  # both clauses have hits
    assert proposals() == expected
    assert run.status == "done" and run.chunks_total == 3
    for app in Application.objects.select_related("calculation", "clause"):
        assert app.calculation.source == Calculation.Source.PROACTIVE
        again = engine.calculate(app.clause.code, app.facts)  # stored facts reproduce the amount
        assert to_fen(again.amount) == app.estimated_amount_fen == app.calculation.amount_fen
        assert app.events.get().action == "propose"
    members = Notification.objects.filter(title__startswith="免申即享").count()
    assert members == Application.objects.filter(enterprise__members__isnull=False).count() > 0


def test_a_run_moves_the_dashboards_proposed_count_at_once_and_emails_each_proposal(
    policy_admin, clauses, django_capture_on_commit_callbacks, mailoutbox
):
    from dashboards.filters import CaseFilter
    from dashboards.permissions import Viewer
    from dashboards.selectors import overview
    from portal.accounts.models import User

    generated_enterprises(12, with_user=True)
    for user in User.objects.filter(enterprise_membership__isnull=False):
        User.objects.filter(pk=user.pk).update(email=f"u{user.pk}@example.com")
    before = dict(overview(Viewer(True, ""), CaseFilter()).funnel)[Status.PROPOSED]
    with django_capture_on_commit_callbacks(execute=True):
        run_now(policy_admin, clauses)
    proposed = Application.objects.filter(status=Status.PROPOSED).count()
    assert before == 0 and proposed > 0
    assert dict(overview(Viewer(True, ""), CaseFilter()).funnel)[Status.PROPOSED] == proposed
    notes = Notification.objects.filter(title__startswith="免申即享").select_related("user")
    assert notes.count() > 0 and all(n.emailed_at for n in notes)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(n.user.email for n in notes)


def test_a_chunks_writes_and_side_effects_do_not_grow_with_its_proposals(policy_admin, clauses):
    """The case file's bulk service: a fixed number of statements for the cases, events and
    messages, and one dashboard task and one e-mail task for the chunk (not one per case)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.core.models import OutboxTask

    def chunk_queries(n: int) -> tuple[int, int, dict]:
        made = generated_enterprises(n, with_user=True)
        run = services.match_run_start(
            actor=policy_admin, clause_ids=[c.pk for c in clauses], period="2023Q1"
        )
        services.match_run_plan(run_id=run.pk)
        chunk = run.chunks.get()
        MatchChunk.objects.filter(pk=chunk.pk).update(keys=[e.pk for e in made])
        OutboxTask.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            services.match_chunk_process(chunk_id=chunk.pk)
        chunk.refresh_from_db()
        tasks = dict.fromkeys(OutboxTask.objects.values_list("task", flat=True), 0)
        for name in OutboxTask.objects.values_list("task", flat=True):
            tasks[name] += 1
        return len(queries), chunk.proposed, tasks

    small, proposed_small, tasks_small = chunk_queries(6)
    large, proposed_large, tasks_large = chunk_queries(24)
    assert proposed_large > proposed_small + 8
    assert large - small <= 2  # (SQLite splits an insert every ~45 rows)
    assert tasks_small == tasks_large
    assert set(tasks_large.values()) == {1} and "dashboards.tasks.cases_changed" in tasks_large


def test_a_second_run_creates_nothing(policy_admin, clauses):
    generated_enterprises(20)
    run_now(policy_admin, clauses)
    counts = (
        Application.objects.count(),
        Calculation.objects.count(),
        ApplicationEvent.objects.count(),
    )
    second = run_now(policy_admin, clauses)
    assert (
        Application.objects.count(),
        Calculation.objects.count(),
        ApplicationEvent.objects.count(),
    ) == counts
    assert sum(second.chunks.values_list("proposed", flat=True)) == 0


def test_a_chunk_processed_twice_changes_nothing(policy_admin, clauses):
    generated_enterprises(12)
    run = services.match_run_start(
        actor=policy_admin, clause_ids=[c.pk for c in clauses], period="2023Q1", chunk_size=5
    )
    chunk_ids = services.match_run_plan(run_id=run.pk)
    assert services.match_run_plan(run_id=run.pk) == chunk_ids  # coordinator twice: same chunks
    services.match_chunk_process(chunk_id=chunk_ids[0])
    snapshot = (Application.objects.count(), Calculation.objects.count())
    chunk = services.match_chunk_process(chunk_id=chunk_ids[0])
    assert chunk.attempts == 1
    assert (Application.objects.count(), Calculation.objects.count()) == snapshot
    assert services.match_run_plan(run_id=run.pk) == chunk_ids[1:]  # resume: the rest only


def test_declined_cases_are_not_proposed_again(policy_admin, clauses):
    generated_enterprises(10)
    run_now(policy_admin, clauses)
    Application.objects.update(status=Status.WITHDRAWN)
    run_now(policy_admin, clauses)
    assert not Application.objects.filter(status=Status.PROPOSED).exists()


def test_bulk_facts_equal_per_enterprise_facts_in_two_queries(
    policy_admin, clauses, django_assert_num_queries
):
    enterprises = generated_enterprises(8)
    with django_assert_num_queries(2):
        bulk = facts_for_enterprises(enterprises, year=2023)
    for e in enterprises:
        assert bulk[e.pk] == indicator_facts(e, year=2023)


def test_unregistered_enterprises_that_would_qualify_are_listed(policy_admin, clauses):
    EnterpriseFactory(credit_code="91410105MA44XK3N57", industry_division="34")
    services.gov_import(
        actor=policy_admin, source="stats", file=sample("统计局-营业收入-2023Q1.csv")
    )
    run = run_now(policy_admin, clauses)
    leads = list(OutreachCandidate.objects.filter(run=run).values_list("credit_code", "amount_fen"))
    # 50,000,000 -> 71,000,000 yuan: +42 %, two whole steps of 10,000,000 = 40,000.00 yuan
    # the second demo enterprise is not registered here: 80,000,000 -> 92,000,000 = 20,000.00
    assert leads == [(UNREGISTERED, 4_000_000), ("91410103MA45B7T2X3", 2_000_000)]
    assert run.chunks.filter(kind=MatchChunk.Kind.OUTREACH).count() == 1
    assert Application.objects.get().estimated_amount_fen == 6_000_000  # the registered one


def test_only_proactive_clauses_can_be_run(policy_admin, library):
    from policies.models import Clause

    reviewed = Clause.objects.exclude(redemption_mode=Clause.Redemption.PROACTIVE).first()
    with pytest.raises(DomainError):
        services.match_run_start(actor=policy_admin, clause_ids=[reviewed.pk], period="2023Q1")
    with pytest.raises(DomainError):
        services.match_run_start(actor=policy_admin, clause_ids=[reviewed.pk], period="23Q1")


def test_params_of_the_version_in_force_are_validated_once_and_bad_ones_propose_nothing(
    policy_admin, clauses
):
    from django.utils import timezone

    from policies.models import ClauseRuleVersion

    generated_enterprises(40)
    broken, kept = clauses
    ClauseRuleVersion.objects.create(
        clause=broken, number=99, params={"no_such_param": 1}, effective_from=timezone.localdate()
    )
    with pytest.raises(engine.ParamError):  # what calculate() says for every enterprise
        engine.calculate(broken.code, {}, params={"no_such_param": 1})
    run = run_now(policy_admin, clauses)
    assert not Application.objects.filter(clause=broken).exists()
    assert Application.objects.filter(clause=kept).exists()
    assert run.status == "done"


def test_a_failing_chunk_keeps_its_errors_and_a_passing_fault_is_retried(
    policy_admin, clauses, monkeypatch
):
    from celery import current_app
    from django.db import OperationalError

    from proactive.models import MatchRun
    from proactive.services import matching
    from proactive.tasks import process_match_chunk

    generated_enterprises(4)
    run = MatchRun.objects.create(period="2023Q1", created_by=policy_admin)
    run.clauses.set(clauses)
    [chunk_id] = services.match_run_plan(run_id=run.pk)
    propose, faults = matching._propose, []

    def flaky(*args):
        if len(faults) < 2:  # the database drops the connection twice, then answers
            faults.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        propose(*args)

    monkeypatch.setattr(matching, "_propose", flaky)
    # eager retries run in apply() only when a failure is not re-raised at once
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    assert process_match_chunk.apply(args=[chunk_id]).get() > 0
    chunk = MatchChunk.objects.get(pk=chunk_id)
    assert chunk.status == MatchChunk.Status.DONE and chunk.attempts == 3
    assert [e["error"] for e in chunk.errors] == [
        "OperationalError: server closed the connection unexpectedly"
    ] * 2

    def broken(*args):
        raise ValueError("bad data")

    run2 = MatchRun.objects.create(period="2023Q2", created_by=policy_admin)
    run2.clauses.set(clauses)
    [chunk2] = services.match_run_plan(run_id=run2.pk)
    monkeypatch.setattr(matching, "_propose", broken)
    with pytest.raises(ValueError):
        process_match_chunk.apply(args=[chunk2], throw=True)
    chunk = MatchChunk.objects.get(pk=chunk2)
    assert chunk.status == MatchChunk.Status.PENDING  # resumable from the run's page
    assert chunk.errors[-1]["error"] == "ValueError: bad data" and chunk.attempts == 1


def test_the_run_page_lists_failed_chunks(client, policy_admin, clauses):
    from proactive.models import MatchRun

    generated_enterprises(2)
    run = MatchRun.objects.create(period="2023Q1", created_by=policy_admin)
    run.clauses.set(clauses)
    [chunk_id] = services.match_run_plan(run_id=run.pk)
    services.match_chunk_record_failure(chunk_id=chunk_id, error="OperationalError: 连接中断")
    client.force_login(policy_admin)
    page = client.get(f"/proactive/runs/{run.pk}/").content.decode()
    assert "处理失败的批次" in page and "OperationalError: 连接中断" in page
    services.match_chunk_process(chunk_id=chunk_id)
    assert MatchChunk.objects.get(pk=chunk_id).attempts == 2  # the failure and the success
