"""A protected person's address is never shown, not even on the edit form; a change
to it is entered blind and audited with the fields named, values masked; the audit log
never holds an address in clear (issue 9 §7)."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.people import services
from kinsight.people.models import Person
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

ADDRESS = {"street_address": "Hemlig väg 9", "postal_code": "98765", "city": "Gömstad"}
HELP = "Adressen visas inte för personer med skyddade personuppgifter."


@pytest.fixture
def protected(municipality, adult_unit, worker):
    person = pf.person(municipality, "Sara", "Skydd", protected_identity=True, **ADDRESS)
    pf.case(person, adult_unit, responsible=worker)
    return person


def edit_data(person, **changes):
    data = {
        "version": person.version,
        "identifier_kind": person.identifier_kind,
        "identifier": person.identifier_display,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "sex": "",
        "street_address": "",
        "postal_code": "",
        "city": "",
    }
    if person.protected_identity:
        data["protected_identity"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def updates(person):
    return AuditEntry.objects.filter(
        action="update", object_type="people.person", object_id=str(person.pk)
    )


def test_the_edit_form_never_shows_a_protected_address(client, login, worker, protected):
    login(worker)
    body = client.get(reverse("people:person_edit", args=[protected.pk])).content.decode()
    for value in ADDRESS.values():
        assert value not in body, value
    assert HELP in body


def test_the_edit_form_shows_an_unprotected_address(client, login, worker, open_case):
    login(worker)
    body = client.get(reverse("people:person_edit", args=[open_case.person.pk])).content.decode()
    assert 'value="Storgatan 1"' in body and HELP not in body


def test_an_empty_address_keeps_the_stored_one(client, login, worker, protected):
    login(worker)
    url = reverse("people:person_edit", args=[protected.pk])
    response = client.post(url, edit_data(protected, first_name="Sanna"))
    assert response.status_code == 302
    stored = Person.objects.get(pk=protected.pk)
    assert stored.first_name == "Sanna" and stored.street_address == "Hemlig väg 9"
    assert "street_address" not in updates(protected).get().changes


def test_a_blind_address_change_is_saved_and_audited_with_masked_values(
    client, login, worker, protected
):
    login(worker)
    url = reverse("people:person_edit", args=[protected.pk])
    client.post(url, edit_data(protected, street_address="Ny väg 1"))
    stored = Person.objects.get(pk=protected.pk)
    assert stored.street_address == "Ny väg 1" and stored.city == "Gömstad"
    changes = updates(protected).get().changes
    assert changes["street_address"] == ["[dold]", "[dold]"]
    assert "Ny väg" not in str(changes) and "Hemlig" not in str(changes)


def test_marking_a_person_protected_leaves_no_address_in_clear(worker, open_case):
    person = open_case.person
    services.person_update(
        actor=worker,
        person=person,
        expected_version=person.version,
        data={"protected_identity": True, "street_address": "Flyttvägen 3"},
    )
    changes = updates(person).get().changes
    assert changes["protected_identity"] == [False, True]
    assert changes["street_address"] == ["[dold]", "[dold]"]
    rows = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "Storgatan" not in rows and "Flyttvägen" not in rows


def test_a_registration_writes_no_address_into_the_audit_log(worker, adult_unit):
    person = services.person_register(
        actor=worker,
        unit=adult_unit,
        identifier_kind="personnummer",
        identifier="811218-9876",
        first_name="Öppen",
        street_address="Synlig gata 2",
        postal_code="11122",
        city="Stad",
    )
    changes = AuditEntry.objects.get(action="create", object_id=str(person.pk)).changes
    assert changes["street_address"] == [None, "[dold]"]
    assert "Synlig" not in str(changes) and "11122" not in str(changes)
