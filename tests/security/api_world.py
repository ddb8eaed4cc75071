"""The access matrix's small city (``world.py``) plus what the API run needs so that every
operation can succeed for the role it is meant for: cases of our own 金水区 enterprise in
district review, in city review and in an open public notice (with an objection to triage), a
免申即享 proposal of our own, and payment batches of the city's and of 金水区's finance bureau with shares still to pay.

``path_values`` says, for each path parameter of the API, which existing ids (or codes) to
use, and which of them are the foreign enterprise's (in 二七区: outside the scope of every role
under test, so no role may change them), so the schemathesis run hits real objects and checks
that no role changes another enterprise's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from finance.models import PayerLevel
from finance.services.batches import payment_batch_create
from finance.services.payables import payables_create_for_application
from policies.models import Clause
from reviews.services import notice_batch_create, objection_file
from tests.factories.finance import determined_award
from tests.factories.reviews import approve, approved_case, submitted_case
from tests.security.world import AWARD_CLAUSE, RULE_CLAUSE, World, _proposal, build_world


def build_api_world() -> World:
    world = build_world()
    users = world.users
    own = world.own_case.enterprise
    clause = world.clause
    ent, district, city = users["enterprise"], users["district_reviewer"], users["city_reviewer"]

    in_district_review = submitted_case(ent, clause, period="2021")
    in_city_review = submitted_case(ent, clause, period="2020")
    approve(in_city_review, district)
    in_notice = approved_case(ent, clause, district, city, period="2019")
    notice = notice_batch_create(user=city, application_ids=[in_notice.pk], window_days=5)
    own_objection = objection_file(
        user=ent, entry_id=notice.entries.get().pk, name="李四", contact="13800000001", text="核实"
    )

    own_award = determined_award(enterprise=own, clause_code=AWARD_CLAUSE, period="2022")
    [payable] = payables_create_for_application(application=own_award)
    city_share = payable.shares.get(payer_level=PayerLevel.CITY)
    district_share = payable.shares.get(payer_level=PayerLevel.DISTRICT)
    city_batch = payment_batch_create(actor=users["city_finance"], share_ids=[city_share.pk])
    district_batch = payment_batch_create(
        actor=users["district_finance"], share_ids=[district_share.pk]
    )
    own_proposal = _proposal(own, world.run, Clause.objects.get(code=RULE_CLAUSE))

    world.objects.update(
        own=own,
        in_district_review=in_district_review,
        in_city_review=in_city_review,
        open_entry=notice.entries.get(),
        city_batch=city_batch,
        city_share=city_share,
        district_batch=district_batch,
        district_share=district_share,
        own_proposal=own_proposal,
        own_objection=own_objection,
    )
    return world


@dataclass(frozen=True)
class PathValues:
    values: list
    foreign: frozenset  # the values that are the foreign enterprise's data


def path_values(w: World) -> dict[tuple[str, str], PathValues]:
    """(path prefix, parameter name) -> the values to try. The longest matching prefix wins."""
    cases = [w.own_case.pk, w.in_district_review.pk, w.in_city_review.pk, w.case.pk]
    proposals = [w.own_proposal.pk, w.proposal.pk]
    foreign_cases = frozenset({w.case.pk, w.proposal.pk})
    return {
        ("/api/v1/applications/", "id"): PathValues([*cases, w.proposal.pk], foreign_cases),
        ("/api/v1/reviews/cases/", "id"): PathValues(cases, foreign_cases),
        ("/api/v1/proactive/proposals/", "id"): PathValues(proposals, frozenset({w.proposal.pk})),
        ("/api/v1/proactive/runs/", "id"): PathValues([w.run.pk], frozenset()),
        ("/api/v1/enterprises/", "enterprise_id"): PathValues(
            [w.own.pk, w.foreign.pk, w.pending.pk], frozenset({w.foreign.pk, w.pending.pk})
        ),
        ("/api/v1/finance/batches/", "batch_id"): PathValues(
            [w.city_batch.pk, w.district_batch.pk, w.batch.pk], frozenset({w.batch.pk})
        ),
        ("/api/v1/finance/batches/", "share_id"): PathValues(
            [w.city_share.pk, w.district_share.pk, w.share.pk], frozenset({w.share.pk})
        ),
        ("/api/v1/reviews/objections/", "objection_id"): PathValues(
            [w.own_objection.pk, w.objection.pk], frozenset({w.objection.pk})
        ),
        ("/api/v1/reviews/notices/entries/", "entry_id"): PathValues(
            [w.open_entry.pk, w.closed_entry.pk], frozenset({w.closed_entry.pk})
        ),
        ("/api/v1/policies/", "code"): PathValues(["zzw-2022-155"], frozenset()),
        ("/api/v1/clauses/", "code"): PathValues([RULE_CLAUSE, w.clause.code], frozenset()),
    }
