"""The October survey in a real browser: the head of services produces it for two
census dates and downloads a table as CSV; a unit manager opens the cases behind
"not asked". Every page through axe-core."""

import csv

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.followup import october_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_survey_for_two_census_dates_its_csv_and_the_cases_to_fix(
    page, new_context, app_url, municipality, org, worker
):
    october_world.build(municipality, org, worker)
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    login(page, app_url, head, factories.totp_device(head))
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Oktoberkartläggning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oktoberkartläggningen")
    assert_accessible(page)

    page.get_by_label("Mätdatum", exact=True).fill("2026-10-31")
    page.get_by_label("Jämför med", exact=True).fill("2024-10-31")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Jämförelse 2024-10-31 och 2026-10-31")).to_be_visible()
    unit_table = page.get_by_role("table", name="Barnfrågan per enhet")
    expect(unit_table).to_contain_text("Beroende Söder")
    expect(
        page.get_by_role("table", name="Oktoberkartläggningen 2024-10-31 och 2026-10-31")
    ).to_contain_text("16.7")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Barnfrågan per enhet som CSV").click()
    assert download.value.suggested_filename == "oktoberkartlaggning-2026-10-31-october_unit.csv"
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:2] == ["Enhet", "Vuxna 20+"]
    # The total row (an export's own lines, such as who exported it, may follow).
    totals = [row for row in rows if row and row[0] == "Totalt (personer)"]
    assert [row[1] for row in totals] == ["6"]

    manager = factories.staff(
        municipality,
        role=Role.UNIT_MANAGER,
        unit=org["units"]["adults_addiction"],
        username="enhetschef",
    )
    manager_page = new_context().new_page()
    login(manager_page, app_url, manager, factories.totp_device(manager))
    manager_page.goto(f"{app_url}/uppfoljning/oktoberkartlaggning/?census=2026-10-31")
    manager_page.get_by_role("link", name="Visa ärendena bakom ej tillfrågad (2 personer)").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text(
        "Ärenden där barnfrågan inte var ställd"
    )
    cases = manager_page.get_by_role("table")
    expect(cases).to_contain_text("Cecilia Testsson")
    expect(cases).to_contain_text("Eva Testsson")
    assert_accessible(manager_page)
    row = manager_page.get_by_role("row").filter(has_text="Cecilia Testsson")
    row.get_by_role("link", name="Besvara barnfrågan").click()
    expect(manager_page).to_have_url(f"{app_url}/arenden/{world_case(municipality)}/barnfragan/")


def world_case(municipality):
    from kinsight.cases.models import Case

    return Case.objects.get(municipality=municipality, person__first_name="Cecilia").pk
