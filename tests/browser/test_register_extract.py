"""The DPO's register extract in a real browser: a request by personnummer, compile,
review (the reporter withheld), release and the downloads. Every page passes axe-core."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.dpo.conftest import build_everything
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dpo_takes_a_request_from_register_to_release(page, app_url, municipality, org):
    reviewer = factories.staff(
        municipality, role=Role.LOG_REVIEWER, unit=org["board"], username="dso", first_name="Dina"
    )
    device = factories.totp_device(reviewer)
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    worker = factories.staff(municipality, role=Role.CASE_WORKER, unit=unit, username="w")
    anna = pf.person(municipality, "Anna", "Åberg", street_address="Storgatan 1")
    build_everything(anna, worker, unit, org["district"])

    login(page, app_url, reviewer, device)
    page.get_by_role("link", name="Registerutdrag").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registerutdrag")
    assert_accessible(page)
    page.get_by_label("Personnummer eller samordningsnummer").fill(anna.identifier)
    page.get_by_label("Begärd genom").fill("Brev")
    page.get_by_role("button", name="Registrera begäran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registerutdrag för Anna Åberg")
    assert anna.identifier not in page.url

    page.get_by_role("button", name="Sammanställ", exact=True).click()
    expect(page.get_by_text("Registerutdraget är sammanställt.")).to_be_visible()
    assert_accessible(page)
    for legend in page.locator("fieldset legend").all():
        fieldset = legend.locator("xpath=..")
        choice = "Sekretess" if "Anmälarens identitet" in legend.inner_text() else "Lämna ut"
        fieldset.get_by_label(choice).check()
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_text("Granskningen är sparad.")).to_be_visible()
    page.get_by_label("Anteckning (hur utdraget lämnas)").fill("Skickat med post")
    page.get_by_role("button", name="Lämna ut").click()
    expect(page.get_by_text("Registerutdraget är utlämnat.")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Registerutdrag (PDF) till personen").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as data:
        page.get_by_role("link", name="Registerutdrag (JSON)").click()
    assert "Lena" not in Path(data.value.path()).read_text(encoding="utf-8")

    page.get_by_role("link", name="Tillbaka till registerutdragen").click()
    expect(page.get_by_role("cell", name="Lämnad ut")).to_be_visible()
    assert_accessible(page)
