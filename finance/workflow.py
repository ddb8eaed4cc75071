"""The life of a payment share as data, like the case's (``applications.workflow``).

Each action moves a share from one of its source statuses to its target and appends one ledger
row of its kind (the share's events: who, when, what, never edited). The services in
``finance.services.batches`` look the move up here; nothing else decides which status follows
which. Whether the acting bureau pays this share is checked by the service (``_same_payer``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from finance.models import LedgerEntry, PayableShare

S = PayableShare.Status


class ShareAction(models.TextChoices):
    BATCH = "batch", "纳入批次"
    PAY = "pay", "登记支付"
    FAIL = "fail", "登记支付失败"
    CANCEL = "cancel", "取消"


@dataclass(frozen=True)
class ShareTransition:
    action: str
    sources: frozenset[str]
    target: str
    ledger_kind: str  # the ledger row the move appends


SHARE_TRANSITIONS: dict[str, ShareTransition] = {
    t.action: t
    for t in (
        ShareTransition(
            ShareAction.BATCH,
            frozenset(PayableShare.BATCHABLE_STATUSES),
            S.IN_BATCH,
            LedgerEntry.Kind.BATCHED,
        ),
        ShareTransition(ShareAction.PAY, frozenset({S.IN_BATCH}), S.PAID, LedgerEntry.Kind.PAID),
        ShareTransition(
            ShareAction.FAIL, frozenset({S.IN_BATCH}), S.FAILED, LedgerEntry.Kind.FAILED
        ),
        ShareTransition(
            ShareAction.CANCEL,
            frozenset(PayableShare.BATCHABLE_STATUSES),
            S.CANCELLED,
            LedgerEntry.Kind.CANCELLED,
        ),
    )
}


def share_transition(share: PayableShare, action: str) -> ShareTransition | None:
    """The move ``action`` makes from the share's status, or None when the table has none."""
    transition = SHARE_TRANSITIONS[action]
    return transition if share.status in transition.sources else None
