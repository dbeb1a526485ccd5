"""The administrator imports the demo's sample file in a real browser: the dry run in
the background (the page polls its status with htmx; here the test runs the task, with
the dummy backend holding the queue), the refused rows and the error report, the run,
and undo. Every page through axe-core."""

import csv
import io

import pytest
from playwright.sync_api import expect

from kinsight.core.models import UnitType
from kinsight.imports import services
from kinsight.imports.models import Import
from kinsight.people.models import Person
from tests import factories
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_imports_the_sample_and_undoes_it(
    page, app_url, settings, municipality, org, administrator
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    unit.name = "Vuxenenheten missbruk Norra"  # the demo's unit the sample names
    unit.save()
    login(page, app_url, administrator, factories.totp_device(administrator))

    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import från tidigare system")
    page.locator("summary", has_text="Personer").click()  # the column guide opens
    expect(page.get_by_role("link", name="Mall för Personer (Excel)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Provkör exempelfilen").click()
    status = page.locator("#import-status")
    expect(status).to_contain_text("Provkörs")
    run = Import.objects.get()
    services.import_check(run.pk)  # the worker's turn
    expect(status).to_contain_text("Avvisas: 5")
    expect(status).to_contain_text("Skapas: 6")
    page.reload()
    expect(page.get_by_text("Raden finns redan tidigare i filen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Visa bara avvisade rader").click()
    expect(page.get_by_role("link", name="Visa alla rader")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read()), delimiter=";"))
    assert rows[0] == ["Rad", "Utfall", "Nyckel", "Orsak"]
    assert sum(1 for row in rows if row[1] == "Avvisas") == 5

    page.get_by_role("button", name="Starta importen").click()
    expect(page.get_by_text("Importen har startat.")).to_be_visible()
    services.import_run(run.pk)
    expect(status).to_contain_text("Importerad")
    assert Person.objects.count() == 6
    assert_accessible(page)

    page.get_by_role("button", name="Ångra importen").click()
    expect(page.get_by_text("Importen är ångrad")).to_be_visible()
    expect(status).to_contain_text("Ångrad")
    assert not Person.objects.exists()
    assert_accessible(page)
