"""In a real browser on a phone (390 px wide), 政策管理员 builds a clause of several parts
(多项相加) on the studio's clause page: choosing the formula shows only its fields, each part
shows only the fields of its own shape; a wrong number comes back next to its field with what
was typed kept, and the error summary's link to it puts the cursor there; the page never
scrolls sideways and has no serious or critical axe finding."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import E2E_MARKS, blocking_violations, logged_in_page

pytestmark = E2E_MARKS
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.django_db(transaction=True)
def test_an_officer_builds_a_sum_of_parts_on_a_phone(browser, live_server):
    from policies.models import ClauseDraft, Policy
    from portal.accounts.models import Role
    from tests.factories.accounts import UserFactory
    from tests.reauth import PASSWORD

    UserFactory(username="zhengce_e2e", role=Role.POLICY_ADMIN)
    today = dt.date.today()
    policy = Policy.objects.create(
        code="zc-2026-1", doc_number="郑政〔2026〕1号", title="技术改造支持措施",
        issuer="郑州市人民政府", level="city", issued_on=today, effective_from=today,
        status="draft",
    )  # fmt: skip

    page = logged_in_page(browser, live_server.url, "zhengce_e2e", PASSWORD, width=390, height=844)
    page.goto(f"{live_server.url}/policies/studio/{policy.code}/clauses/new/")
    assert page.evaluate(SIDEWAYS) <= 0

    page.fill("#f-title", "技术改造综合奖励")
    page.fill("#f-original", "第1条 对技术改造项目给予奖励。")
    page.select_option("select[name=fact1_src]", "new")
    page.fill("input[name=fact1_label]", "设备投资额")
    page.select_option("select[name=fact1_type]", "金额")
    page.select_option("#f-shape", "sum")
    assert page.locator("#f-p1-shape").is_visible() and not page.locator("#f-g-cur").is_visible()
    assert not page.locator("#f-amount").is_visible()
    page.select_option("#f-p1-shape", "fixed")
    assert page.locator("#f-p1-amount").is_visible() and not page.locator("#f-p1-rate").is_visible()
    page.fill("#f-p1-amount", "10")
    page.select_option("#f-p2-shape", "percent")
    assert page.locator("#f-p2-rate").is_visible() and not page.locator("#f-p2-amount").is_visible()
    page.select_option("#f-p2-of", "1")
    page.fill("#f-p2-rate", "十")  # words, not a number
    assert page.evaluate(SIDEWAYS) <= 0
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿并检查").click()

    said = page.locator("#e-p2_rate")
    assert said.is_visible() and "第2项：比例：应为数字" in said.inner_text()
    assert page.locator("#f-p2-rate").input_value() == "十"  # kept as typed
    assert page.locator("#f-p2-rate").get_attribute("aria-describedby") == "e-p2_rate"
    assert not page.locator("#f-p3-amount").is_visible()  # a part not used shows its chooser only
    page.locator("[data-error-link]", has_text="第2项：比例").click()  # the summary's link
    assert page.evaluate("document.activeElement.id") == "f-p2-rate"
    assert page.evaluate(SIDEWAYS) <= 0
    assert not blocking_violations(page, "studio clause (sum of parts)")
    assert ClauseDraft.objects.get(policy=policy).form["p2_rate"] == "十"
    page.close()
