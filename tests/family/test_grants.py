"""Family work and consent as kept access grants (issue 10): the services that join and
leave a family work and give and withdraw a consent write and end the grants in the
same transaction, and the recompute finds nothing to repair after each step."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.demo.generate import generate_all
from kinsight.family import services
from kinsight.family.models import Consent, Participant
from kinsight.people.grants import grants_compare
from kinsight.people.models import GrantReason, PersonGrant
from tests import factories
from tests.family.conftest import give_consent

TODAY = datetime.date.today()


def kept(work, reason):
    """{(unit id, person id)} of the work's grants for ``reason``."""
    return set(
        PersonGrant.objects.filter(family_work_id=work.pk, reason=reason).values_list(
            "unit_id", "person_id"
        )
    )


def assert_recompute_agrees(municipality):
    result = grants_compare(municipality.pk)
    assert (result.missing, result.extra) == (0, 0), (result.missing_sample, result.extra_sample)
    out = io.StringIO()
    call_command("grants_check", stdout=out)  # exit code 1 (CommandError) on a difference
    assert "0 saknas, 0 för mycket" in out.getvalue()


def persons(household, *names):
    return {household[name].pk for name in names}


def test_it_grants_the_coordinating_unit_the_family_when_the_work_starts(
    work, household, adult_unit, municipality
):
    everyone = persons(household, "anna", "per", "kim")
    assert kept(work, GrantReason.FAMILY_WORK) == {(adult_unit.pk, p) for p in everyone}
    assert kept(work, GrantReason.CONSENT) == set()
    assert_recompute_agrees(municipality)


def test_a_unit_that_joins_gets_the_family_and_one_that_leaves_loses_it(
    work, worker, household, child_unit, child_worker, adult_unit, municipality
):
    joined = services.participant_add(
        actor=worker, family_work=work, unit=child_unit, worker=child_worker
    )
    everyone = persons(household, "anna", "per", "kim")
    units = {adult_unit.pk, child_unit.pk}
    assert kept(work, GrantReason.FAMILY_WORK) == {(u, p) for u in units for p in everyone}
    assert_recompute_agrees(municipality)

    services.participant_leave(actor=worker, participant=joined)
    assert kept(work, GrantReason.FAMILY_WORK) == {(adult_unit.pk, p) for p in everyone}
    assert AuditEntry.objects.filter(
        object_type="family.participant", object_id=str(joined.pk), action="update"
    ).exists()
    assert_recompute_agrees(municipality)


def test_a_consent_for_all_units_covers_every_participant_until_withdrawn(
    joined, worker, household, adult_unit, child_unit, econ_unit, municipality
):
    consent = give_consent(
        worker, joined, household["anna"], valid_to=TODAY + datetime.timedelta(9)
    )
    anna = household["anna"].pk
    units = {adult_unit.pk, child_unit.pk, econ_unit.pk}
    assert kept(joined, GrantReason.CONSENT) == {(u, anna) for u in units}
    grant = PersonGrant.objects.filter(consent_id=consent.pk).first()
    assert (grant.valid_from, grant.valid_to) == (consent.valid_from, consent.valid_to)
    assert_recompute_agrees(municipality)

    services.consent_withdraw(actor=worker, consent=consent, reason="Vill inte längre.")
    assert kept(joined, GrantReason.CONSENT) == set()
    assert_recompute_agrees(municipality)


def test_a_named_consent_covers_only_its_units_and_a_referral_consent_none(
    joined, worker, household, child_unit, municipality
):
    give_consent(worker, joined, household["per"], all_units=False, units=[child_unit])
    give_consent(worker, joined, household["kim"], purpose="referral", given_by=household["per"])
    assert kept(joined, GrantReason.CONSENT) == {(child_unit.pk, household["per"].pk)}
    assert_recompute_agrees(municipality)


def test_a_unit_rejoining_gets_the_consents_that_cover_it_again(
    joined, worker, household, child_unit, econ_unit, municipality
):
    give_consent(worker, joined, household["anna"])
    give_consent(worker, joined, household["per"], all_units=False, units=[child_unit])
    child = joined.participants.get(unit=child_unit)
    services.participant_leave(actor=worker, participant=child)
    assert {u for u, _p in kept(joined, GrantReason.CONSENT)} == {
        joined.participants.get(is_coordinator=True).unit_id,
        econ_unit.pk,
    }
    assert_recompute_agrees(municipality)

    services.participant_add(actor=worker, family_work=joined, unit=child_unit)
    mine = {p for u, p in kept(joined, GrantReason.CONSENT) if u == child_unit.pk}
    assert mine == persons(household, "anna", "per")
    assert_recompute_agrees(municipality)


def test_a_member_who_leaves_the_family_ends_the_units_family_grants(
    joined, worker, household, municipality
):
    kim = household["kim"]
    member = joined.members.get(person=kim)
    services.member_end(actor=worker, member=member)
    assert kim.pk not in {p for _u, p in kept(joined, GrantReason.FAMILY_WORK)}
    assert_recompute_agrees(municipality)

    services.member_add(actor=worker, family_work=joined, person=kim, role="child")
    assert len({u for u, p in kept(joined, GrantReason.FAMILY_WORK) if p == kim.pk}) == 3
    assert_recompute_agrees(municipality)


@pytest.fixture
def disability_unit(org):
    return org["units"][UnitType.DISABILITY]


@pytest.fixture
def disability_worker(municipality, disability_unit):
    return factories.staff(
        municipality, role=Role.CASE_WORKER, unit=disability_unit, username="dis1"
    )


def test_a_family_grant_shows_the_family_work_never_the_persons_own_page(
    client, login, joined, worker, household, disability_unit, disability_worker, bystander
):
    """A unit that takes part with Anna's consent sees her member row, and still gets
    404 on her person page: a family grant is not a person grant. A unit not taking
    part gets 404 on the family work too."""
    services.participant_add(
        actor=worker, family_work=joined, unit=disability_unit, worker=disability_worker
    )
    give_consent(worker, joined, household["anna"])
    anna = household["anna"]
    assert (disability_unit.pk, anna.pk) in kept(joined, GrantReason.CONSENT)
    login(disability_worker)
    page = client.get(reverse("family:detail", args=[joined.pk])).content.decode()
    assert anna.first_name in page
    assert client.get(reverse("people:person_detail", args=[anna.pk])).status_code == 404
    assert client.get(f"/api/v1/persons/{anna.pk}/").status_code == 404
    login(bystander)
    assert client.get(reverse("family:detail", args=[joined.pk])).status_code == 404
    assert client.get(reverse("people:person_detail", args=[anna.pk])).status_code == 404


def test_the_log_reviewer_sees_the_family_grants_of_a_person(
    client, login, joined, worker, household, log_reviewer
):
    give_consent(worker, joined, household["anna"])
    login(log_reviewer)
    page = client.get(f"/logg/person/{household['anna'].pk}/").content.decode()
    assert "Deltar i familjeärende med personen" in page
    assert "Samtycke till informationsutbyte i familjeärende" in page


def _page_queries(client, work):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("family:detail", args=[work.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_family_work_page_costs_the_same_whatever_the_participants(
    client, login, joined, worker, household, org, municipality
):
    for name, person in household.items():
        give_consent(worker, joined, person, given_by=household["per"] if name == "kim" else None)
    login(worker)
    before = _page_queries(client, joined)
    for unit_type in (UnitType.FAMILIES, UnitType.FAMILY_LAW, UnitType.SOCIAL_PSYCHIATRY):
        unit = org["units"][unit_type]
        staff = factories.staff(
            municipality, role=Role.CASE_WORKER, unit=unit, username=f"w-{unit_type}"
        )
        services.participant_add(actor=worker, family_work=joined, unit=unit, worker=staff)
    assert joined.participants.filter(left_on__isnull=True).count() == 6
    assert _page_queries(client, joined) == before
    assert_recompute_agrees(municipality)


@pytest.mark.django_db
def test_generated_family_works_have_their_grants_with_a_unit_that_left_and_consents_withdrawn():
    result, _stages = generate_all(name="Kommun 8301", code="8301", persons=400, seed=4)
    municipality = result.municipality
    left = Participant.objects.filter(municipality=municipality, left_on__isnull=False)
    withdrawn = Consent.objects.filter(municipality=municipality, withdrawn_on__isnull=False)
    assert left.exists() and withdrawn.exists()
    grants = PersonGrant.objects.filter(municipality=municipality)
    assert grants.filter(reason=GrantReason.CONSENT).exists()
    assert grants.filter(reason=GrantReason.FAMILY_WORK).exists()
    for participant in left:
        assert not grants.filter(family_work_id=participant.family_work_id, unit=participant.unit)
    assert not grants.filter(consent_id__in=withdrawn.values("pk"))
    assert_recompute_agrees(municipality)
