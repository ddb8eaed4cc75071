"""Enterprise verification as data, like the case's workflow (``applications.workflow``).

Three states; each move names who may make it and the event it appends to the enterprise's
record (``EnterpriseEvent``, copied into the audit log). ``enterprises.services`` moves an
enterprise only through ``_transition``, which looks the move up here; ``permissions`` checks
the role and the district against the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from enterprises.models import Enterprise, EnterpriseEvent
from portal.accounts.models import Role

S = Enterprise.Status
Event = EnterpriseEvent.Type


@dataclass(frozen=True)
class VerificationMove:
    source: str
    target: str
    roles: frozenset[str]
    event: str


VERIFICATION_MOVES: tuple[VerificationMove, ...] = (
    VerificationMove(S.PENDING, S.VERIFIED, frozenset({Role.DISTRICT_REVIEWER}), Event.VERIFIED),
    VerificationMove(S.PENDING, S.REJECTED, frozenset({Role.DISTRICT_REVIEWER}), Event.REJECTED),
    # the enterprise fixed its file and sends it back
    VerificationMove(S.REJECTED, S.PENDING, frozenset({Role.ENTERPRISE}), Event.RESUBMITTED),
)

# (from, to) -> the move
MOVES: dict[tuple[str, str], VerificationMove] = {
    (m.source, m.target): m for m in VERIFICATION_MOVES
}
# (from, to) -> roles allowed to move an enterprise along that edge
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {k: m.roles for k, m in MOVES.items()}
