"""The matching run's transition table: planned once, finished once, each move in the audit log
after commit; a chunk is processed once."""

import pytest

from portal.core.models import AuditRecord
from proactive import workflow
from proactive.models import MatchChunk, MatchRun
from tests.proactive.conftest import run_now

R, C = MatchRun.Status, MatchChunk.Status


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        (R.PENDING, "plan", R.RUNNING),
        (R.RUNNING, "plan", None),
        (R.DONE, "plan", None),
        (R.RUNNING, "finish", R.DONE),
        (R.PENDING, "finish", None),
        (R.DONE, "finish", None),
    ],
)
def test_run_moves_follow_the_table(status, action, target):
    move = workflow.run_move(status, action)
    assert (move.target if move else None) == target


def test_a_chunk_is_processed_only_from_pending():
    assert workflow.chunk_move(C.PENDING, "process").target == C.DONE
    assert workflow.chunk_move(C.DONE, "process") is None


def test_a_runs_moves_are_audited_after_commit(
    policy_admin, clauses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_now(policy_admin, clauses)
    assert run.status == R.DONE
    moves = list(
        AuditRecord.objects.filter(
            kind="proactive.match_run", object_ref=f"proactive.matchrun:{run.pk}"
        )
        .order_by("seq")
        .values_list("data", flat=True)
    )
    assert [(m["from"], m["to"]) for m in moves] == [(R.PENDING, R.RUNNING), (R.RUNNING, R.DONE)]
