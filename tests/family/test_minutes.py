"""Minutes are the signed note of kinsight.core.notes, with the journal note's page:
autosaved while written, a save that changes nothing writes nothing, a draft can be
thrown away, a signed one never changes (the text stays in the form with the reason)."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.family import services
from kinsight.family.models import MeetingNote

TODAY = datetime.date.today()


@pytest.fixture
def meeting(work, worker, household):
    return services.meeting_create(
        actor=worker, family_work=work, held_on=TODAY, members=[household["anna"]]
    )


@pytest.fixture
def draft(meeting, worker):
    return services.minutes_create(actor=worker, meeting=meeting)


def writes(note):
    return AuditEntry.objects.filter(object_type="family.meetingnote", object_id=str(note.pk))


def test_it_autosaves_the_draft_and_answers_with_the_new_version(client, login, worker, draft):
    login(worker)
    page = client.get(reverse("family:minutes_edit", args=[draft.pk])).content.decode()
    autosave = reverse("family:minutes_autosave", args=[draft.pk])
    assert f'data-draft-key="kinsight-minutes-{draft.pk}"' in page and autosave in page
    response = client.post(autosave, {"text": "1. Läget", "version": 1}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'class="saved"' in body and 'value="2"' in body
    assert MeetingNote.objects.get().text == "1. Läget"
    assert writes(draft).filter(action="update").count() == 1


def test_it_writes_nothing_for_a_save_that_changes_nothing(worker, draft):
    services.minutes_save(actor=worker, note=draft, text="Beslut", expected_version=1)
    services.minutes_save(actor=worker, note=draft, text="Beslut", expected_version=2)
    assert MeetingNote.objects.get().version == 2
    assert writes(draft).filter(action="update").count() == 1


def test_it_throws_a_draft_away_and_keeps_its_creation_in_the_log(
    client, login, worker, draft, meeting
):
    login(worker)
    response = client.post(
        reverse("family:minutes_edit", args=[draft.pk]),
        {"text": "Fel möte", "version": 1, "action": "discard"},
    )
    assert response["Location"] == reverse("family:meeting_detail", args=[meeting.pk])
    assert not MeetingNote.objects.exists()
    done = writes(draft).exclude(action="read").order_by("seq")
    assert list(done.values_list("action", flat=True)) == [
        "create",
        "delete",
    ]


def test_it_sends_a_signed_note_back_to_the_meeting_and_refuses_its_autosave(
    client, login, worker, draft, meeting
):
    services.minutes_sign(actor=worker, note=draft, text="Beslut: stöd.", expected_version=1)
    login(worker)
    response = client.get(reverse("family:minutes_edit", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("family:meeting_detail", args=[meeting.pk]) + f"#note-{draft.pk}"
    )
    response = client.post(
        reverse("family:minutes_autosave", args=[draft.pk]), {"text": "Ändrat", "version": 2}
    )
    assert "signerat och kan inte ändras" in response.content.decode()
    assert MeetingNote.objects.get().text == "Beslut: stöd."


@pytest.mark.parametrize("who", ["bystander", "outsider"])
def test_it_answers_404_to_users_without_a_relationship(request, client, login, who, draft):
    login(request.getfixturevalue(who))
    assert client.get(reverse("family:minutes_edit", args=[draft.pk])).status_code == 404
    response = client.post(
        reverse("family:minutes_autosave", args=[draft.pk]), {"text": "X", "version": 1}
    )
    assert response.status_code == 404
    assert MeetingNote.objects.get().text == ""
