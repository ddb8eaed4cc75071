"""受理回执 and 资金拨付通知: PDFs with the Chinese font embedded, served to the case's own
enterprise and staff in scope only (another enterprise gets 404), downloads audited."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications.workflow import Status
from finance.models import PayerLevel
from finance.services import (
    payables_create_for_application,
    payment_batch_create,
    payment_batch_mark_paid,
)
from portal.accounts.models import Role
from portal.core import pdf
from portal.core.models import AuditRecord
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.enterprises import EnterpriseMemberFactory
from tests.factories.finance import determined_award

pytestmark = [
    pytest.mark.usefixtures("library"),
    pytest.mark.skipif(pdf.font_path() is None, reason=pdf.NO_FONT),
]


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages)


def _embedded_fonts(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.append(str(font["/BaseFont"]))
    return found


def _submitted(enterprise_user):
    app = ApplicationFactory(
        status=Status.DISTRICT_REVIEW,
        submitted_at=timezone.now(),
        estimated_amount_fen=123_456_78,
    )
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    return app


def test_the_receipt_is_a_pdf_with_the_case_number_and_amount(client, enterprise_user):
    app = _submitted(enterprise_user)
    client.force_login(enterprise_user)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert f"/applications/{app.pk}/documents/receipt.pdf" in page
    response = client.get(f"/applications/{app.pk}/documents/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    text = _text(content)
    assert app.number in text and "受理回执" in text and "123,456.78 元" in text
    assert "金水区工信局" in text and "5个工作日" in text
    assert _embedded_fonts(content), "the Chinese font is embedded"
    record = AuditRecord.objects.get(kind="export.case_receipt")
    assert record.actor == enterprise_user.username
    assert record.object_ref == f"applications.Application:{app.pk}"
    # printed again: a second record (the audit keeps one row per event copy, not per case)
    assert client.get(f"/applications/{app.pk}/documents/receipt.pdf").status_code == 200
    assert AuditRecord.objects.filter(kind="export.case_receipt").count() == 2


def test_another_enterprise_and_a_draft_get_404(client, enterprise_user):
    app = _submitted(enterprise_user)
    stranger = UserFactory(username="other_ent", role=Role.ENTERPRISE)
    EnterpriseMemberFactory(user=stranger)
    client.force_login(stranger)
    assert client.get(f"/applications/{app.pk}/documents/receipt.pdf").status_code == 404
    assert client.get(f"/api/v1/applications/{app.pk}/documents/receipt.pdf").status_code == 404
    draft = ApplicationFactory(enterprise=app.enterprise, status=Status.DRAFT, period="2024")
    client.force_login(enterprise_user)
    assert client.get(f"/applications/{draft.pk}/documents/receipt.pdf").status_code == 404
    assert client.get(f"/applications/{app.pk}/documents/payment-notice.pdf").status_code == 404
    assert client.get(f"/applications/{app.pk}/documents/other.pdf").status_code == 404
    assert not AuditRecord.objects.filter(kind__startswith="export.case_").exists()


def test_staff_in_scope_read_it_and_out_of_scope_do_not(
    client, district_reviewer, other_district_reviewer, enterprise_user
):
    app = _submitted(enterprise_user)
    client.force_login(district_reviewer)
    assert client.get(f"/applications/{app.pk}/documents/receipt.pdf").status_code == 200
    assert (
        f"/applications/{app.pk}/documents/receipt.pdf"
        in client.get(f"/reviews/cases/{app.pk}/").content.decode()
    )
    client.force_login(other_district_reviewer)
    assert client.get(f"/applications/{app.pk}/documents/receipt.pdf").status_code == 404


def test_the_payment_notice_names_amount_and_voucher_in_the_api_too(
    client, enterprise_user, city_finance
):
    app = determined_award(amount_fen=20_000_000)
    EnterpriseMemberFactory(enterprise=app.enterprise, user=enterprise_user)
    [payable] = payables_create_for_application(application=app)
    city = payable.shares.get(payer_level=PayerLevel.CITY)
    client.force_login(enterprise_user)
    url = f"/api/v1/applications/{app.pk}/documents/payment-notice.pdf"
    assert client.get(url).status_code == 404  # nothing paid yet
    batch = payment_batch_create(actor=city_finance, share_ids=[city.pk])
    payment_batch_mark_paid(
        batch=batch, share=city, actor=city_finance, voucher_no="CZ2026-0099",
        paid_on=timezone.localdate(),
    )  # fmt: skip
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "资金拨付通知" in text and app.number in text
    assert "100,000.00 元" in text and "CZ2026-0099" in text and "部分拨付" in text
    assert AuditRecord.objects.get(kind="export.case_payment_notice").data["channel"] == "api"
