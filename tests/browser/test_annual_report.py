"""The head of services asks for an annual report in a real browser: the report's page
polls its status with htmx while the worker runs (here the test runs the task, with the
dummy backend holding the queue), swaps to the downloads when it is done, and both
files are downloaded and read back (pypdf, openpyxl). Every page through axe-core."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from kinsight.core.models import Role
from kinsight.followup.annual import services
from kinsight.followup.annual.models import AnnualReport
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.followup.test_annual_report import registered  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_of_services_makes_an_annual_report_and_downloads_it(
    page,
    app_url,
    settings,
    municipality,
    org,
    registered,  # noqa: F811
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    login(page, app_url, head, factories.totp_device(head), check=assert_accessible)

    page.get_by_role("link", name="Årsrapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsrapporter")
    expect(page.get_by_text("Inga årsrapporter ännu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("spinbutton", name="År").fill("2025")
    page.get_by_label("Omfattning").select_option(label="Socialförvaltningen (förvaltning)")
    page.get_by_role("button", name="Skapa").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Årsrapport 2025: Socialförvaltningen")
    status = page.locator("#annual-status")
    expect(status).to_contain_text("I kö")
    assert_accessible(page)

    # The worker's turn: the page is polling and swaps its status when the run is done.
    services.annual_report_generate(AnnualReport.objects.get().pk)
    expect(status.get_by_role("link", name="Ladda ner PDF")).to_be_visible()
    expect(status).to_contain_text("Klar")
    assert_accessible(page)

    with page.expect_download() as pdf_download:
        status.get_by_role("link", name="Ladda ner PDF").click()
    with open(pdf_download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Årsrapport 2025" in text and "Testanmälningar" in text and "<5" in text

    with page.expect_download() as xlsx_download:
        status.get_by_role("link", name="Ladda ner Excel").click()
    assert (
        xlsx_download.value.suggested_filename == f"arsrapport-2025-{org['administration'].pk}.xlsx"
    )
    with open(xlsx_download.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert "Definitioner" in book.sheetnames
    assert len(book["1 Anmälningar per månad"]._charts) == 1

    page.get_by_label("Testanmälningar").fill("Ett år med fler anmälningar.")
    page.get_by_role("button", name="Spara texterna").click()
    expect(page.get_by_text("Texterna är sparade.")).to_be_visible()
    expect(page.get_by_label("Testanmälningar")).to_have_value("Ett år med fler anmälningar.")
    assert_accessible(page)
