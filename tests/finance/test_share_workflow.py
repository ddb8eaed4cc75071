"""The payment share's transition table: each action from each status is allowed exactly when
the table says so, and appends the ledger row the table names."""

import pytest

from finance.models import LedgerEntry, PayableShare
from finance.workflow import SHARE_TRANSITIONS, ShareAction, share_transition

S = PayableShare.Status
ALLOWED = {
    (ShareAction.BATCH, S.SCHEDULED): S.IN_BATCH,
    (ShareAction.BATCH, S.FAILED): S.IN_BATCH,
    (ShareAction.PAY, S.IN_BATCH): S.PAID,
    (ShareAction.FAIL, S.IN_BATCH): S.FAILED,
    (ShareAction.CANCEL, S.SCHEDULED): S.CANCELLED,
    (ShareAction.CANCEL, S.FAILED): S.CANCELLED,
}


@pytest.mark.parametrize("action", list(ShareAction))
@pytest.mark.parametrize("status", list(S))
def test_each_move_is_in_the_table_or_refused(action, status):
    move = share_transition(PayableShare(status=status), action)
    expected = ALLOWED.get((action, status))
    assert (move.target if move else None) == expected


def test_paid_and_cancelled_are_final():
    for status in (S.PAID, S.CANCELLED):
        assert all(share_transition(PayableShare(status=status), a) is None for a in ShareAction)


def test_every_move_appends_its_own_ledger_kind():
    kinds = {a: SHARE_TRANSITIONS[a].ledger_kind for a in ShareAction}
    assert kinds == {
        ShareAction.BATCH: LedgerEntry.Kind.BATCHED,
        ShareAction.PAY: LedgerEntry.Kind.PAID,
        ShareAction.FAIL: LedgerEntry.Kind.FAILED,
        ShareAction.CANCEL: LedgerEntry.Kind.CANCELLED,
    }
