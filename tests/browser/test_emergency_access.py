"""Break the glass in a real browser: a case worker of the children's unit, who does
not see Anna, opens emergency access by her personnummer, sees the banner on her page
and ends it; the log reviewer finds the access in the review queue, sees the reads
made during it and reviews it. Every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.people.emergency.models import EmergencyAccess, ReviewOutcome
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_worker_breaks_the_glass_and_the_log_reviewer_reviews_it(
    page, new_context, app_url, municipality, org
):
    anna = pf.person(municipality, "Anna", "Åberg")
    pf.case(anna, org["units"][UnitType.ADULTS_ADDICTION])
    worker = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.CHILDREN_YOUTH],
        username="berit.b",
        first_name="Berit",
        last_name="Barnsson",
    )
    reviewer = factories.staff(
        municipality, role=Role.LOG_REVIEWER, unit=org["board"], username="lena.l"
    )
    login(page, app_url, worker, factories.totp_device(worker))

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Sök person").click()
    page.get_by_role("link", name="Nödåtkomst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nödåtkomst")
    assert_accessible(page)
    page.get_by_label("Personnummer eller samordningsnummer").fill(anna.identifier)
    page.get_by_label("Skäl").select_option(label="Akut fara för ett barn")
    page.get_by_label("Beskriv varför").fill("Polisen ringer om ett barn i akut fara.")
    page.get_by_role("button", name="Öppna nödåtkomst").click()

    expect(page).to_have_url(re.compile(rf"/personer/{anna.pk}/$"))
    banner = page.get_by_role("region", name="Nödåtkomst", exact=True)
    expect(banner).to_contain_text("Nödåtkomst pågår.")
    expect(banner).to_contain_text("minuter kvar")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna Åberg")
    assert_accessible(page)
    banner.get_by_role("button", name="Avsluta nödåtkomsten nu").click()
    expect(page.get_by_role("status")).to_contain_text("Nödåtkomsten är avslutad.")
    expect(page.get_by_role("region", name="Nödåtkomst", exact=True)).to_have_count(0)

    reviewer_page = new_context().new_page()
    login(reviewer_page, app_url, reviewer, factories.totp_device(reviewer))
    nav = reviewer_page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Nödåtkomster").click()
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text("Nödåtkomster att granska")
    assert_accessible(reviewer_page)
    reviewer_page.get_by_role("table").get_by_role("link").first.click()
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text("Granska nödåtkomst")
    expect(reviewer_page.get_by_text("Polisen ringer om ett barn i akut fara.")).to_be_visible()
    expect(reviewer_page.get_by_role("table")).to_contain_text("Person: Anna Åberg")
    assert_accessible(reviewer_page)
    reviewer_page.get_by_label("Befogad", exact=True).check()
    reviewer_page.get_by_label("Kommentar").fill("Polisen bekräftar larmet.")
    reviewer_page.get_by_role("button", name="Spara granskningen").click()

    expect(reviewer_page.get_by_role("status")).to_contain_text("Granskningen är sparad.")
    expect(reviewer_page.get_by_text("Inga nödåtkomster väntar på granskning.")).to_be_visible()
    assert EmergencyAccess.objects.get().outcome == ReviewOutcome.JUSTIFIED
