"""Issue 12 in a real browser, the open group list: on a phone-sized screen and without
signing in, a visitor finds a group with free places and applies; the cycle's leader
signs in and accepts the application, which puts an anonymous participant on the
waiting list. Every page visited must pass axe-core without serious or critical
violations."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.groups import services
from kinsight.groups.models import GroupApplication, GroupParticipant
from kinsight.groups.services.settings import settings_set
from kinsight.interventions.models import ProviderKind
from tests import factories
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def listed(municipality, org):
    """A planned public cycle of Vågen led by Lena, the municipality's list on."""
    cache.clear()
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifo"
    )
    leader = factories.staff(
        municipality,
        role=Role.GROUP_LEADER,
        unit=org["district"],
        username="lena.l",
        first_name="Lena",
        last_name="Ledare",
    )
    provider = services.provider_create(
        actor=head,
        name="Familjeenheten Norr",
        kind=ProviderKind.OWN_UNIT,
        unit=org["units"][UnitType.FAMILIES],
    )
    programme = services.programme_create(
        actor=head,
        name="Vågen",
        problem_area="addiction",
        target_group="teenagers",
        min_age=13,
        max_age=16,
        group_sessions=10,
        provider=provider,
        description="En grupp för dig som har en förälder som dricker för mycket.",
    )
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen våren",
        district=org["district"],
        start_on=today + datetime.timedelta(days=20),
        end_on=today + datetime.timedelta(days=90),
        leaders=[leader],
        is_public=True,
    )
    settings_set(actor=head, public_list=True, own_consent_age=15)
    return cycle, leader, factories.totp_device(leader)


def test_a_visitor_applies_on_a_phone_and_the_leader_accepts(new_context, app_url, listed):
    cycle, leader, device = listed
    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"{app_url}/grupper/{cycle.municipality.code}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Stödgrupper i")
    expect(phone.get_by_role("heading", level=2, name="Vågen")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Anmäl intresse").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Anmäl intresse: Vågen")
    expect(phone.get_by_label("Lämna detta fält tomt")).to_be_hidden()
    assert_accessible(phone)

    phone.get_by_label("Namn").fill("Kim")
    phone.get_by_label("Telefon eller e-post").fill("inte ett nummer")
    phone.get_by_label("Ålder").select_option(label="13–16 år")
    phone.get_by_label("Vi sparar uppgifterna").check()
    phone.wait_for_timeout(3_100)  # a person takes longer than the spam guard's 3 s
    phone.get_by_role("button", name="Skicka anmälan").click()
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("Skriv ett telefonnummer")
    assert_accessible(phone)
    summary.get_by_role("link", name="Telefon eller e-post").click()
    expect(phone.get_by_label("Telefon eller e-post")).to_be_focused()
    expect(phone.get_by_label("Namn")).to_have_value("Kim")
    phone.get_by_label("Telefon eller e-post").fill("070-123 45 67")
    phone.wait_for_timeout(3_100)
    phone.get_by_role("button", name="Skicka anmälan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tack för din anmälan")
    assert_accessible(phone)
    assert GroupApplication.objects.get().contact == "070-123 45 67"

    page = new_context().new_page()
    login(page, app_url, leader, device)
    page.get_by_role("link", name="Stödgrupper").click()
    expect(page.get_by_text("1 ny intresseanmälan från den öppna grupplistan")).to_be_visible()
    page.get_by_role("link", name="Vågen våren").click()
    applications = page.get_by_role("region", name="Intresseanmälningar", exact=True)
    expect(applications).to_contain_text("070-123 45 67")
    assert_accessible(page)
    applications.get_by_role("button", name="Anta Kim").click()
    expect(page.locator(".messages")).to_contain_text("Den sökande står på väntelistan.")
    assert_accessible(page)
    participant = GroupParticipant.objects.get()
    assert (participant.intake, participant.status, participant.age_band) == (
        "self",
        "waiting",
        "13-16",
    )
