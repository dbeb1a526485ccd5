"""Issue 12 in a real browser: a case worker offers a support group to a child as
next of kin from the child's page; the child lands on the cycle's waiting list, the
record takes the step "Stöd erbjudet" and the child's page lists the participation. And
from the case page, a parents' group to the mother by name. Every page visited must
pass axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from kinsight.detection import services as detection_services
from kinsight.detection.models import ChildStatus
from kinsight.groups import services
from kinsight.groups.models import GroupParticipant
from kinsight.interventions.models import ProviderKind
from kinsight.people.models import RelationKind
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.people import factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer_setup(municipality, org):
    """Kim, assessed on his mother's case, and a cycle of Vågen starting next week."""
    adults = org["units"][UnitType.ADULTS_ADDICTION]
    worker = factories.staff(municipality, role=Role.CASE_WORKER, unit=adults, username="hw")
    head = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifo"
    )
    leader = factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=org["district"], username="lena.l"
    )
    anna = pf.person(municipality, "Anna", "Åberg")
    case = pf.case(anna, adults, responsible=worker)
    kim = pf.child(municipality, "Kim", "Åberg", age=8)
    pf.relate(anna, kim, RelationKind.PARENT)
    record = detection_services.child_record_add(actor=worker, case=case, child=kim)
    for status, extra in (
        (ChildStatus.ATTENDED, {"parent_talked_with": True, "child_information": "given"}),
        (ChildStatus.ASSESSED, {}),
    ):
        record.refresh_from_db()
        detection_services.child_record_step(
            actor=worker, record=record, status=status, expected_version=record.version, **extra
        )
    provider = services.provider_create(
        actor=head, name="Familjeenheten", kind=ProviderKind.OWN_UNIT, unit=org["district"]
    )
    programme = services.programme_create(
        actor=head,
        name="Vågen",
        problem_area="addiction",
        target_group="children",
        group_sessions=10,
        provider=provider,
    )
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen våren",
        district=org["district"],
        start_on=today + datetime.timedelta(days=7),
        leaders=[leader],
    )
    parents = services.programme_create(
        actor=head,
        name="Föräldragruppen",
        problem_area="addiction",
        target_group="parents",
        group_sessions=8,
        provider=provider,
    )
    services.cycle_create(
        actor=head,
        programme=parents,
        name="Föräldrar hösten",
        district=org["district"],
        start_on=today + datetime.timedelta(days=7),
        leaders=[leader],
    )
    return worker, factories.totp_device(worker), record, cycle


def test_a_case_worker_offers_a_group_from_the_childs_page(new_context, app_url, offer_setup):
    worker, device, record, cycle = offer_setup
    page = new_context().new_page()
    login(page, app_url, worker, device)
    page.goto(f"{app_url}/barn-som-anhoriga/{record.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Erbjud stödgrupp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erbjud stödgrupp")
    assert_accessible(page)
    page.get_by_label("Gruppomgång").select_option(str(cycle.pk))
    page.get_by_label("Väg in").select_option("decision")
    page.get_by_role("button", name="Erbjud platsen").click()
    expect(page.locator(".messages")).to_contain_text("står på väntelistan")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kim")
    expect(page.get_by_role("table", name="Stödgrupper")).to_contain_text("Väntelista")
    assert_accessible(page)
    assert GroupParticipant.objects.get().child_record_id == record.pk
    record.refresh_from_db()
    assert record.status == ChildStatus.SUPPORT_OFFERED


def test_a_case_worker_offers_a_parents_group_from_the_case_page(new_context, app_url, offer_setup):
    worker, device, record, _cycle = offer_setup
    page = new_context().new_page()
    login(page, app_url, worker, device)
    page.goto(f"{app_url}/arenden/{record.case_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Erbjud stödgrupp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna Åberg")
    assert_accessible(page)
    page.get_by_label("Gruppomgång").select_option(label=_label(page, "Vågen våren"))
    page.get_by_label("Väg in").select_option("self")
    page.get_by_role("button", name="Erbjud platsen").click()
    expect(page.locator(".errorlist")).to_contain_text("välj en grupp för vuxna")
    assert_accessible(page)
    page.get_by_label("Gruppomgång").select_option(label=_label(page, "Föräldrar hösten"))
    page.get_by_role("button", name="Erbjud platsen").click()
    expect(page.locator(".messages")).to_contain_text("står på väntelistan")
    expect(page.get_by_role("table", name="Stödgrupper")).to_contain_text("Föräldragruppen")
    assert_accessible(page)
    assert GroupParticipant.objects.get().person_id == record.case.person_id


def _label(page, name):
    """The full text of the cycle's option (it also names programme, dates and places)."""
    options = page.get_by_label("Gruppomgång").locator("option").all_inner_texts()
    return next(text for text in options if text.startswith(name))
