"""Hämta från folkbokföringen on the person page and in the API, against the fake
register (kinsight/people/register/fake.py: the serial chooses what differs): the
comparison, taking chosen fields, a protected address never shown, relations added,
every lookup audited, and access (404 without sight of the person, 403 without the
right to change them)."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person, RelationKind, Relationship
from kinsight.people.register.fake import FakeRegister, variant_of
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1985, 3, 12)
SERIALS = {"absent": 991, "protected": 992, "deceased": 993, "moved": 994, "relation": 996}


def number(variant):
    if variant in SERIALS:
        return synthetic_national(BIRTH, SERIALS[variant])
    return next(
        n for s in range(1, 990) if variant_of(n := synthetic_national(BIRTH, s)) == variant
    )


@pytest.fixture
def person_with(municipality, adult_unit, worker):
    def make(variant, **fields):
        made = pf.person(
            municipality,
            "Anna",
            "Åberg",
            identifier=number(variant),
            birth_date=BIRTH,
            street_address=fields.pop("street_address", "Storgatan 1"),
            postal_code="12345",
            city="Småstad",
            **fields,
        )
        pf.case(made, adult_unit, responsible=worker)
        return made

    return make


def lookup(client, person, **data):
    return client.post(reverse("people:register_lookup", args=[person.pk]), data)


def lookups(person):
    return AuditEntry.objects.filter(
        action="read", object_id=str(person.pk), changes__register_lookup="fake"
    )


def digest_of(response):
    return response.context["lookup"].digest


def test_the_fake_answers_the_same_every_time_and_invents_an_unknown_number():
    register = FakeRegister()
    unknown = number("same")
    assert register.lookup(unknown) == register.lookup(unknown)
    record = register.lookup(unknown)
    assert record.found and record.first_name and record.street_address
    assert not register.lookup(number("absent")).found


def test_it_shows_the_register_beside_kinsight_with_the_differences_marked(
    client, login, worker, person_with
):
    person = person_with("moved")
    login(worker)
    response = lookup(client, person)
    body = response.content.decode()
    assert response.status_code == 200
    rows = {row.key: row for row in response.context["lookup"].rows}
    assert rows["address"].differs and rows["address"].takeable
    assert rows["address"].ours == "Storgatan 1, 12345 Småstad"
    assert not rows["first_name"].differs and not rows["first_name"].takeable
    assert "Skiljer sig" in body and 'value="address"' in body
    assert Person.objects.get(pk=person.pk).street_address == "Storgatan 1"  # nothing taken


def test_every_lookup_is_audited_naming_the_person_never_the_number(
    client, login, worker, person_with
):
    person = person_with("moved")
    login(worker)
    lookup(client, person)
    entry = lookups(person).get()
    assert entry.changes == {"register_lookup": "fake", "outcome": "found"}
    assert list(entry.subjects.values_list("person_id", flat=True)) == [person.pk]
    assert person.identifier not in str(entry.changes)


def test_taking_a_chosen_field_writes_it_and_audits_the_update(client, login, worker, person_with):
    person = person_with("moved")
    login(worker)
    shown = lookup(client, person)
    theirs = shown.context["lookup"].record
    response = lookup(
        client, person, action="take", take="address", version=1, digest=digest_of(shown)
    )
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.street_address, stored.city) == (theirs.street_address, theirs.city)
    assert stored.first_name == "Anna"
    update = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert set(update.changes) >= {"street_address", "city"}
    assert lookups(person).count() == 2  # the write looked the person up again


def test_taking_nothing_is_refused_with_the_comparison_again(client, login, worker, person_with):
    person = person_with("moved")
    login(worker)
    shown = lookup(client, person)
    response = lookup(client, person, action="take", version=1, digest=digest_of(shown))
    assert response.status_code == 400
    assert "Välj minst en uppgift" in response.content.decode()
    assert Person.objects.get(pk=person.pk).street_address == "Storgatan 1"


def test_a_register_changed_since_the_lookup_is_never_taken_silently(
    client, login, worker, person_with
):
    person = person_with("moved")
    login(worker)
    response = lookup(client, person, action="take", take="address", version=1, digest="old")
    assert response.status_code == 400
    assert "har ändrats sedan du hämtade" in response.content.decode()
    assert Person.objects.get(pk=person.pk).street_address == "Storgatan 1"


def test_a_field_that_does_not_differ_cannot_be_taken(client, login, worker, person_with):
    person = person_with("moved")
    login(worker)
    shown = lookup(client, person)
    response = lookup(
        client, person, action="take", take="first_name", version=1, digest=digest_of(shown)
    )
    assert response.status_code == 400 and "Välj bland uppgifterna" in response.content.decode()


def test_the_registers_protection_marks_the_person_and_no_address_is_shown(
    client, login, worker, person_with
):
    person = person_with("protected")
    login(worker)
    response = lookup(client, person)
    body = response.content.decode()
    record = response.context["lookup"].record
    assert record.protected and record.street_address
    assert "Storgatan" not in body and record.street_address not in body
    assert "Skyddad – visas inte" in body
    assert "Personen är nu markerad med skyddade personuppgifter" in body
    assert Person.objects.get(pk=person.pk).protected_identity
    update = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert update.changes == {"protected_identity": [False, True]}


def test_a_protected_persons_address_is_taken_blind(client, login, worker, person_with):
    person = person_with("moved", protected_identity=True)
    login(worker)
    shown = lookup(client, person)
    assert "Storgatan" not in shown.content.decode()
    row = next(r for r in shown.context["lookup"].rows if r.key == "address")
    assert row.hidden and row.takeable and row.ours == row.theirs == ""
    lookup(client, person, action="take", take="address", version=1, digest=digest_of(shown))
    stored = Person.objects.get(pk=person.pk)
    assert stored.street_address == shown.context["lookup"].record.street_address
    update = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert "[dold]" in str(update.changes) and stored.street_address not in str(update.changes)


def test_a_deceased_person_is_marked_and_the_date_can_be_taken(client, login, worker, person_with):
    person = person_with("deceased")
    login(worker)
    shown = lookup(client, person)
    assert "Avliden enligt folkbokföringen" in shown.content.decode()
    lookup(client, person, action="take", take="deceased_on", version=1, digest=digest_of(shown))
    assert (
        Person.objects.get(pk=person.pk).deceased_on == shown.context["lookup"].record.deceased_on
    )


def test_a_number_the_register_does_not_know_says_so(client, login, worker, person_with):
    person = person_with("absent")
    login(worker)
    response = lookup(client, person)
    assert "finns inte i folkbokföringen" in response.content.decode()
    assert lookups(person).get().changes["outcome"] == "not_found"


def test_a_relation_from_the_register_is_added_when_the_worker_confirms(
    client, login, worker, person_with
):
    person = person_with("relation")
    login(worker)
    shown = lookup(client, person)
    (row,) = shown.context["lookup"].relations
    assert row.known is None and row.addable and "Lägg till relationen" in shown.content.decode()
    assert not Person.objects.filter(identifier=row.relation.identifier).exists()  # suggested only
    response = lookup(
        client,
        person,
        action="relation",
        identifier=row.relation.identifier,
        digest=digest_of(shown),
    )
    assert response.status_code == 302
    child = Person.objects.get(identifier=row.relation.identifier)
    assert child.first_name == row.relation.first_name and child.street_address == ""
    assert Relationship.objects.filter(
        from_person=person, to_person=child, kind=RelationKind.PARENT
    ).exists()
    again = lookup(client, person).context["lookup"].relations[0]
    assert again.linked and not again.addable


def test_a_known_relation_shows_as_registered(client, login, worker, person_with, municipality):
    person = person_with("same")
    kid = pf.child(municipality, "Kim", "Åberg", age=8)
    pf.relate(person, kid, RelationKind.PARENT)
    login(worker)
    (row,) = lookup(client, person).context["lookup"].relations
    assert row.known == kid and row.linked


def test_the_lookup_costs_the_same_with_more_relations(
    client, login, worker, person_with, municipality
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = person_with("same")
    login(worker)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert lookup(client, person).status_code == 200
        return len(queries)

    pf.relate(person, pf.child(municipality, "Kim", age=8), RelationKind.PARENT)
    one = cost()
    for name in ("Lo", "Mo"):
        pf.relate(person, pf.child(municipality, name, age=6), RelationKind.PARENT)
    assert cost() == one


def test_a_user_who_does_not_see_the_person_gets_404(client, login, child_worker, person_with):
    person = person_with("moved")
    login(child_worker)
    assert lookup(client, person).status_code == 404
    assert not lookups(person).exists()


def test_a_colleague_who_may_not_change_the_person_gets_403(client, login, colleague, person_with):
    person = person_with("moved")
    login(colleague)
    assert lookup(client, person).status_code == 403


def test_a_lookup_is_a_post_never_a_get(client, login, worker, person_with):
    person = person_with("moved")
    login(worker)
    assert client.get(reverse("people:register_lookup", args=[person.pk])).status_code == 405


def test_the_person_page_offers_the_lookup_only_when_a_register_is_chosen(
    client, login, worker, person_with, settings
):
    person = person_with("moved")
    login(worker)
    page = reverse("people:person_detail", args=[person.pk])
    assert "Hämta från folkbokföringen" in client.get(page).content.decode()
    settings.KINSIGHT_POPULATION_REGISTER = ""
    assert "Hämta från folkbokföringen" not in client.get(page).content.decode()
    response = lookup(client, person)
    assert response.status_code == 302
    assert "KINSIGHT_POPULATION_REGISTER" in client.get(page).content.decode()
    assert not lookups(person).exists()


def test_navet_without_its_settings_names_what_to_set(client, login, worker, person_with, settings):
    person = person_with("moved")
    settings.KINSIGHT_POPULATION_REGISTER = "navet"
    login(worker)
    response = client.post(reverse("people:register_lookup", args=[person.pk]), follow=True)
    assert "KINSIGHT_NAVET_URL" in response.content.decode()


def test_a_person_without_a_number_cannot_be_looked_up(
    client, login, worker, municipality, adult_unit
):
    person = pf.person(municipality, "Okänd", identifier_kind=IdentifierKind.NONE)
    pf.case(person, adult_unit, responsible=worker)
    login(worker)
    response = client.post(reverse("people:register_lookup", args=[person.pk]), follow=True)
    assert "personen har inget" in response.content.decode()


def test_the_api_looks_up_with_the_same_rules(
    client, login, worker, child_worker, colleague, person_with
):
    person = person_with("protected")
    url = f"/api/v1/persons/{person.pk}/register-lookup/"
    login(worker)
    data = client.post(url).json()
    assert data["found"] and data["protected"] and data["protection_set"]
    address = next(row for row in data["comparison"] if row["key"] == "address")
    assert address["hidden"] and address["ours"] == address["theirs"] == ""
    assert "Storgatan" not in str(data)
    assert lookups(person).count() == 1
    client.logout()
    login(colleague)
    assert client.post(url).status_code == 403
    client.logout()
    login(child_worker)
    assert client.post(url).status_code == 404


def test_a_mistyped_register_setting_turns_lookups_off(
    client, login, worker, person_with, settings
):
    person = person_with("moved")
    settings.KINSIGHT_POPULATION_REGISTER = "Navet "
    login(worker)
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    assert page.status_code == 200 and "Hämta från folkbokföringen" not in page.content.decode()


def test_the_edit_form_offers_the_lookup_too(client, login, worker, person_with):
    person = person_with("moved")
    login(worker)
    body = client.get(reverse("people:person_edit", args=[person.pk])).content.decode()
    assert "Hämta från folkbokföringen" in body
    assert reverse("people:register_lookup", args=[person.pk]) in body


def test_the_fake_register_is_refused_outside_the_demo(
    client, login, worker, person_with, settings
):
    person = person_with("moved")
    settings.KINSIGHT_POPULATION_REGISTER = "fake"
    settings.DEMO = False
    login(worker)
    response = client.post(reverse("people:register_lookup", args=[person.pk]))
    assert response.status_code == 302 and not lookups(person).exists()


def test_the_fake_answers_only_from_the_asking_municipalitys_records(
    client, login, worker, person_with, other_municipality
):
    # The other municipality recorded the same number first (a lower key).
    pf.person(
        other_municipality,
        "Hemlig",
        "Annanstad",
        identifier=number("same"),
        birth_date=BIRTH,
        protected_identity=True,
    )
    person = person_with("same")
    login(worker)
    record = lookup(client, person).context["lookup"].record
    assert (record.first_name, record.last_name, record.protected) == ("Anna", "Åberg", False)
    # Without an asking municipality nothing recorded is used: an invented person.
    assert FakeRegister().lookup(person.identifier).first_name != "Hemlig"
