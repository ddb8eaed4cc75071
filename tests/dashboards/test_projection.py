"""The summary projection equals a recomputation from the source tables, after transitions,
payments and a duplicate task run; the nightly rebuild produces the same rows."""

import datetime as dt

import pytest
from django.db.models import Sum

from applications.services import application_transition
from applications.workflow import Action, Status
from dashboards.models import (
    BUCKET_KEY,
    BUCKET_SUMS,
    ROLLUP_DIMS,
    CaseBucket,
    CaseFact,
    CaseRollup,
)
from dashboards.projection import fact_of, summary_rebuild
from dashboards.tasks import case_changed
from finance.models import PayableShare, PayerLevel
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.finance import determined_award

pytestmark = pytest.mark.usefixtures("library")


def buckets() -> dict:
    rows = CaseBucket.objects.filter(n__gt=0).values(*BUCKET_KEY, "n", *BUCKET_SUMS)
    return {tuple(r[k] for k in BUCKET_KEY): r for r in rows}


def facts() -> dict:
    return {f.application_id: fact_of(f.application_id) for f in CaseFact.objects.all()}


def move(app, action, capture, **updates):
    with capture(execute=True):
        application_transition(
            application=app,
            user=None,
            action=action,
            system=True,
            comment="意见",
            updates=updates or None,
        )


def test_projection_follows_transitions_and_payments(
    django_capture_on_commit_callbacks, city_finance
):
    capture = django_capture_on_commit_callbacks
    app = ApplicationFactory(enterprise=EnterpriseFactory(district_code="jinshui"))
    other = ApplicationFactory(enterprise=EnterpriseFactory(district_code="erqi"))
    move(app, Action.SUBMIT, capture)
    move(other, Action.SUBMIT, capture)
    assert CaseFact.objects.get(pk=app.pk).status == Status.DISTRICT_REVIEW
    move(other, Action.RETURN_FOR_CORRECTION, capture)
    move(app, Action.DISTRICT_APPROVE, capture)
    move(app, Action.CITY_APPROVE, capture, approved_amount_fen=12_345_67)
    move(app, Action.PUBLISH_NOTICE, capture)
    move(app, Action.DETERMINE, capture)
    with capture(execute=True):
        [payable] = payables_create_for_application(application=app)
    fact = CaseFact.objects.get(pk=app.pk)
    assert (fact.determined_fen, fact.paid_fen, fact.outstanding_fen) == (1234567, 0, 1234567)
    city = payable.shares.get(payer_level=PayerLevel.CITY)
    with capture(execute=True):
        batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
        payment_batch_mark_paid(
            batch=batch, share=city, actor=city_finance, voucher_no="V1", paid_on=dt.date.today()
        )
    fact = CaseFact.objects.get(pk=app.pk)
    assert fact.paid_fen == city.amount_fen
    assert fact.unmatched_fen == payable.shares.get(payer_level=PayerLevel.DISTRICT).amount_fen
    paid = PayableShare.objects.filter(status="paid").aggregate(t=Sum("amount_fen"))["t"]
    assert sum(b["paid_fen"] for b in buckets().values()) == paid

    # incremental == recomputed from the source, and a duplicate run changes nothing
    assert facts() == {f: fact_of(f) for f in facts()}
    before = buckets()
    assert case_changed(app.pk) is False
    assert case_changed(other.pk) is False
    assert buckets() == before

    # the nightly rebuild gives the same projection
    summary_rebuild()
    assert buckets() == before
    assert CaseBucket.objects.filter(status=Status.RETURNED).get().n == 1


def test_rebuild_then_task_applies_only_the_delta(django_capture_on_commit_callbacks):
    award = determined_award(amount_fen=500_00)
    payables_create_for_application(application=award)
    summary_rebuild()
    assert CaseBucket.objects.get(status=Status.DETERMINED).outstanding_fen == 500_00
    assert case_changed(award.pk) is False
    assert CaseBucket.objects.get(status=Status.DETERMINED).n == 1


def rollups_regrouped_from_buckets() -> dict:
    from dashboards.rollups import ANY, GRAINS

    expected: dict = {}
    for bucket in buckets().values():
        for code, dims in GRAINS.items():
            key = (code, *(bucket[d] if d in dims else ANY[d] for d in ROLLUP_DIMS))
            row = expected.setdefault(key, dict.fromkeys(("n", *BUCKET_SUMS), 0))
            for s in ("n", *BUCKET_SUMS):
                row[s] += bucket[s]
    return expected


def rollups() -> dict:
    rows = CaseRollup.objects.values("grain", *ROLLUP_DIMS, "n", *BUCKET_SUMS)
    return {
        (r["grain"], *(r[d] for d in ROLLUP_DIMS)): {s: r[s] for s in ("n", *BUCKET_SUMS)}
        for r in rows
    }


def test_rollups_follow_the_buckets_case_by_case_and_after_a_rebuild(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    app = ApplicationFactory(enterprise=EnterpriseFactory(district_code="jinshui"))
    other = ApplicationFactory(enterprise=EnterpriseFactory(district_code="erqi"))
    move(app, Action.SUBMIT, capture)
    move(other, Action.SUBMIT, capture)
    move(other, Action.RETURN_FOR_CORRECTION, capture)
    move(app, Action.DISTRICT_APPROVE, capture)
    move(app, Action.CITY_APPROVE, capture, approved_amount_fen=12_345_67)
    assert rollups() == rollups_regrouped_from_buckets()
    assert CaseRollup.objects.filter(n=0).count() == 0
    incremental = rollups()
    assert case_changed(app.pk) is False
    assert rollups() == incremental
    summary_rebuild()
    assert rollups() == incremental
