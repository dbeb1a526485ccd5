"""The head of services (ifochef) in a real browser, each page through axe-core: opens
the figures page from the navigation, chooses the concern reports, switches the step to
quarter and the breakdown to unit, and downloads a table's CSV."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.followup.figures_factories import report, small_and_large

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def head(municipality, org):
    made = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    child_unit = org["units"]["children_youth"]
    small_and_large(org, child_unit)
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=20)
    report(child_unit, last_month)
    return made, factories.totp_device(made)


def test_the_head_of_services_switches_definition_step_and_breakdown(page, app_url, head):
    user, device = head
    login(page, app_url, user, device, check=assert_accessible)
    page.get_by_role("link", name="Nyckeltal").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyckeltal")
    assert_accessible(page)

    page.get_by_label("Nyckeltal", exact=True).select_option("concern_reports")
    page.get_by_label("Från månad").fill("2025-01")
    page.get_by_label("Till månad").fill("2025-12")
    page.get_by_label("Steg").select_option("quarter")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("rowheader", name="2025 kv2").first).to_be_visible()
    expect(page.get_by_role("img", name="2025 kv1: 100 %").first).to_be_visible()
    page.get_by_role("img", name="2025 kv1: 100 %").first.focus()
    assert_accessible(page)

    page.get_by_label("Uppdelning").select_option("unit")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("rowheader", name="Familjer Norr").first).to_be_visible()
    expect(page.get_by_role("cell", name="13").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Förhandsbedömning som CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Familjer Norr;<5" in text and "Totalt;13" in text
