"""Network meetings: the leader plans, changes, records attendance, shares files and
writes the minutes; members' heads of services and unit managers read, heads ask and
answer; everyone else 404. Files are checked by extension, content and size, and every
download is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.network.models import Attendance, Meeting, MeetingFile, Question
from tests.network.conftest import office_file, plan

PDF = b"%PDF-1.7\n%minimal\n"


def upload(client, meeting, name, data):
    url = reverse("network:file_add", args=[meeting.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_it_plans_a_meeting_inviting_every_member_audited_in_each_chain(
    login, leader, member, second, municipality, other_municipality
):
    client = login(leader)
    response = client.post(
        reverse("network:meetings"),
        {
            "title": "Vårmöte",
            "day": "2027-03-10",
            "starts_at": "09:00",
            "ends_at": "12:00",
            "place": "",
            "link": "https://meet.example.se/natverk",
            "agenda": "1. Inventeringen",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{meeting.pk}/")
    invited = set(Attendance.objects.values_list("municipality_id", flat=True))
    assert invited == {municipality.pk, other_municipality.pk}
    rows = AuditEntry.objects.filter(object_type="network.meeting", action="create")
    assert set(rows.values_list("municipality_id", flat=True)) == invited


def test_it_refuses_a_meeting_without_place_or_link_and_ending_before_it_starts(
    login, leader, member
):
    client = login(leader)
    data = {"title": "X", "day": "2027-03-10", "starts_at": "12:00", "ends_at": "09:00"}
    response = client.post(reverse("network:meetings"), data)
    assert response.status_code == 400
    assert "Mötet måste sluta efter att det börjar." in response.content.decode()
    data["ends_at"] = "13:00"
    response = client.post(reverse("network:meetings"), data)
    assert "Ange en plats eller en länk till mötet." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["worker", "other_head", "stranger_leader", "outsider"])
def test_it_answers_404_to_everyone_outside_the_region(request, login, meeting, who):
    client = login(request.getfixturevalue(who))
    shared = MeetingFile.objects.create(
        meeting=meeting,
        name="a.pdf",
        content_type="application/pdf",
        size=3,
        data=PDF,
        uploaded_by=meeting.created_by,
    )
    calendar = client.get(reverse("network:meetings"))
    assert calendar.status_code == (200 if who == "stranger_leader" else 404)
    assert meeting.title not in calendar.content.decode()
    for url in (
        reverse("network:meeting", args=[meeting.pk]),
        reverse("network:file", args=[shared.pk]),
        reverse("network:minutes", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_member_reads_but_may_not_change(login, meeting, head, unit_manager):
    for user in (head, unit_manager):
        client = login(user)
        assert client.get(reverse("network:meeting", args=[meeting.pk])).status_code == 200
        assert client.get(reverse("network:minutes", args=[meeting.pk])).status_code == 403
        assert upload(client, meeting, "a.pdf", PDF).status_code == 403
    assert not MeetingFile.objects.exists()


def test_it_shares_a_file_and_serves_it_as_an_audited_download(login, leader, meeting, head):
    client = login(leader)
    assert upload(client, meeting, "Bilder.pptx", office_file()).status_code == 302
    shared = MeetingFile.objects.get()
    assert shared.content_type.endswith("presentationml.presentation")
    client = login(head)
    response = client.get(reverse("network:file", args=[shared.pk]))
    assert response.status_code == 200 and response.content == office_file()
    assert response["Content-Disposition"] == 'attachment; filename="Bilder.pptx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == shared.content_type
    row = AuditEntry.objects.get(object_type="network.meetingfile", action="export")
    assert (row.actor, row.municipality_id) == (head, head.municipality_id)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ...", "Filtypen tas inte emot."),
        ("fake.pdf", b"<html>", "stämmer inte med filtypen .pdf"),
        ("fake.docx", office_file("ppt/slide.xml"), "stämmer inte med filtypen .docx"),
        ("zip.odp", b"PK\x03\x04broken", "stämmer inte med filtypen .odp"),
    ],
)
def test_it_refuses_a_file_of_the_wrong_kind(login, leader, meeting, name, data, message):
    response = upload(login(leader), meeting, name, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not MeetingFile.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(login, leader, meeting, settings):
    settings.KINSIGHT_NETWORK_FILE_MAX_MB = 1
    response = upload(login(leader), meeting, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "Största tillåtna storlek är 1 MB." in response.content.decode()


def test_it_writes_minutes_and_attendance(login, leader, meeting, municipality):
    client = login(leader)
    url = reverse("network:minutes", args=[meeting.pk])
    response = client.post(url, {"minutes": "Vi beslutade.", "minutes_writer": ""})
    assert response.status_code == 400 and "Ange vem som skrev" in response.content.decode()
    client.post(url, {"minutes": "Vi beslutade.", "minutes_writer": "Nils Nät"})
    url = reverse("network:attendance", args=[meeting.pk])
    client.post(url, {"municipality": municipality.pk, "attendees": "Eva E\nOlle O"})
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_writer) == ("Vi beslutade.", "Nils Nät")
    assert Attendance.objects.get().attendees == "Eva E\nOlle O"
    page = client.get(reverse("network:meeting", args=[meeting.pk])).content.decode()
    assert "Antecknade av Nils Nät." in page and "Olle O" in page
    assert AuditEntry.objects.filter(object_type="network.attendance", action="update").count() == 1


def test_members_ask_and_answer_each_other(login, meeting, head, other_head, second):
    client = login(head)
    client.post(reverse("network:question_ask", args=[meeting.pk]), {"text": "Hur gör ni?"})
    question = Question.objects.get()
    url = reverse("network:question_answer", args=[question.pk])
    assert client.post(url, {"answer": "Själv"}).status_code == 403  # not one's own
    client = login(other_head)
    assert client.post(url, {"answer": ""}).status_code == 400
    assert client.post(url, {"answer": "Så här."}).status_code == 302
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Så här.", other_head)
    rows = AuditEntry.objects.filter(object_type="network.question")
    assert {(r.action, r.municipality_id) for r in rows} == {
        ("create", head.municipality_id),
        ("update", head.municipality_id),
    }


@pytest.mark.parametrize("count", [1, 4])
def test_the_calendar_and_a_meeting_page_take_the_same_queries_however_many(
    login, leader, member, count, django_assert_num_queries
):
    meetings = [plan(leader, title=f"Möte {n}") for n in range(count)]
    for found in meetings:
        MeetingFile.objects.create(
            meeting=found,
            name="a.pdf",
            content_type="application/pdf",
            size=3,
            data=PDF,
            uploaded_by=leader,
        )
    client = login(leader)
    with django_assert_num_queries(5):
        assert client.get(reverse("network:meetings")).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(reverse("network:meeting", args=[meetings[0].pk])).status_code == 200
