"""The batch page a finance officer fills in: today's date pre-filled as a date input can read
it, every input labelled, the confirmation naming payee and amount; numbers in Beijing time."""

import datetime as dt
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.models import PayableShare, PayerLevel, PaymentBatch
from finance.services import payables_create_for_application, payment_batch_create
from tests.factories.finance import determined_award

pytestmark = pytest.mark.usefixtures("library")
# 04:30 on 7 December in Beijing is still 6 December in UTC
EARLY_MORNING = dt.datetime(2026, 12, 6, 20, 30, tzinfo=dt.UTC)


class _Page(HTMLParser):
    """Inputs, labels and buttons of a page, as a browser (and a screen reader) sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: dict[str, str] = {}
        self.buttons: list[dict] = []
        self._label: str | None = None
        self._button: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input":
            self.inputs.append(a)
        elif tag == "button":
            self._button = {**a, "text": ""}
            self.buttons.append(self._button)
        elif tag == "label" and a.get("for"):
            self._label = a["for"]
            self.labels[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        if tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data.strip()
        if self._button is not None:
            self._button["text"] += data.strip()

    def named(self, name: str) -> list[dict]:
        return [i for i in self.inputs if i.get("name") == name]


@pytest.fixture
def batch(city_finance):
    app = determined_award(amount_fen=10_000_001, district_code="jinshui")
    [payable] = payables_create_for_application(application=app)
    share = payable.shares.get(payer_level=PayerLevel.CITY)
    return payment_batch_create(actor=city_finance, share_ids=[share.pk])


def test_a_batch_made_at_0430_beijing_time_is_numbered_with_the_beijing_date(batch):
    PaymentBatch.objects.filter(pk=batch.pk).update(created_at=EARLY_MORNING)
    batch.refresh_from_db()
    assert batch.number == f"PC20261207-{batch.pk:05d}"


def test_the_paid_date_is_prefilled_with_todays_iso_date_in_beijing(client, batch, city_finance):
    PaymentBatch.objects.filter(pk=batch.pk).update(created_at=EARLY_MORNING)
    client.force_login(city_finance)
    later = EARLY_MORNING + dt.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    [paid_on] = _Page(html).named("paid_on")
    # a date input shows nothing for "2026/12/07"; the date lies in the allowed range
    assert (paid_on["type"], paid_on["value"]) == ("date", "2026-12-07")
    assert (paid_on["min"], paid_on["max"]) == ("2026-12-07", "2026-12-07")
    assert "PC20261207-" in html


def test_inputs_have_labels_and_placeholders_and_the_confirmation_names_payee_and_amount(
    client, city_finance, batch
):
    other = determined_award(amount_fen=2_000_000, district_code="erqi")
    [payable] = payables_create_for_application(application=other)
    share = payable.shares.get(payer_level=PayerLevel.CITY)
    second = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    client.force_login(city_finance)
    html = client.get(reverse("finance:batch", args=[second.pk])).content.decode()
    page = _Page(html)
    ids = [i["id"] for i in page.inputs if i.get("id")]
    assert len(ids) == len(set(ids)), "every input has its own id"
    expected = {"voucher_no": "银行凭证号", "paid_on": "支付日期", "reason": "失败原因"}
    for name, label in expected.items():
        [field] = page.named(name)
        assert label in page.labels.get(field.get("id"), ""), name
        assert "required" in field
    assert page.named("voucher_no")[0]["placeholder"] == "银行凭证号"
    assert page.named("reason")[0]["placeholder"] == "失败原因"
    item = second.items.get()
    payee, amount = item.payee_name, f"{item.amount_fen / 100:,.2f} 元"
    confirms = {b["text"]: b.get("data-confirm", "") for b in page.buttons}
    for text in (confirms["已支付"], confirms["支付失败"]):
        assert payee in text and amount in text


def test_the_prefilled_date_is_accepted_when_posted(client, city_finance, reauth, batch):
    client.force_login(city_finance)
    html = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    [paid_on] = _Page(html).named("paid_on")
    assert paid_on["value"] == timezone.localdate().isoformat()
    reauth(client)
    share = batch.items.get().share
    response = client.post(
        reverse("finance:batch_mark_paid", args=[batch.pk, share.pk]),
        {"voucher_no": "V2026", "paid_on": paid_on["value"]},
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert (share.status, share.paid_on) == (PayableShare.Status.PAID, timezone.localdate())
