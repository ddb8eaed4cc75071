"""In a real browser, 政策管理员 imports a policy file on the studio's page: upload → preview
(no serious or critical axe finding) → 确认导入 → password again → 继续提交 → the policy in the
library. The file's text goes through the preview's hidden field and the re-authentication's
"continue" page: its line breaks (a literal block, comments) must come back intact."""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.conftest import E2E_MARKS, blocking_violations, logged_in_page

pytestmark = E2E_MARKS
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")


@pytest.mark.django_db(transaction=True)
def test_an_officer_imports_a_policy_file_through_preview_and_reauth(
    browser, live_server, tmp_path
):
    from policies.models import Clause
    from portal.accounts.models import Role
    from tests.factories.accounts import UserFactory
    from tests.policies.test_policy_import import POLICY
    from tests.reauth import PASSWORD

    UserFactory(username="zhengce_e2e", role=Role.POLICY_ADMIN)
    data = {**POLICY, "original_text": "第一条 总则。\n第二条 设备投资补助。\n"}
    path = tmp_path / "设备补助.yaml"
    path.write_text("# 政策文件\n" + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    page = logged_in_page(browser, live_server.url, "zhengce_e2e", PASSWORD)
    page.goto(f"{live_server.url}/policies/studio/")
    page.click("text=从政策文件导入")
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并预览").click()
    assert page.locator("#preview").is_visible()
    assert "设备投资补助" in page.inner_text("#preview")
    assert not blocking_violations(page, "import preview")
    assert not Clause.objects.exists()

    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()
    with page.expect_navigation():
        page.get_by_role("button", name="继续提交：导入政策").click()
    assert "已导入政策 测试〔2024〕7号" in page.inner_text("body")
    clause = Clause.objects.get(code="tst-2024-7/3")
    assert clause.policy.original_text == "第一条 总则。\n第二条 设备投资补助。"
    page.close()
