import pytest

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import Case, CaseStatus, JournalNote
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_it_opens_moves_and_reads_a_case_through_the_api(client, login, worker, adult_unit):
    person = pf.person(adult_unit.municipality, "Rut", unit=adult_unit)
    login(worker)
    response = client.post(
        "/api/v1/cases/",
        {"person": person.pk, "unit": adult_unit.pk, "subject": "Ansökan"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/status/", {"status": "beslut", "version": 1}, content_type=JSON
    )
    assert response.status_code == 400
    assert "förhandsbedömning" in str(response.json())
    response = client.post(
        f"/api/v1/cases/{case_id}/status/",
        {"status": "forhandsbedomning", "version": 1},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert Case.objects.get().status == CaseStatus.PRE_ASSESSMENT
    stale = client.post(
        f"/api/v1/cases/{case_id}/status/", {"status": "utredning", "version": 1}, content_type=JSON
    )
    assert stale.status_code == 409
    assert client.get(f"/api/v1/cases/{case_id}/").status_code == 200
    assert AuditEntry.objects.filter(
        action="read", object_type="cases.case", object_id=str(case_id)
    ).exists()


def test_it_filters_cases_by_status(client, login, worker, open_case, municipality, adult_unit):
    pf.case(pf.person(municipality, "B"), adult_unit, status=CaseStatus.CLOSED)
    login(worker)
    rows = client.get("/api/v1/cases/", {"status": "aktualisering"}).json()["results"]
    assert [r["id"] for r in rows] == [open_case.pk]


@pytest.mark.parametrize("who", ["child_worker", "outsider"])
def test_it_answers_404_for_cases_and_notes_without_a_relationship(
    request, client, login, who, open_case
):
    note = pf.note(open_case, open_case.responsible)
    login(request.getfixturevalue(who))
    assert client.get(f"/api/v1/cases/{open_case.pk}/").status_code == 404
    assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get("/api/v1/notes/").json()["count"] == 0


def test_it_writes_and_signs_a_note_and_refuses_changes_after(client, login, worker, open_case):
    login(worker)
    response = client.post(
        "/api/v1/notes/", {"case": open_case.pk, "text": "Utkast"}, content_type=JSON
    )
    assert response.status_code == 201
    note_id = response.json()["id"]
    response = client.post(
        f"/api/v1/notes/{note_id}/sign/", {"text": "Klart.", "version": 1}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["signed_by"] == worker.pk
    response = client.patch(
        f"/api/v1/notes/{note_id}/", {"text": "Ändrat", "version": 2}, content_type=JSON
    )
    assert response.status_code == 400
    assert JournalNote.objects.get().text == "Klart."


def test_it_refuses_note_writes_by_a_colleague_with_403(client, login, colleague, open_case):
    login(colleague)
    response = client.post("/api/v1/notes/", {"case": open_case.pk, "text": "X"}, content_type=JSON)
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 10])
def test_it_lists_cases_with_a_fixed_number_of_queries(
    client, login, worker, municipality, adult_unit, django_assert_max_num_queries, rows
):
    for index in range(rows):
        pf.case(pf.person(municipality, f"P{index}"), adult_unit, responsible=worker)
    login(worker)
    with django_assert_max_num_queries(
        9
    ):  # session 1, user 1, roles 1, count 1, page 1, audit row 4
        assert client.get("/api/v1/cases/").json()["count"] == rows
