"""One award from registration to the money, in a real browser (Debian's Chromium, driven
by Playwright for Python) against a live server. Every step is screenshotted to
``var/e2e-screenshots/`` (a CI artifact); ``E2E_SCREENSHOTS_TO_DOCS=1`` also refreshes the
curated set in ``docs/screenshots/`` used by the README.

Run alone: ``.venv/bin/pytest -m e2e``. Skipped (with the reason shown) when
``/usr/bin/chromium`` or Playwright is missing: ``make browser`` installs Chromium.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import DOCS, E2E_MARKS, SHOTS, blocking_violations, shrink_png

CURATED = {
    "01-register",
    "03-indicators",
    "05-materials",
    "07-district-return",
    "10-city-approve",
    "11-public-notice",
    "14-batch-paid",
    "15-case-paid",
    "16-leader-dashboard",
}
PASSWORD = "Journey@2026!"
CLAUSE = "zzw-2022-155/2"

pytestmark = E2E_MARKS
playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")


@pytest.fixture
def staff(transactional_db, private_storage):
    from policies.loading import policy_library_load
    from portal.accounts.models import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.applications import open_window

    policy_library_load()
    open_window(CLAUSE)

    def user(username, role, district=None, **kw):
        return UserFactory(
            username=username,
            role=role,
            district_code=district,
            password=PASSWORD,
            name=kw.pop("name", username),
            **kw,
        )

    return {
        "jinshui": user("jinshui", Role.DISTRICT_REVIEWER, "jinshui", name="金水区审核员"),
        "shigxj": user("shigxj", Role.CITY_REVIEWER, name="市工信局审核员"),
        "shicz": user("shicz", Role.FINANCE, name="市财政局经办人"),
        "jinshuicz": user("jinshuicz", Role.FINANCE, "jinshui", name="金水区财政局经办人"),
        "lingdao": user("lingdao", Role.LEADER, name="领导"),
    }


class Journey:
    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(
            base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("dialog", lambda dialog: dialog.accept())  # data-confirm buttons
        self.accessibility: list[str] = []  # axe-core's serious and critical findings, per step
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.accessibility += blocking_violations(self.page, name)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if name in CURATED and os.environ.get("E2E_SCREENSHOTS_TO_DOCS"):
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS / path.name)
            shrink_png(DOCS / path.name)

    def login(self, username: str) -> None:
        self.context.clear_cookies()
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    def click(self, text: str) -> None:
        self.page.get_by_role("button", name=text).first.click()
        self.page.wait_for_load_state()

    def expect_text(self, text: str) -> None:
        playwright_sync.expect(self.page.locator("body")).to_contain_text(text)


def _pdf(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return str(path)


def _check_all(j: Journey, fail: str | None = None) -> None:
    """Pass every material/fact row on the review page (one failed, with a comment)."""
    page = j.page
    radios = page.locator("input[type=radio][value='1']")
    for i in range(radios.count()):
        radios.nth(i).check()
    if fail:
        row = page.locator("tr", has_text=fail).first
        row.locator("input[type=radio][value='0']").check()
        row.locator("input[name$='-comment']").fill("扫描件不清晰，请重新上传")
    j.click("保存审核结果")


def test_an_award_from_registration_to_payment(browser, live_server, staff, tmp_path):
    from stdnum.cn import uscc

    from applications.models import Application
    from applications.workflow import Status
    from finance.models import PayableShare
    from finance.services.payables import payables_create_for_application
    from portal.core.workdays import add_workdays
    from reviews.models import NoticeBatch

    first17 = "91410105MA9E2E0" + "01"
    credit_code = first17 + uscc.calc_check_digit(first17)
    assert uscc.is_valid(credit_code)
    name = "郑州全程测试智能装备有限公司"
    j = Journey(browser, live_server.url)
    page = j.page

    # 1. the enterprise registers
    page.goto("/enterprises/register/")
    fields = {
        "username": "e2e_qiye",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "credit_code": credit_code,
        "name": name,
        "legal_representative": "王五",
        "contact_name": "赵六",
        "contact_mobile": "13912345678",
        "bank_name": "中国银行郑州金水支行",
        "bank_account": "6217000010009876543",
        "bank_account_name": name,
    }
    for field, value in fields.items():
        page.fill(f"[name={field}]", value)
    page.select_option("select[name=district]", label="金水区")
    page.select_option("select[name=industry_division]", value="34")
    page.check("input[name=above_scale]")
    j.shot("01-register")
    j.click("提交注册")
    j.expect_text("待核验")
    j.shot("02-registered")

    # 2. the district reviewer verifies it
    j.login("jinshui")
    page.goto("/enterprises/verification/")
    j.expect_text(name)
    j.click("核验通过")
    j.shot("02-verified")

    # 3. the enterprise enters its indicators
    j.login("e2e_qiye")
    page.goto("/enterprises/indicators/")
    for period, value in (("2022Q1", "100000000"), ("2023Q1", "130000000")):
        page.select_option("select[name=name]", value="revenue")
        page.fill("[name=period]", period)
        page.fill("[name=value]", value)
        j.click("保存")
    j.expect_text("2023Q1")
    j.shot("03-indicators")

    # 4. applies for 155号第2条 with its materials
    from policies.models import Clause

    clause = Clause.objects.get(code=CLAUSE)
    page.goto("/applications/new/")
    page.select_option("select[name=clause]", value=str(clause.pk))
    page.fill("[name=period]", "2023")
    j.click("创建草稿")
    application = Application.objects.get(enterprise__credit_code=credit_code)
    facts = page.locator("form", has=page.get_by_role("button", name="保存并测算"))
    for checkbox in ("above_scale", "manufacturing"):
        box = facts.locator(f"[name={checkbox}]")
        if box.count() and box.get_attribute("type") == "checkbox":
            box.check()
        elif box.count():
            box.select_option(index=1)
    facts.locator("[name=revenue_q1_2023]").fill("130000000")
    facts.locator("[name=revenue_q1_2022]").fill("100000000")
    j.shot("04-facts")
    j.click("保存并测算")
    for i, item in enumerate(clause.materials):
        row = page.locator("tr", has_text=item).first
        row.locator("input[type=file]").set_input_files(_pdf(tmp_path, f"材料{i}.pdf"))
        row.get_by_role("button", name="上传").click()
        page.wait_for_load_state()
    j.shot("05-materials")
    page.check("input[name=commitment]")
    j.click("提交申报")
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW, application.status
    j.shot("06-submitted")

    # 5. the district reviewer returns it with one item to correct
    failed_item = clause.materials[0]
    j.login("jinshui")
    page.goto(f"/reviews/cases/{application.pk}/")
    if page.get_by_role("button", name="认领").count():
        j.click("认领")
    _check_all(j, fail=failed_item)
    page.fill("textarea[name=comment], input[name=comment]", "请重新上传清晰的扫描件")
    j.click("退回补正")
    application.refresh_from_db()
    assert application.status == Status.RETURNED, application.status
    j.shot("07-district-return")

    # 6. the enterprise fixes it and resubmits
    j.login("e2e_qiye")
    page.goto(f"/applications/{application.pk}/")
    j.expect_text("扫描件不清晰")
    row = page.locator("tr", has_text=failed_item).first
    row.locator("input[type=file]").set_input_files(_pdf(tmp_path, "清晰扫描件.pdf"))
    row.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    j.click("补正完毕，重新提交")
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW, application.status
    j.shot("08-resubmitted")

    # 7. district, then city approve
    for reviewer, shot in (("jinshui", "09-district-approve"), ("shigxj", "10-city-approve")):
        j.login(reviewer)
        page.goto(f"/reviews/cases/{application.pk}/")
        if page.get_by_role("button", name="认领").count():
            j.click("认领")
        _check_all(j)
        amount = page.locator("input[name=amount]")
        if not amount.input_value():
            amount.fill("300000")
        j.shot(shot)
        j.click("审核通过")
    application.refresh_from_db()
    assert application.status == Status.APPROVED, application.status

    # 8. the city publishes the notice; a week after it closes the award is determined
    page.goto("/reviews/notices/")
    j.click("全选")  # nothing is ticked at first
    j.expect_text("已选 1 件")
    j.click("发布公示")
    page.goto("/reviews/notices/public/")
    j.expect_text(name)
    j.shot("11-public-notice")
    batch = NoticeBatch.objects.get()
    closing_day = add_workdays(batch.closes_on, 1) + dt.timedelta(days=7)
    call_command("close_notices", "--today", closing_day.isoformat())
    application.refresh_from_db()
    assert application.status == Status.DETERMINED, application.status
    if not PayableShare.objects.filter(payable__application=application).exists():
        payables_create_for_application(application=application)  # the outbox's job
    assert PayableShare.objects.filter(payable__application=application).count() == 2

    # 9. the city and the district finance bureaus each pay their share
    for officer in ("shicz", "jinshuicz"):
        j.login(officer)
        page.goto("/finance/batches/")
        j.click("生成批次")
        j.expect_text(name)
        page.fill("[name=voucher_no]", f"PZ-{officer}-0001")
        page.fill("[name=paid_on]", timezone.localdate().isoformat())
        j.click("已支付")
        # marking paid asks for the password again, then offers what was typed to send on
        assert "/accounts/reauth/" in page.url, page.url
        j.expect_text("登记已支付")
        page.fill("input[name=password]", PASSWORD)
        if officer == "shicz":
            j.shot("12-reauth")
        j.click("验证")
        j.expect_text(f"PZ-{officer}-0001")
        j.click("继续提交")
        j.expect_text("已登记")
        j.shot("14-batch-paid" if officer == "shicz" else "13-district-batch-paid")
    paid = PayableShare.objects.filter(payable__application=application, status="paid")
    assert paid.count() == 2

    j.login("e2e_qiye")
    page.goto(f"/applications/{application.pk}/")
    j.expect_text("已拨付，办结")  # the last payment closed the case (issue 18 item 2)
    j.expect_text("资金拨付通知")
    j.shot("15-case-paid")

    # 10. the leader's dashboard shows it
    j.login("lingdao")
    response = page.goto("/dashboards/")
    assert response is not None and response.ok, "the leader dashboard does not open"
    if settings.CELERY_TASK_ALWAYS_EAGER:  # with a real broker the projection waits for a worker
        j.expect_text("6.00万元")  # the 60,000-yuan award, determined and paid, in the totals
    j.shot("16-leader-dashboard")
    j.context.close()
    assert not j.accessibility, "\n".join(j.accessibility)
