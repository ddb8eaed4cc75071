"""Every role's main pages in a real browser, on the demo data set (the named demo logins and
their cases in each state):

- axe-core (axe-playwright-python) finds no serious or critical violation on any of them: form
  labels, contrast, headings, landmarks, what GB/T 37668 asks for;
- the enterprise's pages work on a phone (390×844): the menu folds behind a 菜单 button that says
  whether it is open, nothing is wider than the screen, wide tables turn into labelled cards;
  staff pages stay desktop-first but are never wider than the screen either;
- each role's home and case page are screenshotted at 1366 and 390 wide, to
  ``var/e2e-screenshots/`` and, with ``E2E_SCREENSHOTS_TO_DOCS=1`` (``make screenshots``), to
  ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests.e2e.conftest import DOCS, E2E_MARKS, SHOTS, blocking_violations, shrink_png

pytestmark = E2E_MARKS
playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOT_MAX_HEIGHT = 3200  # px: a screenshot shows the top of a long page, enough to judge it

# Every table row shown as a card says which column each value comes from; returns the cells
# that do not (their text and the heading they should carry).
UNLABELLED_CARDS = """() => {
  const bad = [];
  for (const table of document.querySelectorAll("table.list")) {
    if (!table.tHead || table.offsetParent === null) continue;
    const headings = [];
    for (const th of table.tHead.rows[0].cells)
      for (let i = 0; i < th.colSpan; i++) headings.push(th.textContent.trim());
    if (headings.length < 3) continue;
    for (const body of table.tBodies) for (const row of body.rows) {
      if (getComputedStyle(row).display !== "block") { bad.push("row not a card: " + row.textContent.trim().slice(0, 40)); continue; }
      let column = 0;
      for (const cell of row.cells) {
        const heading = headings[column];
        column += cell.colSpan;
        if (cell.colSpan > 1 || !heading || !cell.textContent.trim()) continue;
        const label = getComputedStyle(cell, "::before").content;
        if (label !== JSON.stringify(heading)) bad.push(heading + " ≠ " + label + ": " + cell.textContent.trim().slice(0, 30));
      }
    }
  }
  return bad;
}"""


@dataclass
class Findings:
    """What the visits found, reported together at the end (one failing page does not hide
    the others)."""

    axe: list[str] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


class Visitor:
    """One browser context (one screen size), logged in as one user at a time."""

    def __init__(self, browser, base_url: str, viewport: dict, findings: Findings):
        self.context = browser.new_context(base_url=base_url, locale="zh-CN", viewport=viewport)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.width = viewport["width"]
        self.findings = findings

    def login(self, username: str, password: str) -> None:
        self.context.clear_cookies()
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    def visit(self, url: str, who: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, (
            f"{who}: {url} answered {response and response.status}"
        )
        self.findings.pages.append(f"{who} {self.width}px {url}")

    def check_axe(self, who: str) -> None:
        self.findings.axe += blocking_violations(self.page, f"{who} {self.width}px")

    def check_fits(self, who: str) -> None:
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            self.findings.layout.append(
                f"{who} {self.page.url}: {overflow}px wider than the screen"
            )

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        height = self.page.evaluate("() => document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": self.width, "height": min(height, SHOT_MAX_HEIGHT)}
        self.page.screenshot(path=str(path), full_page=True, clip=clip)
        shrink_png(path)
        if os.environ.get("E2E_SCREENSHOTS_TO_DOCS"):
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS / path.name)


@pytest.fixture
def demo(transactional_db, private_storage):
    """The named demo logins (password ``Demo@2026!``), enterprises and cases, as ``make run``
    loads them; returns the cases by enterprise login and status."""
    from applications.models import Application
    from demo.cases import demo_cases_load
    from demo.enterprises import demo_enterprises_load
    from demo.services import DEMO_PASSWORD, demo_users_load, demo_windows_open
    from policies.loading import policy_library_load

    policy_library_load()
    demo_users_load()
    demo_enterprises_load()
    demo_windows_open()
    demo_cases_load()
    cases: dict[tuple[str, str], int] = {}
    for application in Application.objects.select_related("enterprise").order_by("pk"):
        owner = "qiye" if application.enterprise.name.startswith("郑州示范机械") else "qiye2"
        cases.setdefault((owner, application.status), application.pk)
    return {"password": DEMO_PASSWORD, "cases": cases}


def _enterprise_pages(cases: dict) -> list[str]:
    from applications.workflow import Status

    return [
        "/",
        reverse("enterprises:recommendations"),
        reverse("enterprises:indicators"),
        reverse("applications:list"),
        reverse("applications:notifications"),
        reverse("proactive:proposals"),
        reverse("enterprises:profile"),
        *(
            reverse("applications:detail", args=[cases["qiye", status]])
            for status in (Status.DISTRICT_REVIEW, Status.IN_NOTICE, Status.DETERMINED)
        ),
    ]


def test_the_enterprise_pages_work_on_a_phone(browser, live_server, demo):
    from applications.workflow import Status

    findings = Findings()
    phone = Visitor(browser, live_server.url, PHONE, findings)
    page = phone.page
    menu = page.get_by_role("button", name="菜单")
    main_menu = page.get_by_role("navigation", name="主菜单")

    phone.login("qiye", demo["password"])
    # the menu is folded behind its button: open, go somewhere, and close with Escape
    playwright_sync.expect(menu).to_have_attribute("aria-expanded", "false")
    playwright_sync.expect(main_menu).to_be_hidden()
    menu.click()
    playwright_sync.expect(menu).to_have_attribute("aria-expanded", "true")
    playwright_sync.expect(main_menu).to_be_visible()
    page.keyboard.press("Escape")
    playwright_sync.expect(menu).to_have_attribute("aria-expanded", "false")
    playwright_sync.expect(main_menu).to_be_hidden()
    playwright_sync.expect(menu).to_be_focused()
    menu.click()
    main_menu.get_by_role("link", name="我的申报").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("applications:list")), page.url
    # the list is one card per case, each value under its heading
    first_case = page.locator("table.list tbody tr").first
    playwright_sync.expect(first_case).to_have_css("display", "block")
    playwright_sync.expect(first_case.locator("td").first).to_have_attribute(
        "data-label", "案件编号"
    )

    for url in _enterprise_pages(demo["cases"]):
        phone.visit(url, "qiye")
        playwright_sync.expect(menu).to_be_visible()
        playwright_sync.expect(main_menu).to_be_hidden()
        phone.check_fits("qiye")
        findings.layout += [f"qiye {url}: {bad}" for bad in page.evaluate(UNLABELLED_CARDS)]
        phone.check_axe("qiye")

    # a case returned for correction: one upload form per material, still on the screen
    phone.login("qiye2", demo["password"])
    returned = reverse("applications:detail", args=[demo["cases"]["qiye2", Status.RETURNED]])
    phone.visit(returned, "qiye2")
    playwright_sync.expect(page.locator("input[type=file]").first).to_be_visible()
    phone.check_fits("qiye2")
    phone.check_axe("qiye2")
    phone.context.close()

    # without JavaScript the menu simply stands open and tables scroll inside themselves
    plain = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, java_script_enabled=False
    )
    plain_page = plain.new_page()
    plain_page.goto("/accounts/login/")
    plain_page.fill("input[name=username]", "qiye")
    plain_page.fill("input[name=password]", demo["password"])
    plain_page.click("form button[type=submit]")
    plain_page.goto(reverse("applications:list"))
    playwright_sync.expect(plain_page.get_by_role("button", name="菜单")).to_be_hidden()
    playwright_sync.expect(plain_page.get_by_role("navigation", name="主菜单")).to_be_visible()
    assert plain_page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "without JavaScript the case list is wider than the phone"
    plain.close()

    # the desktop is unchanged: the menu stands open, no button, tables are tables
    desktop = Visitor(browser, live_server.url, DESKTOP, findings)
    desktop.login("qiye", demo["password"])
    desktop.visit(reverse("applications:list"), "qiye")
    playwright_sync.expect(desktop.page.get_by_role("button", name="菜单")).to_be_hidden()
    playwright_sync.expect(desktop.page.get_by_role("navigation", name="主菜单")).to_be_visible()
    playwright_sync.expect(desktop.page.locator("table.list tbody tr").first).to_have_css(
        "display", "table-row"
    )
    desktop.context.close()

    assert not findings.layout, "\n".join(findings.layout)
    assert not findings.axe, "\n".join(findings.axe)


@dataclass(frozen=True)
class RoleVisit:
    slug: str  # names the screenshots
    username: str
    case: tuple[str, str] | None  # (owner, status) of the case page shown to this role
    case_url: str = "applications:detail"
    extra: tuple[str, ...] = ()


def _role_visits() -> list[RoleVisit]:
    from applications.workflow import Status

    return [
        RoleVisit(
            "enterprise",
            "qiye",
            ("qiye", Status.DETERMINED),
            extra=(
                reverse("applications:new"),
                reverse("policies:detail", args=["zzw-2022-155"]),
                reverse("policies:clause", args=["zzw-2022-155/2"]),
            ),
        ),
        RoleVisit("district-reviewer", "jinshui", ("qiye", Status.DISTRICT_REVIEW), "reviews:case"),
        RoleVisit("city-reviewer", "shigxj", ("qiye", Status.CITY_REVIEW), "reviews:case"),
        RoleVisit("finance", "shicz", ("qiye", Status.DETERMINED)),
        RoleVisit("leader", "lingdao", ("qiye", Status.DETERMINED), extra=("/dashboards/cases/",)),
        RoleVisit(
            "policy-officer",
            "zhengce",
            None,
            extra=(reverse("policies:clause_edit", args=["zzw-2022-155/2"]),),
        ),
        RoleVisit("admin", "admin", ("qiye2", Status.RETURNED), extra=("/reviews/audit/",)),
    ]


def test_every_roles_main_pages_pass_axe_and_are_screenshotted(browser, live_server, demo):
    findings = Findings()
    desktop = Visitor(browser, live_server.url, DESKTOP, findings)
    phone = Visitor(browser, live_server.url, PHONE, findings)

    for url in ("/accounts/login/", reverse("enterprises:register"), "/reviews/notices/public/"):
        desktop.visit(url, "访客")
        desktop.check_axe("访客")
        phone.visit(url, "访客")
        phone.check_fits("访客")
    phone.shot("anonymous-login-390")

    for role in _role_visits():
        desktop.login(role.username, demo["password"])
        desktop.visit("/", role.username)
        menu = desktop.page.get_by_role("navigation", name="主菜单").get_by_role("link")
        hrefs = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        desktop.check_axe(role.username)
        desktop.shot(f"{role.slug}-home-1366")
        case_url = None
        if role.case:
            case_url = reverse(role.case_url, args=[demo["cases"][role.case]])
        # Django's own admin pages are not ours to restyle
        pages = [u for u in [*hrefs, *role.extra] if not u.startswith("/admin/")]
        for url in [*pages, *([case_url] if case_url else [])]:
            desktop.visit(url, role.username)
            desktop.check_axe(role.username)
        if case_url:
            desktop.shot(f"{role.slug}-case-1366")

        # on a phone every page fits the screen (staff tables scroll inside themselves)
        phone.login(role.username, demo["password"])
        for url in ["/", *pages, *([case_url] if case_url else [])]:
            phone.visit(url, role.username)
            phone.check_fits(role.username)
            if url in ("/", case_url):
                phone.shot(f"{role.slug}-{'home' if url == '/' else 'case'}-390")

    desktop.context.close()
    phone.context.close()
    assert not findings.layout, "\n".join(findings.layout)
    assert not findings.axe, "\n".join(findings.axe)
    assert len(findings.pages) > 80, findings.pages
