"""Payment batches: own payer only, paid once, failed shares paid in a later batch, bank files."""

import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from finance import excel
from finance.models import LedgerEntry, PayableShare, PayerLevel, PaymentBatch, PaymentBatchItem
from finance.services import (
    payables_create_for_application,
    payment_batch_apply_bank_return,
    payment_batch_create,
    payment_batch_mark_failed,
    payment_batch_mark_paid,
)
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.money import amount_in_words
from tests.factories.finance import bank_return_file, determined_award

pytestmark = pytest.mark.usefixtures("library")
PAID_ON = timezone.localdate()  # a paid date lies between the batch day and today
S = PayableShare.Status


def shares_of(app):
    [payable] = payables_create_for_application(application=app)
    found = {s.payer_level: s for s in payable.shares.all()}
    return found[PayerLevel.CITY], found[PayerLevel.DISTRICT]


def paid_entries(share):
    return LedgerEntry.objects.filter(share=share, kind=LedgerEntry.Kind.PAID).count()


def test_batch_of_own_shares_and_mark_paid(city_finance):
    city, _ = shares_of(determined_award(amount_fen=10_000_001))
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    city.refresh_from_db()
    assert city.status == S.IN_BATCH and city.batch == batch
    assert payment_batch_mark_paid(
        batch=batch, share=city, actor=city_finance, voucher_no="V001", paid_on=PAID_ON
    )
    city.refresh_from_db()
    assert (city.status, city.voucher_no, city.paid_on) == (S.PAID, "V001", PAID_ON)
    kinds = list(LedgerEntry.objects.filter(share=city).values_list("kind", "actor"))
    assert kinds == [("scheduled", None), ("batched", city_finance.pk), ("paid", city_finance.pk)]


def test_a_batch_cannot_hold_another_payers_share(city_finance, district_finance, erqi_finance):
    city, district = shares_of(determined_award(district_code="jinshui"))
    with pytest.raises(NotFound):
        payment_batch_create(actor=city_finance, share_ids=[city.pk, district.pk])
    with pytest.raises(NotFound):
        payment_batch_create(actor=erqi_finance, share_ids=[district.pk])
    assert not PaymentBatch.objects.exists()
    assert payment_batch_create(actor=district_finance, share_ids=[district.pk])


def test_the_database_refuses_a_foreign_share_in_a_batch(city_finance, district_finance):
    city, district = shares_of(determined_award())
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatchItem.objects.create(
            batch=batch,
            share=district,
            payer_level=PayerLevel.CITY,  # lying about the payer does not help either
            amount_fen=district.amount_fen,
            payee_name="x",
            credit_code="x",
            bank_name="x",
            bank_account="1",
            purpose="x",
        )


def test_only_finance_officers_build_batches(city_reviewer):
    city, _ = shares_of(determined_award())
    with pytest.raises(PermissionRefused):
        payment_batch_create(actor=city_reviewer, share_ids=[city.pk])


def test_a_share_is_in_one_batch_at_a_time(city_finance):
    city, _ = shares_of(determined_award())
    payment_batch_create(actor=city_finance, share_ids=[city.pk])
    with pytest.raises(DomainError, match="已组批"):
        payment_batch_create(actor=city_finance, share_ids=[city.pk])


def test_mark_paid_twice_changes_nothing_and_paid_is_final(city_finance):
    city, _ = shares_of(determined_award())
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    kwargs = {"batch": batch, "share": city, "actor": city_finance}
    assert payment_batch_mark_paid(**kwargs, voucher_no="V1", paid_on=PAID_ON) is True
    assert payment_batch_mark_paid(**kwargs, voucher_no="V1", paid_on=PAID_ON) is False
    assert paid_entries(city) == 1
    with pytest.raises(DomainError, match="不能重复支付"):
        payment_batch_mark_paid(**kwargs, voucher_no="V2", paid_on=PAID_ON)
    with pytest.raises(DomainError, match="已支付"):
        payment_batch_mark_failed(**kwargs, reason="账户冻结")
    with pytest.raises(DomainError):  # a paid share cannot go into another batch
        payment_batch_create(actor=city_finance, share_ids=[city.pk])
    city.refresh_from_db()
    assert (city.status, city.voucher_no) == (S.PAID, "V1") and paid_entries(city) == 1


def test_the_ledger_is_append_only(city_finance):
    city, _ = shares_of(determined_award())
    entry = LedgerEntry.objects.filter(share=city).first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE finance_ledgerentry SET note = 'x' WHERE id = %s", [entry.pk])


def test_a_failed_share_is_paid_in_the_next_batch(city_finance):
    city, _ = shares_of(determined_award())
    first = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    assert payment_batch_mark_failed(batch=first, share=city, actor=city_finance, reason="户名不符")
    assert not payment_batch_mark_failed(
        batch=first, share=city, actor=city_finance, reason="户名不符"
    )
    city.refresh_from_db()
    assert city.status == S.FAILED and city.failure_reason == "户名不符"
    second = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    with pytest.raises(DomainError):  # not payable through the batch where it failed
        payment_batch_mark_paid(
            batch=first, share=city, actor=city_finance, voucher_no="V9", paid_on=PAID_ON
        )
    payment_batch_mark_paid(
        batch=second, share=city, actor=city_finance, voucher_no="V9", paid_on=PAID_ON
    )
    city.refresh_from_db()
    assert city.status == S.PAID and city.batch == second and paid_entries(city) == 1
    results = dict(PaymentBatchItem.objects.filter(share=city).values_list("batch", "result"))
    assert results == {first.pk: "failed", second.pk: "paid"}


def test_bank_list_has_amount_in_words_and_purpose(city_finance):
    app = determined_award(amount_fen=21_400_101)  # 214,001.01 -> city 107,000.51
    city, _ = shares_of(app)
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    book = load_workbook(io.BytesIO(excel.bank_list(batch.items.all())))
    header, row = (list(r) for r in book.active.iter_rows(values_only=True))
    assert header == list(excel.BANK_LIST_HEADERS)
    assert row[1] == app.enterprise.name and row[2] == app.enterprise.credit_code
    assert (row[3], row[4]) == (app.enterprise.bank_name, app.enterprise.bank_account)
    assert Decimal(str(row[5])) == Decimal("107000.51")
    assert row[6] == "人民币壹拾万柒仟元零伍角壹分" == amount_in_words(Decimal("107000.51"))
    assert row[7] == "郑政文〔2022〕155号第2条奖励（市级分担部分）"


def test_bank_return_file_applies_whole_or_not_at_all(city_finance):
    one, _ = shares_of(determined_award(amount_fen=200_000))
    two, _ = shares_of(determined_award(amount_fen=300_000))
    batch = payment_batch_create(actor=city_finance, share_ids=[one.pk, two.pk])
    acct = one.payable.application.enterprise.bank_account
    acct2 = two.payable.application.enterprise.bank_account
    bad = bank_return_file(
        [
            (acct, "1000.00", "B1", timezone.localdate().isoformat(), "成功"),
            (acct2, "999.99", "B2", timezone.localdate().isoformat(), "成功"),  # wrong amount
            (acct2, "1500.00", "", timezone.localdate().isoformat(), "成功"),  # no voucher
        ]
    )
    with pytest.raises(DomainError) as caught:
        payment_batch_apply_bank_return(batch=batch, actor=city_finance, file=bad)
    assert set(caught.value.errors) == {"file", "第3行", "第4行"}
    assert not PayableShare.objects.filter(status=S.PAID).exists()
    good = [
        (acct, "1000.00", "B1", timezone.localdate().isoformat(), "成功"),
        (acct2, "1500.00", "", "", "失败：账户已冻结"),
    ]
    summary = payment_batch_apply_bank_return(
        batch=batch, actor=city_finance, file=bank_return_file(good)
    )
    assert (summary.paid, summary.failed, summary.unchanged) == (1, 1, 0)
    again = payment_batch_apply_bank_return(
        batch=batch, actor=city_finance, file=bank_return_file(good)
    )
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 2)
    assert paid_entries(one) == 1


def test_bank_return_refuses_a_file_that_is_not_a_workbook(city_finance):
    from django.core.files.uploadedfile import SimpleUploadedFile

    city, _ = shares_of(determined_award())
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    junk = SimpleUploadedFile("回单.xlsx", b"not a workbook")
    with pytest.raises(DomainError, match="不是 Excel"):
        payment_batch_apply_bank_return(batch=batch, actor=city_finance, file=junk)


@pytest.mark.parametrize("share_id", [0, 2**63, 10**31])
def test_api_refuses_a_share_id_no_share_can_have(api_client, city_finance, share_id):
    """A number beyond any key is a 400 with the field named, not SQLite's OverflowError."""
    api_client.force_authenticate(city_finance)
    url = "/api/v1/finance/batches/"
    response = api_client.post(url, {"share_ids": [share_id]}, format="json")
    assert response.status_code == 400
    assert "share_ids" in response.json()["errors"]
