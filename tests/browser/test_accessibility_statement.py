"""The accessibility statement reached from the login page, through axe-core, and
printed: the header and footer hidden, outside links' addresses shown."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statement_from_the_login_page_on_screen_and_in_print(page, app_url):
    page.goto(f"{app_url}/konto/logga-in/")
    page.get_by_role("link", name="Tillgänglighetsredogörelse").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    digg = page.get_by_role("link", name="anmäla det till DIGG")
    after = digg.evaluate("link => getComputedStyle(link, '::after').content")
    assert "digg.se" in after
