"""Hämta från folkbokföringen in a real browser, against the fake register: a case
worker opens Anna's page, fetches her record, sees the register's address beside
Kinsight's with the difference marked, takes it, and adds the child the register
shows. Every page passes axe-core."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.people.identifiers import synthetic_national
from kinsight.people.models import Person, Relationship
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOVED_AND_A_CHILD = 996  # the fake's serial: one relation more than Kinsight has


def test_a_case_worker_takes_the_registers_address_and_adds_a_child(
    page, app_url, municipality, org, settings
):
    settings.KINSIGHT_POPULATION_REGISTER = "fake"
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    anna = pf.person(
        municipality,
        "Anna",
        "Åberg",
        identifier=synthetic_national(datetime.date(1985, 3, 12), MOVED_AND_A_CHILD),
        birth_date=datetime.date(1985, 3, 12),
    )
    worker = factories.staff(
        municipality, role=Role.CASE_WORKER, unit=unit, username="maria.m", first_name="Maria"
    )
    pf.case(anna, unit, responsible=worker)
    login(page, app_url, worker, factories.totp_device(worker))

    page.goto(f"{app_url}/personer/{anna.pk}/")
    page.get_by_role("button", name="Hämta från folkbokföringen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Folkbokföringen och Kinsight: Anna Åberg"
    )
    table = page.get_by_role("table", name="Folkbokföringen jämförd med Kinsight")
    expect(table.get_by_role("row", name=re.compile("^Adress"))).to_contain_text("Skiljer sig")
    assert_accessible(page)
    page.get_by_label("Ta Adress").check()
    page.get_by_role("button", name="Spara valda uppgifter").click()

    expect(page).to_have_url(re.compile(rf"/personer/{anna.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Uppgifterna från folkbokföringen är sparade."
    )
    assert Person.objects.get(pk=anna.pk).street_address

    page.get_by_role("button", name="Hämta från folkbokföringen").click()
    relations = page.get_by_role("region", name="Relationer i folkbokföringen", exact=True)
    relations.get_by_role("button", name=re.compile("^Lägg till relationen")).click()
    expect(page.get_by_role("status")).to_contain_text("är tillagd i familjen runt Anna Åberg")
    expect(page.get_by_role("region", name="Familjen runt personen", exact=True)).to_contain_text(
        "Barn"
    )
    assert_accessible(page)
    assert Relationship.objects.filter(from_person=anna).count() == 1
