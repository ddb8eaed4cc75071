"""Writes of the case file that other apps ask for, many cases at a time.

The case file owns ``Application``, ``ApplicationEvent`` and ``Notification``: 免申即享 proposals
(``proactive``) and an enterprise's move to another district (``enterprises``) are written here,
with an event row per case, and publish the same events as every other case write
(``CasesChanged``, ``MessagesCreated`` with ``bulk``), so the dashboard projection, the e-mail
and the audit copy follow after commit. Set-based: a batch costs a fixed number of statements
and one task of each kind, never some per case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from applications.models import Application, ApplicationEvent, Notification
from applications.workflow import Status
from enterprises.models import EnterpriseMember
from policies.engine.periods import AwardPeriod
from policies.models import Calculation, Clause
from portal.accounts.models import District
from portal.core import events
from portal.core.money import from_fen

BATCH = 1000
PROPOSAL_COMMENT = "免申即享：系统根据部门数据测算生成，待企业确认。"
PROPOSAL_TITLE = "免申即享：您有一项奖补待确认"
DISTRICT_MOVED = "district_moved"  # not a transition: the case follows its enterprise


@dataclass(frozen=True)
class Proposal:
    """One case to propose: the enterprise, its clause and award, the facts and the engine's
    calculation they were decided under (its ``amount_fen`` is the estimate)."""

    enterprise_id: int
    district_id: int
    clause: Clause
    award: AwardPeriod
    facts: dict
    calculation: Calculation


@dataclass(frozen=True)
class Proposed:
    """A case the batch created."""

    pk: int
    enterprise_id: int
    clause_id: int
    amount_fen: int
    calculation_id: int


def notifications_send_bulk(notifications: list[Notification]) -> int:
    """Message-centre rows written in bulk; their e-mail follows (``MessagesCreated``)."""
    rows = Notification.objects.bulk_create(notifications, batch_size=BATCH)
    ids = tuple(row.pk for row in rows if row.pk)
    if ids:
        events.publish(events.MessagesCreated(notification_ids=ids))
    return len(rows)


@transaction.atomic
def application_propose_bulk(
    *,
    proposals: Sequence[Proposal],
    actor,
    period_label: str,
    data: Mapping[str, object] | None = None,
) -> list[Proposed]:
    """Create the proposed cases (免申即享), their ``propose`` events and a message to each
    member of the enterprise; the dashboard and the e-mails follow after commit.

    Inserted with ``ignore_conflicts`` against the one-case-per-award constraint: a case a
    concurrent run created first stands, and this batch returns only the cases it created
    (those pointing at its calculations).
    """
    Application.objects.bulk_create(
        [
            Application(
                enterprise_id=p.enterprise_id,
                district_id=p.district_id,
                clause=p.clause,
                period=p.award.period,
                award_key=p.award.key,
                status=Status.PROPOSED,
                facts=p.facts,
                calculation=p.calculation,
                estimated_amount_fen=p.calculation.amount_fen,
                created_by=actor,
            )
            for p in proposals
        ],
        batch_size=BATCH,
        ignore_conflicts=True,  # a concurrent run got there first: its case stands
    )
    calc_ids = {p.calculation.pk for p in proposals}
    created = [
        Proposed(*row)
        for row in Application.objects.filter(calculation_id__in=calc_ids)
        .order_by("pk")
        .values_list("pk", "enterprise_id", "clause_id", "estimated_amount_fen", "calculation_id")
    ]
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application_id=case.pk,
                action=ApplicationEvent.PROPOSED,
                to_status=Status.PROPOSED,
                comment=PROPOSAL_COMMENT,
                data={**(data or {}), "amount_fen": case.amount_fen},
            )
            for case in created
        ],
        batch_size=BATCH,
    )
    titles = {p.clause.pk: p.clause.title for p in proposals}
    members: dict[int, list[int]] = {}
    for enterprise_id, user_id in EnterpriseMember.objects.filter(
        enterprise_id__in={case.enterprise_id for case in created}
    ).values_list("enterprise_id", "user_id"):
        members.setdefault(enterprise_id, []).append(user_id)
    notifications_send_bulk(
        [
            Notification(
                user_id=user_id,
                application_id=case.pk,
                title=PROPOSAL_TITLE,
                body=(
                    f"根据部门数据，您单位符合“{titles[case.clause_id]}”（{period_label}），"
                    f"测算金额 {from_fen(case.amount_fen):,.2f} 元。请在“免申即享待确认”页面核对数据和"
                    "银行账户后确认。"
                ),
            )
            for case in created
            for user_id in members.get(case.enterprise_id, ())
        ]
    )
    if created:
        events.publish(
            events.CasesChanged(
                application_ids=tuple(case.pk for case in created), cause="proposed", bulk=True
            )
        )
    return created


@transaction.atomic
def applications_move_district(*, enterprise, actor, district: District) -> int:
    """The enterprise's cases follow it to ``district`` (they keep their district for the
    queues and the dashboards): one event per case moved (who, when, from → to) and the
    dashboard refreshed after commit. How many cases moved."""
    moved = list(
        Application.objects.select_for_update()
        .filter(enterprise=enterprise)
        .exclude(district=district)
        .order_by("pk")
        .values_list("pk", "district_id")
    )
    if not moved:
        return 0
    Application.objects.filter(pk__in=[pk for pk, _ in moved]).update(district=district)
    names = dict(District.objects.filter(pk__in={d for _, d in moved}).values_list("pk", "name"))
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application_id=pk,
                actor=actor,
                action=DISTRICT_MOVED,
                comment=f"企业所属区县由{names[old]}变更为{district.name}，案件随之转办。",
                data={
                    "label": "所属区县变更",
                    "from": {"id": old, "name": names[old]},
                    "to": {"id": district.pk, "name": district.name},
                },
            )
            for pk, old in moved
        ],
        batch_size=BATCH,
    )
    events.publish(
        events.CasesChanged(
            application_ids=tuple(pk for pk, _ in moved), cause="district_moved", bulk=True
        )
    )
    return len(moved)
