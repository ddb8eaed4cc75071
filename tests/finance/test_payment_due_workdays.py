"""PORTAL_PAYMENT_DUE_WORKDAYS: one setting (from the environment, default 20) for the shares'
due dates, the 拨付 step's promise on the step bar and the 受理回执."""

import datetime as dt
import io
import re
import runpy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications.receipts import RECEIPT, document_pdf
from applications.steps import case_steps
from applications.workflow import Status
from finance.services import payables_create_for_application
from portal.core import pdf
from portal.core.workdays import add_workdays
from tests.factories.applications import ApplicationFactory
from tests.factories.finance import determined_award

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings" / "base.py"


@pytest.mark.parametrize(("environ", "expected"), [(None, 20), ("", 20), ("7", 7)])
def test_the_setting_comes_from_the_environment_with_20_by_default(monkeypatch, environ, expected):
    if environ is None:
        monkeypatch.delenv("PORTAL_PAYMENT_DUE_WORKDAYS", raising=False)
    else:
        monkeypatch.setenv("PORTAL_PAYMENT_DUE_WORKDAYS", environ)
    assert runpy.run_path(str(BASE_SETTINGS))["PORTAL_PAYMENT_DUE_WORKDAYS"] == expected


@pytest.mark.usefixtures("library")
@pytest.mark.skipif(pdf.font_path() is None, reason=pdf.NO_FONT)
def test_step_bar_receipt_and_payables_all_follow_the_setting(settings):
    settings.PORTAL_PAYMENT_DUE_WORKDAYS = 5

    filed = ApplicationFactory(status=Status.DISTRICT_REVIEW, submitted_at=timezone.now())
    steps = {s.name: s for s in case_steps(filed, events=[])}
    assert steps["拨付"].limit == "确定后5个工作日"

    content, _ = document_pdf(filed, RECEIPT)
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    )
    assert "确定支持后5个工作日内拨付" in text and "20个工作日" not in text

    # determined after 155号's 2023-03-31 target: the working-day promise decides the due date
    determined = dt.datetime(2023, 9, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    [payable] = payables_create_for_application(
        application=determined_award(determined_at=determined)
    )
    assert {s.due_date for s in payable.shares.all()} == {add_workdays(determined.date(), 5)}
