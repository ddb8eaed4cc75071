"""One small city for the access matrix: our roles in 金水区 and the city, and another
enterprise in 二七区 whose case, material, indicator, proposal, shares, batch, clawback and
the objection to its notice are outside the scope of every role under test (or inside it, for
the city-wide ones; see ``KINDS`` in the test). The roles with a district (reviewer, finance
officer, leader) are 金水区's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from applications import services as app_services
from applications.models import Application
from applications.workflow import Status
from dashboards.projection import summary_rebuild
from enterprises.models import Enterprise
from finance.models import PayableShare, PayerLevel
from finance.services.batches import payment_batch_create, payment_batch_mark_paid
from finance.services.clawbacks import clawback_open
from finance.services.payables import payables_create_for_application
from policies.loading import policy_library_load
from policies.models import Calculation, Clause
from policies.rules import rule_version_on
from portal.accounts.models import Role
from proactive.models import MatchRun
from reviews.models import NoticeBatch, NoticeEntry, Objection
from tests.factories.accounts import UserFactory
from tests.factories.applications import (
    DISTRICT_CLAUSE,
    GOOD_FACTS,
    PDF_BYTES,
    ApplicationFactory,
    open_window,
    pdf,
    subject_for,
)
from tests.factories.enterprises import (
    IndicatorFactory,
    enterprise_with_user,
    valid_credit_code,
)
from tests.factories.finance import determined_award

ROLES = (
    "enterprise",
    "district_reviewer",
    "city_reviewer",
    "city_finance",
    "district_finance",
    "leader",
    "district_leader",
    "policy_admin",
    "sys_admin",
    "anonymous",
)
FOREIGN_NAME = "越界核查乙有限公司"
PENDING_NAME = "越界待核验丙有限公司"
FOREIGN_BANK_ACCOUNT = "6217000099990000777"
FOREIGN_OBJECTOR_PHONE = "13937100777"  # an objection to the foreign case: its contact
MATERIAL_MARKER = b"%FOREIGN-MATERIAL-7f3a9c"
RULE_CLAUSE = "zzw-2022-155/2"
# determined awards: 155号第12条 is paid per year, so one enterprise holds several (第2条 is a
# one-off award: its 免申即享 proposal below would be the same award again)
AWARD_CLAUSE = "zzw-2022-155/12"


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _users() -> dict[str, object]:
    return {
        "enterprise": UserFactory(username="m_ent", role=Role.ENTERPRISE),
        "district_reviewer": UserFactory(
            username="m_jinshui_rev", role=Role.DISTRICT_REVIEWER, district_code="jinshui"
        ),
        "city_reviewer": UserFactory(username="m_city_rev", role=Role.CITY_REVIEWER),
        "city_finance": UserFactory(username="m_city_fin", role=Role.FINANCE),
        "district_finance": UserFactory(
            username="m_jinshui_fin", role=Role.FINANCE, district_code="jinshui"
        ),
        "leader": UserFactory(username="m_leader", role=Role.LEADER),
        "district_leader": UserFactory(
            username="m_jinshui_leader", role=Role.LEADER, district_code="jinshui"
        ),
        "policy_admin": UserFactory(username="m_policy", role=Role.POLICY_ADMIN),
        "sys_admin": UserFactory(
            username="m_sys", role=Role.SYS_ADMIN, is_staff=True, is_superuser=True
        ),
        "anonymous": None,
    }


def _foreign_case(user, clause: Clause) -> Application:
    """A case of the foreign enterprise, submitted (so in 二七区's district review)."""
    application = app_services.application_create_draft(
        user=user,
        clause=clause,
        period="2023",
        subject=subject_for(clause),
        facts=GOOD_FACTS[clause.code],
    )
    for item in clause.materials:
        file = pdf(content=PDF_BYTES + MATERIAL_MARKER + b"\n")
        app_services.material_upload(application=application, user=user, item=item, file=file)
    return app_services.application_submit(
        application=application, user=user, commitment_accepted=True
    )


def _proposal(enterprise: Enterprise, run: MatchRun, clause: Clause) -> Application:
    """A 免申即享 proposal for the foreign enterprise, as a matching run writes it."""
    calculation = Calculation.objects.create(
        clause=clause,
        rule_version=rule_version_on(clause),
        engine_version="1",
        facts={},
        result={},
        eligible=True,
        amount_fen=100_000_00,
        source=Calculation.Source.PROACTIVE,
        created_by=run.created_by,
    )
    return ApplicationFactory(
        enterprise=enterprise,
        clause=clause,
        period=run.period,
        status=Status.PROPOSED,
        calculation=calculation,
        estimated_amount_fen=calculation.amount_fen,
        created_by=run.created_by,
    )


def build_world() -> World:
    policy_library_load()
    clause = open_window(DISTRICT_CLAUSE)
    users = _users()
    world = World(users=users)
    own = enterprise_with_user(users["enterprise"], district_code="jinshui")
    world.objects["own_case"] = ApplicationFactory(enterprise=own, clause=clause)

    foreign = enterprise_with_user(
        district_code="erqi",
        name=FOREIGN_NAME,
        credit_code=valid_credit_code(9_876_543, region="410103"),
        bank_account=FOREIGN_BANK_ACCOUNT,
    )
    foreign_user = foreign.members.get().user
    pending = enterprise_with_user(
        district_code="erqi",
        name=PENDING_NAME,
        credit_code=valid_credit_code(9_876_544, region="410103"),
        pending=True,
    )
    case = _foreign_case(foreign_user, clause)
    indicator = IndicatorFactory(enterprise=foreign, name="revenue", period="2022Q4")

    # a determined award of the foreign enterprise: a city share and a 二七区 share
    award = determined_award(enterprise=foreign, district_code="erqi", clause_code=AWARD_CLAUSE)
    [payable] = payables_create_for_application(application=award)
    district_share = payable.shares.get(payer_level=PayerLevel.DISTRICT)
    erqi_finance = UserFactory(username="m_erqi_fin", role=Role.FINANCE, district_code="erqi")
    batch = payment_batch_create(actor=erqi_finance, share_ids=[district_share.pk])
    district_share.refresh_from_db()
    # its city share is paid: 二七区's share is 配套未到位 (the unmatched list)
    city_share = payable.shares.get(payer_level=PayerLevel.CITY)
    city_batch = payment_batch_create(actor=users["city_finance"], share_ids=[city_share.pk])
    payment_batch_mark_paid(
        batch=city_batch,
        share=city_share,
        actor=users["city_finance"],
        voucher_no="V-FOREIGN-CITY",
        paid_on=timezone.localdate(),
    )
    # a second award, paid, with a clawback open on it
    paid = determined_award(
        enterprise=foreign, district_code="erqi", clause_code=AWARD_CLAUSE, period="2024"
    )
    [paid_payable] = payables_create_for_application(application=paid)
    paid_share = paid_payable.shares.get(payer_level=PayerLevel.DISTRICT)
    paid_batch = payment_batch_create(actor=erqi_finance, share_ids=[paid_share.pk])
    payment_batch_mark_paid(
        batch=paid_batch,
        share=paid_share,
        actor=erqi_finance,
        voucher_no="V-FOREIGN-1",
        paid_on=timezone.localdate(),
    )
    clawback = clawback_open(
        application=paid,
        actor=users["sys_admin"],
        finding="核查发现虚报",
        amount=Decimal("100.00"),
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )

    run = MatchRun.objects.create(period="2025", created_by=users["policy_admin"])
    rule_clause = Clause.objects.get(code=RULE_CLAUSE)
    run.clauses.add(rule_clause)
    proposal = _proposal(foreign, run, rule_clause)

    # a notice that closed last week: its entries are no longer public
    today = timezone.localdate()
    notice = NoticeBatch.objects.create(
        title="已结束的公示",
        opens_on=today - dt.timedelta(days=14),
        closes_on=today - dt.timedelta(days=7),
        window_days=5,
        created_by=users["city_reviewer"],
        closed_at=timezone.now(),
    )
    closed_entry = NoticeEntry.objects.create(
        batch=notice, application=award, amount_fen=award.approved_amount_fen
    )
    objection = Objection.objects.create(
        entry=closed_entry,
        user=UserFactory(username="m_objector", role=Role.ENTERPRISE),
        name="王某",
        contact=FOREIGN_OBJECTOR_PHONE,
        text="投资额不实",
    )

    world.objects.update(
        clause=clause,
        foreign=foreign,
        pending=pending,
        case=case,
        material=case.materials.filter(active=True).first(),
        indicator=indicator,
        share=district_share,
        batch=batch,
        clawback=clawback,
        run=run,
        proposal=proposal,
        closed_entry=closed_entry,
        objection=objection,
        award=award,
    )
    assert PayableShare.objects.filter(payable__application__enterprise=foreign).count() == 4
    summary_rebuild()  # the dashboards' projection, as the nightly task leaves it
    return world
