"""Pages and API: each bureau sees only what it pays; "not yours" is a 404; errors in Chinese."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finance.models import LedgerEntry, PayableShare, PayerLevel
from finance.selectors import application_payment_status
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from tests.factories.finance import bank_return_file, determined_award

pytestmark = pytest.mark.usefixtures("library")


@pytest.fixture
def award():
    app = determined_award(
        amount_fen=10_000_001,
        district_code="jinshui",
        determined_at=dt.datetime(2023, 2, 10, 10, tzinfo=dt.UTC),
    )
    [payable] = payables_create_for_application(application=app)
    return {s.payer_level: s for s in payable.shares.all()}


def login(client, user):
    client.force_login(user)
    return client


def test_district_officer_gets_404_for_another_districts_share_and_batch(
    client, api_client, award, district_finance, erqi_finance, reauth, password
):
    share = award[PayerLevel.DISTRICT]
    batch = payment_batch_create(actor=district_finance, share_ids=[share.pk])
    login(client, erqi_finance)
    assert client.get(reverse("finance:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("finance:batch_export", args=[batch.pk])).status_code == 404
    url = reverse("finance:batch_mark_paid", args=[batch.pk, share.pk])
    response = client.post(url, {"voucher_no": "X", "paid_on": timezone.localdate().isoformat()})
    assert response.status_code == 302  # the re-auth page first, whatever the id: no probing
    assert response["Location"].startswith(reverse("accounts:reauth"))
    reauth(client)
    response = client.post(url, {"voucher_no": "X", "paid_on": timezone.localdate().isoformat()})
    assert response.status_code == 404
    api_client.force_authenticate(erqi_finance)
    response = api_client.get(reverse("api-finance-batch", args=[batch.pk]))
    assert response.status_code == 404 and "errors" in response.json()
    api_client.credentials(HTTP_X_REAUTH_PASSWORD=password)
    response = api_client.post(
        reverse("api-finance-mark-paid", args=[batch.pk, share.pk]),
        {"voucher_no": "X", "paid_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 404
    assert api_client.get(reverse("api-finance-shares")).json()["count"] == 0
    share.refresh_from_db()
    assert share.status == PayableShare.Status.IN_BATCH


def test_shares_page_marks_overdue_and_exports(client, award, district_finance):
    login(client, district_finance)
    response = client.get(reverse("finance:shares"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="overdue"' in body  # due 2023-03-31, long past
    assert "50,000.00" in body and "50,000.01" not in body  # only the district's share
    export = client.get(reverse("finance:shares"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5] == "金水区财政局"
    bad = client.get(reverse("finance:shares"), {"due_before": "not-a-date", "page": "x"})
    assert bad.status_code == 200


def test_batch_pages_end_to_end(client, award, city_finance, reauth):
    share = award[PayerLevel.CITY]
    login(client, city_finance)
    assert "1 笔" in client.get(reverse("finance:batches")).content.decode()
    response = client.post(reverse("finance:batches"), {"note": "第一批"})
    batch = share.batch_items.get().batch
    assert response.status_code == 302 and response["Location"].endswith(f"/{batch.pk}/")
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert "50,000.01" in page and "导出银行支付清单" in page
    export = client.get(reverse("finance:batch_export", args=[batch.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    account = share.payable.application.enterprise.bank_account
    upload = bank_return_file(
        [(account, "50000.01", "B77", timezone.localdate().strftime("%Y%m%d"), "交易成功")]
    )
    reauth(client)
    response = client.post(
        reverse("finance:batch_upload_return", args=[batch.pk]), {"file": upload}
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.status == PayableShare.Status.PAID and share.voucher_no == "B77"
    status = application_payment_status(share.payable.application)
    assert status.code == "partial" and str(status.paid) == "50000.01"
    # the case is listed once (counting "HQ" also met random credit codes on the page)
    unmatched = client.get(reverse("finance:unmatched")).content.decode()
    assert unmatched.count(share.payable.application.number) == 1
    recon = client.get(reverse("finance:reconciliation")).content.decode()
    assert "郑政文〔2022〕155号" in recon and "50,000.01" in recon


def test_api_create_batch_mark_paid_idempotent(api_client, award, city_finance, password):
    share = award[PayerLevel.CITY]
    api_client.force_authenticate(city_finance)
    api_client.credentials(HTTP_X_REAUTH_PASSWORD=password)  # the re-authentication
    listing = api_client.get(reverse("api-finance-shares"), {"status": "scheduled"}).json()
    assert listing["count"] == 1 and listing["results"][0]["amount"] == "50000.01"
    created = api_client.post(
        reverse("api-finance-batches"), {"share_ids": [share.pk]}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["count"] == 1 and body["total"] == "50000.01" and body["export_url"]
    url = reverse("api-finance-mark-paid", args=[body["id"], share.pk])
    payload = {"voucher_no": "V1", "paid_on": timezone.localdate().isoformat()}
    first = api_client.post(url, payload, format="json").json()
    second = api_client.post(url, payload, format="json").json()
    assert first["changed"] is True and second["changed"] is False
    other = api_client.post(url, {**payload, "voucher_no": "V2"}, format="json")
    assert other.status_code == 400 and "不能重复支付" in other.json()["errors"]["detail"]
    bad = api_client.post(url, {"voucher_no": "", "paid_on": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"voucher_no", "paid_on"}
    again = api_client.post(
        reverse("api-finance-batches"), {"share_ids": [share.pk]}, format="json"
    )
    assert again.status_code == 400 and "errors" in again.json()
    assert LedgerEntry.objects.filter(share=share, kind="paid").count() == 1


def test_clawback_page_is_for_sys_admin(client, award, city_finance, sys_admin):
    share = award[PayerLevel.CITY]
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    payment_batch_mark_paid(
        batch=batch, share=share, actor=city_finance, voucher_no="V", paid_on=timezone.localdate()
    )
    login(client, city_finance)
    assert client.get(reverse("finance:clawbacks")).status_code == 403
    login(client, sys_admin)
    response = client.post(
        reverse("finance:clawbacks"),
        {
            "application_id": share.payable.application_id,
            "finding": "虚报",
            "amount": "1000",
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    bad = client.post(reverse("finance:clawbacks"), {"application_id": "x", "amount": "abc"})
    assert bad.status_code == 200 and "有误" in bad.content.decode()


def test_lists_do_not_grow_queries_with_rows(client, api_client, city_finance):
    client.force_login(city_finance)
    api_client.force_authenticate(city_finance)
    pages = [reverse("finance:shares"), reverse("finance:unmatched"), reverse("finance:batches")]

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            assert api_client.get(reverse("api-finance-shares")).status_code == 200
        return [*found, len(ctx.captured_queries)]

    payables_create_for_application(application=determined_award())
    client.get(pages[0])  # the session's first request stamps it (idle timeout): not a list cost
    one = counts()
    for _ in range(3):
        payables_create_for_application(application=determined_award())
    assert counts() == one
