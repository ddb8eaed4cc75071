"""The summary projection follows the case and payment events (subscribed in ``ready``).

One task per case for a single write, one for the batch for a bulk write; enqueued through the
outbox with the change, so the refresh exists exactly when the change does and runs after commit.
"""

from __future__ import annotations

from portal.core import events
from portal.core.tasks import enqueue


def projection_refresh(event: events.CasesChanged | events.PaymentsChanged) -> None:
    from dashboards.tasks import case_changed, cases_changed

    ids = sorted(set(event.application_ids))
    if event.bulk:
        if ids:
            enqueue(cases_changed, ids)
    else:
        for pk in ids:
            enqueue(case_changed, pk)


def connect() -> None:
    events.subscribe(events.CasesChanged, projection_refresh, phase=events.Phase.WITH_CHANGE)
    events.subscribe(events.PaymentsChanged, projection_refresh, phase=events.Phase.WITH_CHANGE)
