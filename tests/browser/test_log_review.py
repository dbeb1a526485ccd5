"""Log review in a real browser: the log reviewer filters the log by a person (the name
posted, never in the address), opens a pattern hit (a protected identity read) and
reviews it, draws the monthly sample and reviews one unit's, then downloads a review
as PDF. Every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from kinsight.audit.models import LogReview, ReviewOutcome
from kinsight.core.models import Role, UnitType
from tests import factories
from tests.audit.review_helpers import MONDAY, at, read
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_log_reviewer_filters_reviews_a_hit_and_a_sample_and_prints(
    page, app_url, municipality, org
):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    worker = factories.staff(
        municipality, role=Role.CASE_WORKER, unit=unit, username="vera.v", first_name="Vera"
    )
    hidden = pf.person(municipality, "Dold", "Skyddsson", protected_identity=True)
    pf.case(hidden, unit)
    read(worker, hidden, at(1, 22, 15))
    reviewer = factories.staff(
        municipality, role=Role.LOG_REVIEWER, unit=org["board"], username="lena.l"
    )
    login(page, app_url, reviewer, factories.totp_device(reviewer))

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Logg").click()
    page.get_by_label("Läst person (personnummer eller namn)").fill("Skyddsson")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"/logg/\?s="))
    assert "Skyddsson" not in page.url
    expect(page.get_by_role("table")).to_contain_text("Person: Dold Skyddsson")
    assert_accessible(page)

    page.get_by_role("link", name="Mönster att titta på").click()
    page.get_by_label("Från och med").fill(MONDAY.isoformat())
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Skyddade personuppgifter")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("region", name="Tabell: Skyddade personuppgifter").get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skyddade personuppgifter")
    expect(page.get_by_role("table")).to_contain_text("Person: Dold Skyddsson")
    assert_accessible(page)
    page.get_by_label("Behöver följas upp").check()
    page.get_by_label("Kommentar").fill("Läst sent på kvällen: fråga enhetschefen.")
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_role("status")).to_contain_text("Granskningen är sparad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Granskning av loggen")
    assert_accessible(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Ladda ner granskningen som PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as printed:
        assert printed.read(4) == b"%PDF"

    page.get_by_role("link", name="Månadens stickprov").click()
    page.get_by_label("Månad").fill(f"{MONDAY:%Y-%m}")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("button", name="Dra stickprov för enheter som saknar stickprov").click()
    expect(page.get_by_role("status")).to_contain_text("Stickproven är dragna.")
    assert_accessible(page)
    page.get_by_role("link", name=unit.name).click()
    expect(page.get_by_role("table")).to_contain_text("Person: Dold Skyddsson")
    assert_accessible(page)
    page.get_by_label("I sin ordning", exact=True).check()
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_role("status")).to_contain_text("Granskningen är sparad.")

    page.get_by_role("link", name="Granskningar", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("Behöver följas upp")
    assert_accessible(page)
    outcomes = sorted(LogReview.objects.values_list("outcome", flat=True))
    assert outcomes == sorted([ReviewOutcome.FOLLOW_UP, ReviewOutcome.IN_ORDER])
