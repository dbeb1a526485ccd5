"""The network API: the same rules as the pages (members read, the leader writes, 403
for a member's write, 404 outside the region), bad input answered in Swedish, downloads
audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinsight.audit.models import AuditEntry
from kinsight.network.models import Course, MeetingFile, Question
from tests.network.conftest import office_file, soon

MEETING = {
    "title": "Vårmöte",
    "day": "2027-03-10",
    "starts_at": "09:00",
    "ends_at": "12:00",
    "place": "Förbundet",
}


def test_the_leader_plans_and_documents_a_meeting_through_the_api(login, leader, member, head):
    client = login(leader)
    response = client.post("/api/v1/network-meetings/", MEETING, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert [a["municipality"] for a in response.json()["attendances"]] == [member.municipality_id]
    url = f"/api/v1/network-meetings/{pk}/"
    data = {"minutes": "Beslut.", "minutes_writer": "Nils Nät"}
    assert client.post(url + "minutes/", data, content_type="application/json").status_code == 200
    upload = SimpleUploadedFile("bilder.xlsx", office_file("xl/workbook.xml"))
    assert client.post(url + "files/", {"file": upload}).status_code == 201
    member_client = login(head)
    detail = member_client.get(url).json()
    assert detail["minutes_writer"] == "Nils Nät" and detail["files"][0]["name"] == "bilder.xlsx"
    shared = MeetingFile.objects.get()
    response = member_client.get(f"/api/v1/network-files/{shared.pk}/download/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(object_type="network.meetingfile", action="export").exists()
    assert (
        member_client.post(url + "minutes/", data, content_type="application/json").status_code
        == 403
    )


def test_a_wrong_file_is_refused_in_swedish(login, leader, meeting):
    upload = SimpleUploadedFile("bilder.pptx", b"%PDF-1.4 not a presentation")
    response = login(leader).post(f"/api/v1/network-meetings/{meeting.pk}/files/", {"file": upload})
    assert response.status_code == 400
    assert "stämmer inte med filtypen .pptx" in response.json()["file"][0]


def test_members_ask_and_answer_through_the_api(login, meeting, head, other_head, second):
    url = f"/api/v1/network-meetings/{meeting.pk}/questions/"
    response = login(head).post(url, {"text": "Hur?"}, content_type="application/json")
    assert response.status_code == 201
    question = Question.objects.get()
    url = f"/api/v1/network-questions/{question.pk}/answer/"
    response = login(other_head).post(url, {"answer": "Så."}, content_type="application/json")
    assert response.status_code == 200 and response.json()["answer"] == "Så."


@pytest.mark.parametrize("who", ["worker", "other_head", "stranger_leader"])
def test_outside_the_region_everything_is_404_or_empty(request, login, meeting, inventory, who):
    client = login(request.getfixturevalue(who))
    assert client.get("/api/v1/network-meetings/").json()["results"] == []
    assert client.get("/api/v1/network-inventories/").json()["results"] == []
    assert client.get(f"/api/v1/network-meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/api/v1/network-inventories/{inventory.pk}/").status_code == 404


def test_the_inventory_through_the_api(login, leader, inventory, head):
    url = f"/api/v1/network-inventories/{inventory.pk}/"
    data = {"area": "Barn och unga", "needs": "Signs of Safety", "staff_count": 7}
    response = login(head).post(url + "answer/", data, content_type="application/json")
    assert response.status_code == 200, response.content
    client = login(leader)
    assert client.get(url).json()["staff_totals"]["Barn och unga"] == 7
    course = {
        "area": "Barn och unga",
        "title": "Signs of Safety grund",
        "starts_on": soon(60).isoformat(),
        "ends_on": soon(61).isoformat(),
        "capacity": 20,
        "minimum": 8,
        "cost": "3000.00",
        "decision_on": soon(70).isoformat(),
        "with_neighbour": False,
    }
    response = client.post(url + "courses/", course, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["decision_on"] == ["Beslutsdagen måste vara före kursstart."]
    course["decision_on"] = soon(30).isoformat()
    assert client.post(url + "courses/", course, content_type="application/json").status_code == 201
    assert (
        login(head).get("/api/v1/network-courses/").json()["results"][0]["id"]
        == Course.objects.get().pk
    )
