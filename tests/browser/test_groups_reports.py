"""The head of services in a real browser, each page through axe-core: signs in, opens
the support groups' catalogue, adds a programme with its measurement plan, then opens
the effect report of a programme whose cycle has been measured (data made through the
services, as tests/groups do) and reads the figures beside the charts."""

import datetime

import pytest
from playwright.sync_api import expect

from kinsight.assessment.models import Instrument
from kinsight.core.models import Role, UnitType
from kinsight.groups import services
from kinsight.groups.models import Point, ProgrammeMeasure
from kinsight.interventions.models import ProviderKind
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.groups.test_reports import measured_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHO5 = "WHO-5 – välbefinnandeindex"


@pytest.fixture
def measured(municipality, org):
    """A head of services (with a phone for the second step) and a measured cycle of
    the programme Vågen: seven participants before and after."""
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    leader = factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=org["district"], username="gruppledare"
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
    cycle = services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen våren",
        district=org["district"],
        start_on=datetime.date(2026, 1, 15),
        end_on=datetime.date(2026, 4, 30),
        leaders=[leader],
    )
    measured_group(leader, cycle, who5)
    return head, factories.totp_device(head)


def test_the_head_of_services_adds_a_programme_with_a_plan_and_reads_the_effect(
    page, app_url, measured
):
    head, device = measured
    login(page, app_url, head, device, check=assert_accessible)

    page.goto(f"{app_url}/stodgrupper/program/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stödgruppsprogram och utförare")
    expect(page.get_by_role("rowheader", name="Vågen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nytt program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt stödgruppsprogram")
    assert_accessible(page)
    page.get_by_label("Namn").fill("Tonårsgruppen")
    page.get_by_label("Förälderns problem").select_option("mental_illness")
    page.get_by_label("Målgrupp").select_option("teenagers")
    page.get_by_label("Från ålder").fill("13")
    page.get_by_label("Till ålder").fill("17")
    page.get_by_label("Utförare").select_option(label="Familjeenheten Norr")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mätplan för Tonårsgruppen")
    expect(page.get_by_text("Ingen mätning planerad.")).to_be_visible()
    assert_accessible(page)
    for point in ("Före", "Efter"):
        page.get_by_label("Instrument").select_option(label=WHO5)
        page.get_by_label("Tidpunkt").select_option(label=point)
        page.get_by_role("button", name="Lägg till i mätplanen").click()
        expect(
            page.get_by_role("listitem").filter(has_text=f"{WHO5}: {point.lower()}")
        ).to_be_visible()
    page.get_by_label("Instrument").select_option(label=WHO5)
    page.get_by_label("Tidpunkt").select_option(label="Uppföljning")
    page.get_by_role("button", name="Lägg till i mätplanen").click()
    expect(page.get_by_role("alert")).to_contain_text("Ange hur många månader efter avslut")
    assert_accessible(page)
    assert ProgrammeMeasure.objects.filter(programme__name="Tonårsgruppen").count() == 2

    page.goto(f"{app_url}/stodgrupper/program/")
    page.get_by_role("link", name="Effektrapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effektrapport")
    assert_accessible(page)
    page.get_by_label("Instrument").select_option(label=WHO5)
    page.get_by_label("Program", exact=True).select_option(label="Vågen")
    page.get_by_role("button", name="Visa").click()

    expect(page.get_by_role("heading", name=f"Resultat för {WHO5}")).to_be_visible()
    figures = page.get_by_role("table", name="Antal och mått")
    expect(figures.get_by_role("row", name="Par (mätta både före och efter) 7")).to_be_visible()
    expect(figures).to_contain_text("95 % KI")
    expect(page.get_by_role("img", name="Linjediagram")).to_be_visible()
    expect(page.get_by_role("table", name="Poäng per deltagare").get_by_role("row")).to_have_count(
        8
    )
    assert "program=" in page.url  # the choices are in the address: a bookmark
    assert_accessible(page)
