"""The leaders' notes on a cycle: the signed note of kinsight.core.notes (draft with
autosave, sign, correct) on the cycle's page; the cycle's leaders only (another leader,
the head of services who sees the cycle, a case worker and another municipality: 404);
an empty note is not signed (400); reads and writes audited; the API as for minutes."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import CycleNote

pytestmark = pytest.mark.django_db
JSON = "application/json"
API = "/api/v1/group-cycle-notes/"


@pytest.fixture
def co_led(head, leader, other_leader, programme, org):
    """A cycle with two leaders."""
    return services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen hösten",
        district=org["district"],
        start_on=datetime.date(2026, 8, 20),
        leaders=[leader, other_leader],
    )


def audited(note, action):
    return AuditEntry.objects.filter(
        object_type="groups.cyclenote", object_id=str(note.pk), action=action
    )


def test_a_leader_writes_saves_and_signs_a_note_on_the_cycle_page(client, login, leader, cycle):
    login(leader)
    page = client.get(f"/stodgrupper/omgangar/{cycle.pk}/").content.decode()
    assert "Anteckningar om gruppomgången" in page and "Inga anteckningar ännu." in page
    response = client.post(reverse("groups:cycle_note_new", args=[cycle.pk]))
    note = CycleNote.objects.get()
    assert response["Location"] == reverse("groups:cycle_note_edit", args=[note.pk])
    edit = client.get(response["Location"]).content.decode()
    assert "Skriv inte mer om en deltagare än gruppens ledare får läsa." in edit
    autosave = reverse("groups:cycle_note_autosave", args=[note.pk])
    saved = client.post(autosave, {"text": "Gruppen", "version": 1}, HTTP_HX_REQUEST="true")
    assert 'class="saved"' in saved.content.decode()
    empty = client.post(response["Location"], {"text": " ", "version": 2, "action": "sign"})
    assert empty.status_code == 400
    assert "En tom anteckning kan inte signeras." in empty.content.decode()
    signed = client.post(
        response["Location"],
        {"text": "Gruppen kommer igång; fler pauser.", "version": 2, "action": "sign"},
    )
    assert signed["Location"] == f"/stodgrupper/omgangar/{cycle.pk}/"
    note.refresh_from_db()
    assert note.is_signed and note.signed_by == leader
    assert audited(note, "create").count() == 1 and audited(note, "update").count() == 2
    page = client.get(f"/stodgrupper/omgangar/{cycle.pk}/").content.decode()
    assert "Gruppen kommer igång; fler pauser." in page
    assert audited(note, "read").exists()


def test_a_signed_note_is_corrected_by_a_new_one(client, login, leader, other_leader, co_led):
    note = services.cycle_note_create(actor=leader, cycle=co_led)
    services.cycle_note_sign(actor=leader, note=note, text="Träff 3 ställs in.", expected_version=1)
    login(other_leader)
    page = client.get(f"/stodgrupper/omgangar/{co_led.pk}/").content.decode()
    assert "Träff 3 ställs in." in page  # a co-leader reads the signed note
    response = client.post(reverse("groups:cycle_note_correct", args=[note.pk]))
    correction = CycleNote.objects.get(corrects=note)
    assert correction.author == other_leader
    assert response["Location"] == reverse("groups:cycle_note_edit", args=[correction.pk])
    login(leader)  # the author: a signed note never changes, the text stays with why
    refused = client.post(
        reverse("groups:cycle_note_edit", args=[note.pk]),
        {"text": "Ändrat", "version": 2, "action": "save"},
    )
    assert refused.status_code == 400
    assert "Anteckningen är signerad och kan inte ändras." in refused.content.decode()
    assert CycleNote.objects.get(pk=note.pk).text == "Träff 3 ställs in."


def test_a_draft_is_the_authors_own(client, login, leader, other_leader, co_led):
    draft = services.cycle_note_create(actor=leader, cycle=co_led, text="Utkast")
    login(other_leader)
    assert "Utkast" not in client.get(f"/stodgrupper/omgangar/{co_led.pk}/").content.decode()
    assert client.get(reverse("groups:cycle_note_edit", args=[draft.pk])).status_code == 404


def test_no_one_but_the_cycles_leaders_gets_a_note(
    client, login, leader, other_leader, head, worker, outsider, cycle
):
    note = services.cycle_note_create(actor=leader, cycle=cycle)
    services.cycle_note_sign(actor=leader, note=note, text="Om gruppen", expected_version=1)
    for user in (other_leader, head, worker, outsider):
        login(user)
        assert client.get(reverse("groups:cycle_note_edit", args=[note.pk])).status_code == 404
        for url in (
            reverse("groups:cycle_note_new", args=[cycle.pk]),
            reverse("groups:cycle_note_correct", args=[note.pk]),
            reverse("groups:cycle_note_autosave", args=[note.pk]),
        ):
            assert client.post(url, {"text": "x", "version": 2}).status_code in (403, 404), (
                user,
                url,
            )
        assert client.get(f"{API}{note.pk}/").status_code == 404
    login(head)  # sees the cycle, not its notes
    page = client.get(f"/stodgrupper/omgangar/{cycle.pk}/").content.decode()
    assert "Om gruppen" not in page
    assert client.post(reverse("groups:cycle_note_new", args=[cycle.pk])).status_code == 403
    assert CycleNote.objects.count() == 1


def test_the_api_writes_signs_and_lists_notes(client, login, leader, other_leader, cycle):
    login(other_leader)
    refused = client.post(API, {"cycle": cycle.pk, "text": "x"}, content_type=JSON)
    assert refused.status_code == 400 and "cycle" in refused.json()
    login(leader)
    made = client.post(API, {"cycle": cycle.pk, "text": "Första"}, content_type=JSON)
    assert made.status_code == 201
    pk = made.json()["id"]
    empty = client.post(f"{API}{pk}/sign/", {"version": 1, "text": ""}, content_type=JSON)
    assert empty.status_code == 400
    signed = client.post(f"{API}{pk}/sign/", {"version": 1, "text": "Klar"}, content_type=JSON)
    assert signed.status_code == 200 and signed.json()["signed_by"] == leader.pk
    listed = client.get(API, {"cycle": cycle.pk}).json()["results"]
    assert [row["text"] for row in listed] == ["Klar"]
    read = AuditEntry.objects.filter(object_type="groups.cyclenote", action="read").last()
    assert read.changes["ids"] == [str(pk)]
    login(other_leader)
    assert client.get(API).json()["results"] == []
