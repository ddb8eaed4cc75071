"""Demo cases in every review state, made through the real services. Idempotent.

Runs after ``demo_users_load``, ``demo_enterprises_load`` and ``demo_windows_open`` (the demo's
own 申报批次 for 155号 is open around today). Each case is keyed by (enterprise, clause, award): a case
that exists already is left alone, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services as app_services
from applications.models import Application, award_period_of
from enterprises.models import Enterprise
from policies import engine
from policies.models import Clause
from portal.accounts.models import User
from reviews import services

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
START = {"signed_and_started_q1_2023": True}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _submit(username: str, code: str, period: str, subject: str, facts: dict | None) -> Application:
    user = _user(username)
    clause = Clause.objects.get(code=code)
    application = app_services.application_create_draft(
        user=user, clause=clause, period=period, subject=subject, facts=facts
    )
    for item in clause.materials:
        app_services.material_upload(
            application=application,
            user=user,
            item=item,
            file=SimpleUploadedFile(f"{item}.pdf", PDF, content_type="application/pdf"),
        )
    return app_services.application_submit(
        application=application, user=user, commitment_accepted=True
    )


def _checks(application: Application, failed: dict[str, str] | None = None) -> list[dict]:
    failed = failed or {}
    targets = [("material", m) for m in application.clause.materials]
    targets += [("fact", s.name) for s in engine.get_clause(application.clause.code).facts]
    return [
        {"kind": k, "target": t, "passed": t not in failed, "comment": failed.get(t, "")}
        for k, t in targets
    ]


def _approve(application: Application, username: str, **kwargs) -> None:
    reviewer = _user(username)
    services.review_claim(application=application, user=reviewer)
    services.review_checks_record(
        application=application, user=reviewer, checks=_checks(application)
    )
    services.review_approve(application=application, user=reviewer, **kwargs)


def _awaiting_district(app: Application) -> None:
    pass


def _returned(app: Application) -> None:
    reviewer = _user("erqi")
    failed = {
        "投资合同（协议）": "合同缺少双方盖章页，请上传完整的盖章合同扫描件。",
        "contract_investment": "填报投资额与合同金额不一致，请按合同约定金额填报。",
    }
    services.review_checks_record(application=app, user=reviewer, checks=_checks(app, failed))
    services.review_return(application=app, user=reviewer)


def _city_review(app: Application) -> None:
    _approve(app, "jinshui")


def _approved(app: Application) -> None:
    _approve(app, "shigxj")


def _in_notice(app: Application) -> None:
    _approve(app, "shigxj")
    services.notice_batch_create(user=_user("shigxj"), application_ids=[app.pk])


def _determined(app: Application) -> None:
    _approve(app, "jinshui")
    _approve(app, "shigxj")
    today = timezone.localdate()
    services.notice_batch_create(
        user=_user("shigxj"),
        application_ids=[app.pk],
        title="惠企政策拟支持企业名单公示（演示：已期满）",
        opens_on=today - dt.timedelta(days=21),
    )
    services.notices_close(today=today)


def _notice_ended(app: Application) -> None:
    """In a notice whose period ended yesterday, not closed yet: the city reviewer closes it
    from the notices page (公示期满待办结 on the home page)."""
    _approve(app, "erqi")
    _approve(app, "shigxj")
    today = timezone.localdate()
    services.notice_batch_create(
        user=_user("shigxj"),
        application_ids=[app.pk],
        title="惠企政策拟支持企业名单公示（演示：已期满，待办结）",
        window_days=5,
        opens_on=today - dt.timedelta(days=21),
    )


# (enterprise login, clause, period, subject, facts or None = the enterprise's own data, then
# what to do). One case per award: 155号第5条 pays each project signed and started in 2023Q1
# once (the period is the text's own), so qiye's three cases are for three projects; the
# yearly 上云 vouchers are one case per enterprise and year.
DEMO_CASES: list[tuple[str, str, str, str, dict | None, Callable[[Application], None]]] = [
    ("qiye", "zzw-2022-155/5", "2023Q1", "郑州高新区智能传感器产业园项目",
     {**START, "contract_investment": "1200000000"}, _awaiting_district),
    ("qiye2", "zzw-2022-155/5", "2023Q1", "二七区精密制造基地项目",
     {**START, "contract_investment": "600000000"}, _returned),
    ("qiye", "zzw-2022-155/5", "2023Q1", "经开区新能源汽车零部件扩产项目",
     {**START, "contract_investment": "2500000000"}, _city_review),
    ("qiye2", "zzw-2022-155/12", "2023", "", {"cloud_star_rated": True, "voucher_amount": "40000"},
     _approved),
    ("qiye", "zzw-2022-155/12", "2023", "", {"cloud_star_rated": True, "voucher_amount": "50000"},
     _in_notice),
    ("qiye", "zzw-2022-155/5", "2023Q1", "航空港区电子信息材料项目",
     {**START, "contract_investment": "1200000000"}, _determined),
    ("qiye2", "zzw-2022-155/5", "2023Q1", "二七区智能仓储物流项目",
     {**START, "contract_investment": "800000000"}, _notice_ended),
]  # fmt: skip


PROPOSAL_CLAUSE = "zzw-2022-155/1"  # 免申即享; 155号第2条 stays for qiye to apply by hand


def demo_proposal_load() -> Application | None:
    """One 免申即享 proposal for ``qiye``, as a matching run makes it: 155号第1条 calculated by
    the engine from the enterprise's own figures, written by the case file's bulk writer
    (event and message included). None when it exists already or the figures do not fit."""
    from applications.bulk import Proposal, application_propose_bulk
    from policies.models import Calculation
    from policies.services import award_calculate, facts_jsonable
    from portal.accounts.system import system_user
    from proactive.facts import facts_for_enterprises

    enterprise = Enterprise.objects.filter(members__user__username="qiye").first()
    clause = Clause.objects.filter(code=PROPOSAL_CLAUSE).first()
    if enterprise is None or clause is None:
        return None
    award = award_period_of(clause.code, "2023")
    if Application.objects.filter(
        enterprise=enterprise, clause=clause, award_key=award.key
    ).exists():
        return None
    facts = facts_for_enterprises([enterprise], year=2023)[enterprise.pk]
    calculated = award_calculate(code=clause.code, facts=facts, source=Calculation.Source.PROACTIVE)
    if calculated.calculation is None or not calculated.result.eligible:
        return None
    [proposed] = application_propose_bulk(
        proposals=[
            Proposal(
                enterprise_id=enterprise.pk,
                district_id=enterprise.district_id,
                clause=clause,
                award=award,
                facts=facts_jsonable(facts),
                calculation=calculated.calculation,
            )
        ],
        actor=system_user(),
        period_label="2023年",
    )
    return Application.objects.get(pk=proposed.pk)


def demo_cases_load() -> list[Application]:
    """Create the demo cases that do not exist yet; returns the ones created."""
    created = []
    for username, code, period, subject, facts, then in DEMO_CASES:
        enterprise = Enterprise.objects.filter(members__user__username=username).first()
        if enterprise is None:
            continue
        award = award_period_of(code, period, subject)
        exists = Application.objects.filter(
            enterprise=enterprise, clause__code=code, award_key=award.key
        ).exists()
        if exists:
            continue
        application = _submit(username, code, period, subject, facts)
        then(application)
        created.append(application)
    return created
