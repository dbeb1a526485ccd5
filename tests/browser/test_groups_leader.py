"""Issue 12 in a real browser, the group leader's day: the leader signs in, opens the
running cycle from the start page, adds a session held yesterday, records attendance,
makes a one-time code for a participant's "before" measurement; then, on a phone-sized
screen without signing in, the participant answers with the code. Every page visited
must pass axe-core without serious or critical violations."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.assessment.models import Instrument
from kinsight.core.models import Role, UnitType
from kinsight.groups import services
from kinsight.groups.models import Attendance, Measurement, Point
from kinsight.interventions.models import ProviderKind
from tests import factories
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def running(municipality, org):
    """A running cycle of a programme measured with WHO-5 before and after, led by
    Lena, with one participant in the group."""
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
    who5 = Instrument.objects.get(code="who5", municipality=None)
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
        target_group="children",
        group_sessions=10,
        provider=provider,
    )
    for point in (Point.BEFORE, Point.AFTER):
        services.programme_measure_add(
            actor=head, programme=programme, instrument=who5, point=point
        )
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen hösten",
        district=org["district"],
        start_on=today - datetime.timedelta(days=21),
        end_on=today + datetime.timedelta(days=35),
        leaders=[leader],
    )
    participant = services.participant_add(
        actor=leader, cycle=cycle, age_band="7-12", intake="self", measurement_consent=True
    )
    services.participant_start(
        actor=leader, participant=participant, expected_version=1, on=cycle.start_on
    )
    return leader, factories.totp_device(leader), participant


def test_a_leader_runs_a_session_and_a_participant_answers_on_a_phone(
    new_context, app_url, running
):
    leader, device, participant = running
    page = new_context().new_page()
    login(page, app_url, leader, device, check=assert_accessible)

    page.get_by_role("link", name="Stödgrupper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stödgrupper")
    expect(page.get_by_text("Inga mätningar att göra nu.")).to_have_count(0)  # before is due
    assert_accessible(page)
    cycles = page.get_by_role("region", name="Tabell: Gruppomgångar")
    cycles.get_by_role("link", name="Vågen hösten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vågen hösten")
    assert_accessible(page)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Datum").fill(yesterday.isoformat())
    page.get_by_label("Tema").fill("Att prata om känslor")
    page.get_by_role("button", name="Lägg till träff").click()
    expect(page.locator(".messages")).to_contain_text("Träffen är tillagd.")
    page.get_by_role("group", name=str(participant)).get_by_role("radio", name="Närvarande").check()
    page.get_by_role("button", name=re.compile("^Spara närvaron")).click()
    expect(page.locator(".messages")).to_contain_text("Närvaron är registrerad.")
    assert Attendance.objects.get().presence == "present"
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("^Skapa svarskod .*före$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Svarskod")
    assert_accessible(page)
    code = page.locator(".code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"{app_url}/svara/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Svara på frågor")
    assert_accessible(phone)
    phone.get_by_label("Svarskod").fill(code)
    phone.get_by_role("button", name="Öppna frågorna").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("WHO-5")
    assert_accessible(phone)
    for group in phone.get_by_role("group").all():
        group.get_by_role("radio", name="Mer än hälften av tiden").check()
    phone.get_by_role("button", name="Skicka svaren").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    assert_accessible(phone)
    measurement = Measurement.objects.get()
    assert (measurement.participant_id, measurement.total_score) == (participant.pk, 15)
    assert measurement.entered_by is None


def test_a_leader_changes_the_venue_and_places_of_a_cycle(new_context, app_url, running):
    leader, device, participant = running
    page = new_context().new_page()
    login(page, app_url, leader, device)
    page.goto(f"{app_url}/stodgrupper/omgangar/{participant.cycle_id}/")
    page.get_by_role("link", name="Ändra gruppomgången").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Vågen hösten")
    assert_accessible(page)
    page.get_by_label("Lokal").fill("Fritidsgården Solrosen")
    page.get_by_label("Platser").fill("10")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Gruppomgången är ändrad.")
    expect(page.get_by_text("Fritidsgården Solrosen")).to_be_visible()
    assert_accessible(page)
