import pytest

from kinsight.audit.models import AuditEntry
from kinsight.people.models import Person, RelationKind, Relationship
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def test_it_lists_persons_with_limited_fields_for_relatives(client, login, worker, family):
    login(worker)
    response = client.get("/api/v1/persons/")
    assert response.status_code == 200
    rows = {row["first_name"]: row for row in response.json()["results"]}
    assert set(rows) == {"Anna", "Kim", "Per"}
    assert rows["Anna"]["access"] == "full" and rows["Anna"]["street_address"] == "Storgatan 1"
    assert rows["Kim"]["access"] == "limited"
    assert "identifier" not in rows["Kim"] and "street_address" not in rows["Kim"]
    entry = AuditEntry.objects.get(action="read", object_type="people.person", object_id="*")
    assert len(entry.changes["ids"]) == 3


def test_it_searches_persons_by_name_in_the_api(client, login, worker, family):
    login(worker)
    rows = client.post("/api/v1/persons/search/", {"q": "ABERG"}).json()["results"]
    assert {r["first_name"] for r in rows} == {"Anna", "Kim"}


def test_it_never_shows_a_protected_address_in_the_api(
    client, login, worker, municipality, adult_unit
):
    hidden = pf.person(
        municipality, "Sara", protected_identity=True, street_address="Hemlig 1", unit=adult_unit
    )
    login(worker)
    data = client.get(f"/api/v1/persons/{hidden.pk}/").json()
    assert data["protected_identity"] is True
    assert data["street_address"] is None
    assert "Hemlig" not in str(data)


@pytest.mark.parametrize("who", ["child_worker", "outsider"])
def test_it_answers_404_in_the_api_without_a_relationship(request, client, login, who, family):
    login(request.getfixturevalue(who))
    for pk in (family["kim"].pk, family["hidden"].pk):
        response = client.get(f"/api/v1/persons/{pk}/")
        assert response.status_code == 404
        assert "Hemlig" not in response.content.decode()
    assert client.get("/api/v1/persons/").json()["count"] == 0


def test_it_answers_404_for_a_protected_child_and_keeps_it_out_of_lists(
    client, login, worker, family
):
    login(worker)
    assert client.get(f"/api/v1/persons/{family['hidden'].pk}/").status_code == 404
    assert "Hemlig" not in client.get("/api/v1/persons/").content.decode()
    assert "Hemlig" not in client.get("/api/v1/relationships/").content.decode()


def test_it_refuses_a_change_by_a_colleague_with_403(client, login, colleague, open_case):
    login(colleague)
    url = f"/api/v1/persons/{open_case.person.pk}/"
    assert client.get(url).status_code == 200
    body = {"first_name": "X", "version": open_case.person.version}
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 403


def test_it_registers_a_person_and_refuses_a_bad_number(client, login, worker, adult_unit):
    login(worker)
    response = client.post(
        "/api/v1/persons/",
        {"identifier_kind": "personnummer", "identifier": "811218-9875", "first_name": "Ny"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kontrollsiffra" in response.json()["identifier"][0]
    response = client.post(
        "/api/v1/persons/",
        {"identifier_kind": "personnummer", "identifier": "811218-9876", "first_name": "Ny"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["identifier"] == "19811218-9876"
    assert Person.objects.get().registered_unit == adult_unit


def test_it_adds_and_refuses_relationships_in_the_api(client, login, worker, open_case):
    login(worker)
    kid = pf.child(open_case.municipality, "Ny", unit=open_case.unit, registered_by=worker)
    body = {"from_person": open_case.person.pk, "to_person": kid.pk, "kind": "parent"}
    assert (
        client.post("/api/v1/relationships/", body, content_type="application/json").status_code
        == 201
    )
    body = {"from_person": kid.pk, "to_person": kid.pk, "kind": "sibling"}
    response = client.post("/api/v1/relationships/", body, content_type="application/json")
    assert response.status_code == 400
    assert Relationship.objects.count() == 1
    assert Relationship.objects.get().kind == RelationKind.PARENT


def test_it_stays_out_of_other_municipalities_when_relating(
    client, login, worker, open_case, other_municipality
):
    theirs = pf.person(other_municipality, "Grann")
    login(worker)
    body = {"from_person": open_case.person.pk, "to_person": theirs.pk, "kind": "partner"}
    response = client.post("/api/v1/relationships/", body, content_type="application/json")
    assert response.status_code == 400
    assert "Grann" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 10])
def test_it_lists_persons_with_a_fixed_number_of_queries(
    client, login, worker, municipality, adult_unit, django_assert_max_num_queries, rows
):
    for index in range(rows):
        pf.case(pf.person(municipality, f"P{index}"), adult_unit, responsible=worker)
    login(worker)
    with django_assert_max_num_queries(
        9
    ):  # session 1, user 1, roles 1, count 1, page 1, audit row 4
        response = client.get("/api/v1/persons/")
    assert response.json()["count"] == rows


def test_it_publishes_the_endpoints_in_the_openapi_schema(client, login, worker):
    login(worker)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/persons/", "/api/v1/relationships/", "/api/v1/cases/", "/api/v1/notes/"):
        assert path in schema
    assert "/api/v1/cases/{id}/status/" in schema
    assert "/api/v1/notes/{id}/sign/" in schema
