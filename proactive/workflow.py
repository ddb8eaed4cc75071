"""The life of a matching run and its chunks as data, like the case's (``applications.workflow``).

A run is planned once (pending → running: its chunks are created), and finishes when no chunk
is pending (running → done). A chunk is processed exactly once (pending → done). The services in
``proactive.services.matching`` look the moves up here; a run's moves are recorded in the audit
log after commit (who started it is the run's ``created_by``; the moves are the system's).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from proactive.models import MatchChunk, MatchRun


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    label: str


RUN_MOVES: dict[str, Move] = {
    m.action: m
    for m in (
        Move("plan", MatchRun.Status.PENDING, MatchRun.Status.RUNNING, "分批并开始比对"),
        Move("finish", MatchRun.Status.RUNNING, MatchRun.Status.DONE, "比对完成"),
    )
}
CHUNK_MOVES: dict[str, Move] = {
    "process": Move("process", MatchChunk.Status.PENDING, MatchChunk.Status.DONE, "处理完成"),
}


def run_move(status: str, action: str) -> Move | None:
    """The move ``action`` makes from ``status``, or None when the table has none."""
    move = RUN_MOVES[action]
    return move if status == move.source else None


def chunk_move(status: str, action: str) -> Move | None:
    move = CHUNK_MOVES[action]
    return move if status == move.source else None


def run_moved(run_id: int, move: Move, **data: object) -> None:
    """The run's event: appended to the audit log after commit (never under the run's lock)."""
    from portal.core.audit import audit_append

    transaction.on_commit(
        lambda: audit_append(
            kind="proactive.match_run",
            actor="system",
            object_ref=f"proactive.matchrun:{run_id}",  # object_id is unique per kind: left empty
            summary=f"免申即享比对 #{run_id}：{move.label}",
            data={"action": move.action, "from": move.source, "to": move.target, **data},
        ),
        robust=True,
    )
