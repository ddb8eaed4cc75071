"""Domain events and who follows them: side effects subscribe, writers only publish.

A writer (the case's transition service, the bulk proposals, a payment recorded) publishes what
happened, inside its transaction; it never names the dashboards, the mail or the audit log. The
apps that react subscribe in their ``AppConfig.ready`` (a higher app subscribes to a lower one's
events, so no import points upwards):

- ``dashboards``: the summary projection refreshes the cases (one task per case, one per batch);
- ``applications``: the enterprise's messages for a visible step, and their e-mail;
- ``portal.core``: the audit copy of the event rows the writer appended.

Two phases, both after the commit as far as the world outside the database can tell:

- ``WITH_CHANGE``: the handler runs when the writer publishes, in the writer's transaction. It
  may only write rows that belong with the change (a message) or enqueue a task through the
  outbox (``portal.core.tasks.enqueue``: the row is written with the change and the task is
  sent on commit; a rollback leaves neither).
- ``AFTER_COMMIT``: the handler runs from ``transaction.on_commit`` (robust: a failure is logged
  and the request that committed still succeeds), e.g. the audit copy, which must never hold
  the audit chain's lock together with a case's row lock.

Events are plain frozen dataclasses of ids, the same for one case and for a batch (``bulk``).
A subscription to a class also receives its subclasses.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


class Phase(enum.Enum):
    WITH_CHANGE = "with_change"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True)
class Event:
    """Something that happened; ``record`` names the append-only table the writer added rows to
    (copied into the audit log after commit), empty when none."""

    record: ClassVar[str] = ""


@dataclass(frozen=True)
class CaseRecorded(Event):
    """Event rows were appended to these cases' timelines (a draft saved, a material, a note)."""

    application_ids: tuple[int, ...]
    record: ClassVar[str] = "applications.ApplicationEvent"


@dataclass(frozen=True)
class CasesChanged(CaseRecorded):
    """The status or district of these cases changed (``cause``: transition, proposed,
    district_moved). ``bulk``: written many at a time (one task for the batch)."""

    cause: str = ""
    bulk: bool = False


@dataclass(frozen=True)
class CaseTransitioned(CasesChanged):
    """One case took a step of its workflow; ``event_id`` is its ``ApplicationEvent``."""

    event_id: int = 0
    visible_to_enterprise: bool = False


@dataclass(frozen=True)
class PaymentRecorded(Event):
    """Ledger rows were appended for these cases (batched, a clawback, a repayment)."""

    application_ids: tuple[int, ...]
    record: ClassVar[str] = "finance.LedgerEntry"


@dataclass(frozen=True)
class PaymentsChanged(PaymentRecorded):
    """The money of these cases moved (payables created, a share paid, failed or cancelled)."""

    cause: str = ""
    bulk: bool = False


@dataclass(frozen=True)
class MessagesCreated(Event):
    """Message-centre rows were written; each is e-mailed to its user."""

    notification_ids: tuple[int, ...]


@dataclass(frozen=True)
class EnterpriseMoved(Event):
    """An enterprise moved to another district (its profile); its cases follow it."""

    enterprise_id: int
    district_id: int
    actor_id: int | None = None


E = TypeVar("E", bound=Event)
Handler = Callable[[E], None]

_subscribers: dict[type[Event], list[tuple[Callable[[Event], None], Phase]]] = {}


def subscribe(
    event_type: type[E], handler: Callable[[E], None], *, phase: Phase = Phase.AFTER_COMMIT
) -> None:
    """Call ``handler(event)`` for every published ``event_type`` (or subclass). Idempotent:
    subscribing the same handler twice (``ready()`` run again in tests) keeps one."""
    handlers = _subscribers.setdefault(event_type, [])
    if (handler, phase) not in handlers:
        handlers.append((handler, phase))  # type: ignore[arg-type]


def subscribers(event_type: type[Event]) -> list[tuple[Callable[[Event], None], Phase]]:
    """Who follows ``event_type``, in subscription order (its own class first, then bases)."""
    found: list[tuple[Callable[[Event], None], Phase]] = []
    for cls in event_type.__mro__:
        found.extend(_subscribers.get(cls, ()))
    return found


def publish(event: Event) -> None:
    """Tell the subscribers: ``WITH_CHANGE`` ones now, ``AFTER_COMMIT`` ones on commit."""
    for handler, phase in subscribers(type(event)):
        if phase is Phase.WITH_CHANGE:
            handler(event)
        else:
            transaction.on_commit(_bind(handler, event), robust=True)


def _bind(handler: Callable[[Event], None], event: Event) -> Callable[[], None]:
    return lambda: handler(event)
