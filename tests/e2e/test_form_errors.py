"""In a real browser, a form that comes back with errors is scrolled to its summary, which has
the focus; each of its links puts the cursor in the field it names (issue 18 item 5)."""

from __future__ import annotations

import pytest

from tests.e2e.test_journey import pytestmark as journey_marks

pytestmark = journey_marks


@pytest.mark.django_db(transaction=True)
def test_errors_are_brought_into_view_and_link_to_their_fields(browser, live_server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/enterprises/register/")
    page.fill("input[name=credit_code]", "123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    top = page.evaluate(
        "document.querySelector('[data-error-summary]').getBoundingClientRect().top"
    )
    assert 0 <= top < 50  # the summary is at the top of the screen
    page.locator("[data-error-link]", has_text="统一社会信用代码").click()
    assert page.evaluate("document.activeElement.id") == "id_credit_code"
