"""The overview's non-additive figures: the maintained histograms (``CaseTally``) and enterprise
pairs (``EnterpriseMonth``, ``FiledEnterprise``) equal a rebuild after case-by-case updates, and
figures read from them equal the same figures computed live from the facts."""

import datetime as dt
import importlib
import statistics
from itertools import product
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application
from applications.workflow import Status
from dashboards.figures import live_figures, median_of, summary_figures
from dashboards.filters import CaseFilter
from dashboards.models import (
    CaseFact,
    CaseTally,
    EnterpriseMonth,
    FiledEnterprise,
)
from dashboards.permissions import Viewer
from dashboards.projection import case_fact_refresh, summary_rebuild
from dashboards.selectors import choices, fact_figures
from demo import city as demo_data
from finance.models import PayableShare
from portal.accounts.models import District
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.usefixtures("library")


@pytest.fixture
def generated(db, library):
    """~300 cases of 40 enterprises over 14 months, in every state, with payments."""
    demo_data.generate(enterprises=40, cases=300, months=14, chunk=300, say=lambda _m: None)
    return list(Application.objects.values_list("pk", flat=True))


def maintained() -> dict:
    tallies = CaseTally.objects.exclude(n=0).values_list(
        "grain", "policy_id", "clause_id", "district_id", "month", "status", "measure", "days",
        "day", "n",
    )  # fmt: skip
    pairs = EnterpriseMonth.objects.exclude(n=0).values_list(
        "grain", "district_id", "month", "prev_month", "n"
    )
    filed = FiledEnterprise.objects.exclude(n=0).values_list(
        "grain", "district_id", "enterprise_id", "n"
    )
    return {"tallies": set(tallies), "pairs": set(pairs), "filed": set(filed)}


def test_case_by_case_updates_equal_a_rebuild(generated):
    for pk in generated:  # from an empty projection: every case arrives one by one
        case_fact_refresh(application_id=pk)
    incremental = maintained()
    assert incremental["tallies"] and incremental["pairs"] and incremental["filed"]
    summary_rebuild()
    assert maintained() == incremental


def test_moves_between_months_enterprises_and_states_equal_a_rebuild(generated):
    summary_rebuild()
    cases = list(Application.objects.order_by("pk"))
    other = EnterpriseFactory(district_code="erqi")
    first, second, third, fourth = cases[:4]
    # a case moves to another enterprise (and district), another to an earlier month
    Application.objects.filter(pk=first.pk).update(enterprise=other)
    Application.objects.filter(pk=second.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=700), enterprise=other
    )
    # a filed case back to a draft, one withdrawn, a determined award paid in full
    Application.objects.filter(pk=third.pk).update(status=Status.DRAFT)
    Application.objects.filter(pk=fourth.pk).update(status=Status.WITHDRAWN)
    share = PayableShare.objects.exclude(status=PayableShare.Status.PAID).first()
    PayableShare.objects.filter(payable=share.payable).update(
        status=PayableShare.Status.PAID, paid_on=timezone.localdate(), voucher_no="V-TEST"
    )
    moved = [first.pk, second.pk, third.pk, fourth.pk, share.payable.application_id]
    for pk in moved:
        case_fact_refresh(application_id=pk)
    for pk in moved:  # a duplicate delivery changes nothing
        assert case_fact_refresh(application_id=pk) is False
    incremental = maintained()
    summary_rebuild()
    assert maintained() == incremental


def viewers() -> list[Viewer]:
    district = District.objects.get(code="jinshui").pk
    return [Viewer(True, ""), Viewer(True, "", district)]


def filters(facts) -> list[CaseFilter]:
    months = sorted({f.month for f in facts if f.month})
    some = facts[0]
    middle = months[len(months) // 2]
    return [
        CaseFilter(),
        CaseFilter(month_from=middle),
        CaseFilter(month_to=middle),
        CaseFilter(month_from=months[2], month_to=months[-3]),
        CaseFilter(month_from=middle, month_to=middle),
        CaseFilter(district=some.district_id),
        CaseFilter(district=some.district_id, month_from=middle),
        CaseFilter(policies=(some.policy_id,)),
        CaseFilter(policies=(some.policy_id,), stage="determined", month_to=middle),
        CaseFilter(stage="in_review"),
        CaseFilter(status=Status.DETERMINED, month_from=months[1]),
        CaseFilter(clause=some.clause_id),
        CaseFilter(flag="paid_on_time"),
    ]


def test_figures_from_the_summary_equal_the_live_figures(generated):
    summary_rebuild()
    facts = list(CaseFact.objects.exclude(month=None).order_by("pk"))
    answered = 0
    for days_ago, viewer, filt in product((0, 40, 200), viewers(), filters(facts)):
        today = timezone.localdate() - dt.timedelta(days=days_ago)
        soon = choices(today).soon
        scope = Q() if viewer.citywide else Q(district_id=viewer.district_id)
        live = live_figures(CaseFact.objects.filter(scope), filt, today, soon)
        summary = summary_figures(scope, filt, today, soon, district_held=not viewer.citywide)
        if summary is None:
            continue
        answered += 1
        assert summary == live, (viewer, filt, today)
    assert answered >= 40


def test_the_default_overview_reads_no_fact(generated):
    summary_rebuild()
    viewer = viewers()[0]
    today = timezone.localdate()
    soon = choices(today).soon
    for filt in (CaseFilter(), CaseFilter(month_from=today.replace(day=1)), CaseFilter(district=1)):
        with CaptureQueriesContext(connection) as ctx:
            fact_figures(viewer, filt, today, soon)
        assert len(ctx.captured_queries) == 1
        assert CaseFact._meta.db_table not in ctx.captured_queries[0]["sql"]


@pytest.mark.parametrize(
    "values", [[], [3], [1, 2], [5, 1, 4], [2, 2, 2, 9], [0, 7, 7, 1, 3, 3, 10, 2]]
)
def test_median_of_counts_is_the_median(values):
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    expected = float(statistics.median(values)) if values else None
    assert median_of(counts) == expected


def test_an_upgrade_fills_the_grains_by_policy(generated):
    """Migration 0006 on a database with cases: the new grains (``ps``, ``dps``) as a rebuild
    makes them; run again, it changes nothing."""
    summary_rebuild()
    expected = maintained()["tallies"]
    CaseTally.objects.filter(grain__in=("ps", "dps")).delete()
    migration = importlib.import_module("dashboards.migrations.0006_fill_policy_tallies")
    editor = SimpleNamespace(connection=connection)
    migration.fill(django_apps, editor)
    assert maintained()["tallies"] == expected
    assert {row[0] for row in expected} >= {"ps", "dps"}
    migration.fill(django_apps, editor)
    assert maintained()["tallies"] == expected
