"""Two administrators cull in a real browser: the first previews the nightly proposal
(counts per rule and kind, what the exceptions keep, a sample with why) and approves;
the second, in a browser of her own, approves too; the page polls the culling's
progress with htmx (here the test runs the task, the dummy backend holding the queue)
and shows the result; the culling record names kinds and counts, no one. Every page
through axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.people.models import Person
from kinsight.retention import services
from kinsight.retention.models import Proposal
from kinsight.retention.run import proposal_cull
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.retention.conftest import DAY, old_file, years_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_administrators_preview_approve_and_cull(
    page, new_context, app_url, settings, municipality, org
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = factories.staff(
        municipality,
        role=Role.ADMINISTRATOR,
        unit=org["board"],
        username="forvaltare1",
        first_name="Frida",
        last_name="Först",
    )
    second = factories.staff(
        municipality,
        role=Role.ADMINISTRATOR,
        unit=org["board"],
        username="forvaltare2",
        first_name="Sara",
        last_name="Sedan",
    )
    adults = org["units"][UnitType.ADULTS_ADDICTION]
    old_file(municipality, adults)
    old_file(municipality, adults, born=datetime.date(1980, 4, 15))  # research: kept
    services.proposal_create(municipality.pk, years_after(DAY, 6))

    login(page, app_url, first, factories.totp_device(first), check=assert_accessible)
    page.get_by_role("link", name="Gallring", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gallring")
    assert_accessible(page)
    page.get_by_role("link", name=str(years_after(DAY, 6))).click()
    expect(page.get_by_role("table", name="De första 1 av 1")).to_contain_text("Åke Gammal")
    expect(page.get_by_role("table", name="Sparas av undantag")).to_contain_text("Forskningsurval")
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn gallringen").click()
    expect(page.get_by_text("Godkänt. En annan systemförvaltare")).to_be_visible()
    expect(page.get_by_role("button", name="Godkänn gallringen")).to_have_count(0)
    assert_accessible(page)

    other = new_context().new_page()
    login(other, app_url, second, factories.totp_device(second))
    other.goto(f"{app_url}/gallring/forslag/{Proposal.objects.get().pk}/")
    expect(other.get_by_text("Godkänt av Frida Först")).to_be_visible()
    other.get_by_role("button", name="Godkänn gallringen").click()
    status = other.locator("#retention-status")
    expect(status).to_contain_text("Godkänd, gallring i kö")
    assert_accessible(other)

    # The worker's turn: the page is polling and swaps its status when the run is done.
    proposal_cull(Proposal.objects.get().pk)
    expect(status).to_contain_text("1 personakter gallrade")
    assert Person.objects.count() == 1
    assert_accessible(other)
    status.get_by_role("link", name="Se gallringsprotokollet").click()
    table = other.get_by_role("table", name="Gallringsprotokoll")
    expect(table).to_contain_text("personer")
    expect(table).to_contain_text("Frida Först, Sara Sedan")
    expect(table).not_to_contain_text("Åke")
    assert_accessible(other)
