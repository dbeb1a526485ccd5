"""A person known to one unit can be worked with by another (issue 9 §3): a case worker
of the children's unit types the whole number of Anna, whom the adult unit works with,
sees only her name and birth date, and opens a case in her own unit. The person record
is shared; the adult unit's case and notes stay invisible to her."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.cases import services
from kinsight.cases.models import Case
from kinsight.core.models import Role
from kinsight.people import queries
from kinsight.people.models import Person
from tests import factories
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

LOOKUP_URL = reverse("cases:case_open_lookup")


def lookup(actor, number, kind="personnummer"):
    return queries.person_lookup(actor=actor, identifier_kind=kind, identifier=number)


def lookup_rows(actor, person):
    return AuditEntry.objects.filter(
        actor=actor, action="read", object_type="people.person", object_id=str(person.pk)
    )


def dashed(number):
    return f"{number[:8]}-{number[8:]}"


@pytest.fixture
def child_manager(municipality, child_unit):
    return factories.staff(
        municipality, role=Role.UNIT_MANAGER, unit=child_unit, username="childmanager1"
    )


def open_for(client, number, unit, **extra):
    data = {
        "identifier_kind": "personnummer",
        "identifier": number,
        "action": "open",
        "unit": unit.pk,
        "subject": "Stöd till föräldern",
        "opened_on": "2026-01-05",
    }
    data.update(extra)
    return client.post(LOOKUP_URL, data)


# The lookup ---------------------------------------------------------------------------


def test_the_lookup_finds_the_person_by_the_whole_number_and_audits_it(
    child_worker, open_case, client_person
):
    known = lookup(child_worker, dashed(client_person.identifier))
    assert known.person == client_person and not known.visible and known.allowed
    assert known.name == "Anna Åberg" and known.birth_date == client_person.birth_date
    row = lookup_rows(child_worker, client_person).get()
    assert row.changes == {"lookup": "full identifier"}


def test_the_lookup_refuses_part_of_a_number_with_a_message(child_worker, open_case):
    with pytest.raises(ValidationError) as error:
        lookup(child_worker, open_case.person.identifier[:6])
    assert "10 eller 12 siffror" in error.value.message_dict["identifier"][0]
    assert not AuditEntry.objects.filter(actor=child_worker).exists()


def test_the_lookup_is_for_work_roles_only(administrator, open_case):
    with pytest.raises(PermissionDenied):
        lookup(administrator, open_case.person.identifier)


def test_the_lookup_does_not_give_sight_of_the_person(child_worker, open_case, client_person):
    lookup(child_worker, client_person.identifier)
    assert not Person.objects.visible_to(child_worker, "view").exists()


def test_a_protected_person_is_offered_to_unit_managers_only(
    child_worker, child_manager, open_case, client_person, child_unit
):
    Person.objects.filter(pk=client_person.pk).update(protected_identity=True)
    refused = lookup(child_worker, client_person.identifier)
    assert not refused.allowed and refused.name == "" and refused.birth_date is None
    assert "refused" in lookup_rows(child_worker, client_person).get().changes
    with pytest.raises(PermissionDenied):
        services.case_open_for_known_person(
            actor=child_worker, known=refused, unit=child_unit, subject="Stöd"
        )
    allowed = lookup(child_manager, client_person.identifier)
    assert allowed.allowed and allowed.name == "Anna Åberg"
    case = services.case_open_for_known_person(
        actor=child_manager, known=allowed, unit=child_unit, subject="Stöd"
    )
    assert case.person == client_person and case.unit == child_unit


def test_the_case_opens_only_in_a_unit_of_the_actor(child_worker, open_case, adult_unit):
    known = lookup(child_worker, open_case.person.identifier)
    with pytest.raises(PermissionDenied):
        services.case_open_for_known_person(
            actor=child_worker, known=known, unit=adult_unit, subject="Stöd"
        )


# The page -----------------------------------------------------------------------------


def test_it_shows_only_the_name_and_birth_date_of_a_person_another_unit_works_with(
    client, login, child_worker, open_case, client_person
):
    login(child_worker)
    response = client.post(
        LOOKUP_URL,
        {"identifier_kind": "personnummer", "identifier": dashed(client_person.identifier)},
    )
    body = response.content.decode()
    assert "Personen finns redan i kommunen" in body
    assert "Anna Åberg" in body and client_person.birth_date.isoformat() in body
    for hidden in ("Storgatan", "12345", "Småstad", open_case.subject, open_case.unit.name):
        assert hidden not in body, hidden
    assert lookup_rows(child_worker, client_person).count() == 1


def test_it_opens_a_case_in_the_own_unit_and_keeps_the_other_units_case_invisible(
    client, login, child_worker, worker, open_case, client_person, child_unit
):
    note = pf.note(open_case, worker, "Hemlig anteckning från vuxenenheten.")
    login(child_worker)
    assert "Åberg" not in pf.search(client, "anna").content.decode()
    response = open_for(client, client_person.identifier, child_unit)
    case = Case.objects.get(unit=child_unit)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.person == client_person and case.responsible == child_worker
    assert Person.objects.count() == 1  # the person record is shared
    assert AuditEntry.objects.filter(
        actor=child_worker, action="create", object_type="cases.case", object_id=str(case.pk)
    ).exists()
    # The person is now seen through the new case; the adult unit's case is not.
    page = client.get(reverse("people:person_detail", args=[client_person.pk]))
    assert page.status_code == 200 and open_case.subject not in page.content.decode()
    assert client.get(open_case.get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:note_edit", args=[note.pk])).status_code == 404
    assert "Anna Åberg" in pf.search(client, "anna").content.decode()


def test_a_refused_open_shows_the_person_and_the_form_again_with_the_input(
    client, login, child_worker, open_case, client_person, child_unit
):
    login(child_worker)
    response = open_for(client, client_person.identifier, child_unit, subject="")
    body = response.content.decode()
    assert response.status_code == 400  # refused: nothing saved, the input kept
    assert "Anna Åberg" in body and "errorlist" in body and "2026-01-05" in body
    assert not Case.objects.filter(unit=child_unit).exists()


def test_name_search_finds_only_visible_persons_after_a_lookup(
    client, login, child_worker, open_case, client_person
):
    login(child_worker)
    client.post(
        LOOKUP_URL, {"identifier_kind": "personnummer", "identifier": client_person.identifier}
    )
    body = pf.search(client, "åberg").content.decode()
    assert "Anna Åberg" not in body
    assert reverse("people:person_detail", args=[client_person.pk]) not in body


def test_it_sends_a_person_the_worker_sees_to_the_normal_form(
    client, login, worker, open_case, client_person
):
    login(worker)
    response = client.post(
        LOOKUP_URL, {"identifier_kind": "personnummer", "identifier": client_person.identifier}
    )
    assert response.url == reverse("cases:case_open", args=[client_person.pk])
    assert not lookup_rows(worker, client_person).filter(changes__has_key="lookup").exists()


def test_it_says_when_nobody_has_the_number(client, login, child_worker):
    login(child_worker)
    number = pf.pnr(1990, 6, 6)
    body = client.post(
        LOOKUP_URL, {"identifier_kind": "personnummer", "identifier": number}
    ).content.decode()
    assert "Ingen person med det numret finns i kommunen." in body


def test_it_shows_a_case_worker_no_name_for_a_protected_person(
    client, login, child_worker, open_case, client_person, child_unit
):
    Person.objects.filter(pk=client_person.pk).update(protected_identity=True)
    login(child_worker)
    body = client.post(
        LOOKUP_URL, {"identifier_kind": "personnummer", "identifier": client_person.identifier}
    ).content.decode()
    assert "bara en enhetschef" in body and "Åberg" not in body
    open_for(client, client_person.identifier, child_unit)
    assert not Case.objects.filter(unit=child_unit).exists()


def test_the_page_is_404_without_a_work_role(client, login, administrator):
    login(administrator)
    assert client.get(LOOKUP_URL).status_code == 404


def test_another_municipality_finds_nobody_by_our_numbers(
    client, login, open_case, client_person, other_municipality, other_org
):
    from kinsight.core.models import UnitType

    stranger = factories.staff(
        other_municipality,
        role=Role.CASE_WORKER,
        unit=other_org["units"][UnitType.CHILDREN_YOUTH],
        username="stranger",
    )
    login(stranger)
    body = client.post(
        LOOKUP_URL, {"identifier_kind": "personnummer", "identifier": client_person.identifier}
    ).content.decode()
    assert "Ingen person med det numret" in body and "Åberg" not in body


def test_the_register_page_offers_a_case_without_naming_the_person(
    client, login, child_worker, open_case, client_person, child_unit
):
    login(child_worker)
    body = client.post(
        reverse("people:person_register"),
        {
            "unit": child_unit.pk,
            "identifier_kind": "personnummer",
            "identifier": client_person.identifier,
            "first_name": "Dubblett",
        },
    ).content.decode()
    assert "Öppna ett ärende i din enhet för personen" in body
    assert f'action="{LOOKUP_URL}"' in body
    assert "Åberg" not in body
    probe = lookup_rows(child_worker, client_person).get()
    assert "refused" in probe.changes


def test_an_empty_search_points_to_the_lookup_without_telling_whether_the_number_exists(
    client, login, child_worker, open_case, client_person
):
    login(child_worker)
    known = pf.search(client, client_person.identifier).content.decode()
    unknown = pf.search(client, pf.pnr(1990, 6, 6)).content.decode()
    assert LOOKUP_URL in known and LOOKUP_URL in unknown
    assert "Åberg" not in known


def test_the_other_units_child_records_stay_its_own(
    client, login, worker, child_worker, open_case, client_person, child_unit
):
    from kinsight.detection import services as detection

    record = detection.child_record_add(actor=worker, case=open_case, first_name="Lo", age=4)
    login(child_worker)
    open_for(client, client_person.identifier, child_unit)
    assert Case.objects.filter(unit=child_unit, person=client_person).exists()
    url = reverse("detection:child_detail", args=[record.pk])
    assert client.get(url).status_code == 404
