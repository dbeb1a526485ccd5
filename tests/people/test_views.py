import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.people.models import Person, RelationKind, Relationship
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def test_it_renders_the_search_page_with_a_labelled_field(client, login, worker):
    login(worker)
    body = client.get(reverse("people:person_search")).content.decode()
    assert "<h1>Sök person</h1>" in body
    assert '<label for="id_q">' in body


@pytest.mark.parametrize("q", ["åberg", "ABERG", "Åbe", "anna åb", "ANNA"])
def test_it_finds_a_person_by_partial_name_ignoring_case_and_accents(
    client, login, worker, open_case, q
):
    login(worker)
    body = pf.search(client, q).content.decode()
    assert "Anna Åberg" in body, q


def test_it_finds_a_person_by_personnummer_in_any_format(client, login, worker, open_case):
    login(worker)
    pnr = open_case.person.identifier
    for typed in (pnr, pnr[2:8] + "-" + pnr[8:], pnr[:8] + "-" + pnr[8:]):
        body = pf.search(client, typed).content.decode()
        assert "Anna Åberg" in body, typed


def test_it_audits_the_search_results_as_one_list_read(client, login, worker, open_case):
    login(worker)
    pf.search(client, "anna")
    entry = AuditEntry.objects.get(action="read", object_type="people.person", object_id="*")
    assert entry.changes["ids"] == [str(open_case.person.pk)]


def _persons_with_cases(municipality, unit, worker, count):
    for index in range(count):
        person = pf.person(municipality, "Anna", f"Nilsson{index}")
        pf.case(person, unit, responsible=worker)


@pytest.mark.parametrize("rows", [1, 10])
def test_it_searches_with_a_fixed_number_of_queries(
    client, login, worker, municipality, adult_unit, django_assert_max_num_queries, rows
):
    _persons_with_cases(municipality, adult_unit, worker, rows)
    login(worker)
    results = client.post(reverse("people:person_search"), {"q": "anna"})["Location"]
    with django_assert_max_num_queries(
        9
    ):  # session 1, user 1, roles 1, count 1, page 1, audit row 4
        response = client.get(results)
    assert response.content.decode().count("Anna Nilsson") == rows


def test_it_pages_the_search_results(client, login, worker, municipality, adult_unit):
    _persons_with_cases(municipality, adult_unit, worker, 27)
    login(worker)
    body = pf.search(client, "anna").content.decode()
    assert body.count("Anna Nilsson") == 25
    assert "Sida 1 av 2" in body
    body = pf.search(client, "anna", page=2).content.decode()
    assert body.count("Anna Nilsson") == 2


def test_it_registers_a_protected_person_and_never_shows_the_address(
    client, login, worker, adult_unit
):
    login(worker)
    response = client.post(
        reverse("people:person_register"),
        {
            "unit": adult_unit.pk,
            "identifier_kind": "personnummer",
            "identifier": "811218-9876",
            "first_name": "Sara",
            "last_name": "Skydd",
            "protected_identity": "on",
            "street_address": "Hemliga gatan 7",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.registered_unit == adult_unit
    body = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Skyddade personuppgifter" in body
    assert "Hemliga gatan" not in body


def test_it_shows_a_swedish_message_naming_the_field_for_a_bad_number(
    client, login, worker, adult_unit
):
    login(worker)
    response = client.post(
        reverse("people:person_register"),
        {
            "unit": adult_unit.pk,
            "identifier_kind": "personnummer",
            "identifier": "811218-987",
            "first_name": "Sara",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400  # refused: the form again, the input kept
    assert "Nummer: Personnumret ska ha 10 eller 12 siffror, du angav 9." in body
    assert 'value="Sara"' in body
    assert not Person.objects.exists()


def test_it_links_to_the_existing_person_on_a_duplicate(
    client, login, worker, adult_unit, open_case
):
    login(worker)
    response = client.post(
        reverse("people:person_register"),
        {
            "unit": adult_unit.pk,
            "identifier_kind": "personnummer",
            "identifier": open_case.person.identifier,
            "first_name": "Dubblett",
        },
    )
    body = response.content.decode()
    assert reverse("people:person_detail", args=[open_case.person.pk]) in body
    assert Person.objects.count() == 1


def test_it_refuses_a_stale_person_edit_and_keeps_the_users_text(client, login, worker, open_case):
    person = open_case.person
    login(worker)
    url = reverse("people:person_edit", args=[person.pk])
    form = {
        "version": 1,
        "identifier_kind": "personnummer",
        "identifier": person.identifier_display,
        "first_name": "Annika",
        "last_name": "Åberg",
    }
    assert client.post(url, form).status_code == 302
    form["first_name"] = "Min ändring"
    response = client.post(url, form)
    body = response.content.decode()
    assert "Någon annan har sparat ändringar" in body
    assert 'value="Min ändring"' in body
    assert Person.objects.get().first_name == "Annika"


def test_it_adds_two_children_and_a_partner_from_the_person_page(client, login, worker, open_case):
    anna = open_case.person
    login(worker)
    url = reverse("people:family_add", args=[anna.pk])
    for name, relation, living, kind in (
        ("Liv", "child", "lives_with_full", "personnummer"),
        ("Love", "child", "lives_with_alternating", "none"),
        ("Per", "partner", "", "none"),
    ):
        response = client.post(
            url,
            {
                "relation": relation,
                "living": living,
                "guardian": "on" if relation == "child" else "",
                "identifier_kind": kind,
                "identifier": pf.pnr(2015, 6, 1) if kind == "personnummer" else "",
                "first_name": name,
                "approximate_age": "" if kind == "personnummer" else "35",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response.url == reverse("people:person_detail", args=[anna.pk]), "back to Anna"
    assert Relationship.objects.filter(from_person=anna, kind=RelationKind.PARENT).count() == 2
    assert Relationship.objects.filter(kind=RelationKind.GUARDIAN).count() == 2
    assert Relationship.objects.filter(to_person=anna, kind__startswith="lives_with").count() == 2
    body = client.get(reverse("people:person_detail", args=[anna.pk])).content.decode()
    for name in ("Liv", "Love", "Per"):
        assert name in body
    assert "Partner" in body and "Barn" in body


@pytest.mark.parametrize("rows", [1, 10])
def test_it_shows_the_person_page_with_a_fixed_number_of_queries(
    client, login, worker, open_case, municipality, django_assert_max_num_queries, rows
):
    for index in range(rows):
        kid = pf.child(municipality, f"Barn{index}", age=index + 1)
        pf.relate(open_case.person, kid, RelationKind.PARENT)
        pf.case(open_case.person, open_case.unit, responsible=worker)
    login(worker)
    # Sign-in 3; the person with both flags, the family, the cases, the family work
    # (kinsight.family) 4; the three reads' audit rows together 4.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("people:person_detail", args=[open_case.person.pk]))
    assert response.content.decode().count("Barn") >= rows


@pytest.mark.postgres
def test_it_has_a_trigram_index_for_name_search_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL: run it through bin/test")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_name_trgm'"
        )
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0]
