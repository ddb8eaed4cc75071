"""Cases moved through the real review services, step by step."""

from __future__ import annotations

from applications import services as app_services
from policies import engine
from reviews import services
from tests.factories.applications import GOOD_FACTS, pdf, subject_for


def ready_draft(user, clause, period: str = "2023"):
    application = app_services.application_create_draft(
        user=user,
        clause=clause,
        period=period,
        subject=subject_for(clause, period),
        facts=GOOD_FACTS[clause.code],
    )
    for item in clause.materials:
        app_services.material_upload(application=application, user=user, item=item, file=pdf())
    return application


def submitted_case(user, clause, period: str = "2023"):
    return app_services.application_submit(
        application=ready_draft(user, clause, period), user=user, commitment_accepted=True
    )


def all_checks(application, *, failed: dict[str, str] | None = None) -> list[dict]:
    """A pass for every material and fact, except ``failed`` targets (target -> comment)."""
    failed = failed or {}
    rows = [("material", item) for item in application.clause.materials]
    rows += [("fact", s.name) for s in engine.get_clause(application.clause.code).facts]
    return [
        {"kind": kind, "target": t, "passed": t not in failed, "comment": failed.get(t, "")}
        for kind, t in rows
    ]


def pass_all(application, reviewer):
    return services.review_checks_record(
        application=application, user=reviewer, checks=all_checks(application)
    )


def approve(application, reviewer, **kwargs):
    pass_all(application, reviewer)
    return services.review_approve(application=application, user=reviewer, **kwargs)


def approved_case(user, clause, district_reviewer, city_reviewer, period: str = "2023"):
    application = submitted_case(user, clause, period)
    approve(application, district_reviewer)
    approve(application, city_reviewer)
    return application
