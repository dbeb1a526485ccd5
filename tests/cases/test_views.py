import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import Case, CaseStatus, JournalNote
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def test_it_shows_the_case_page_to_the_worker_and_audits_the_read(client, login, worker, open_case):
    pf.note(open_case, worker, "Första samtalet.")
    login(worker)
    response = client.get(reverse("cases:case_detail", args=[open_case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ansökan om stöd</h1>" in body
    assert "Första samtalet." in body and "Signerad av" in body
    assert '<label for="id_status">' in body
    assert AuditEntry.objects.filter(
        action="read", object_type="cases.case", object_id=str(open_case.pk)
    ).exists()
    assert AuditEntry.objects.filter(
        action="read", object_type="cases.journalnote", object_id="*"
    ).exists()


def test_it_shows_a_colleague_the_case_but_refuses_writes_with_403(
    client, login, colleague, open_case
):
    login(colleague)
    response = client.get(reverse("cases:case_detail", args=[open_case.pk]))
    assert response.status_code == 200
    assert "Ny anteckning" not in response.content.decode()
    response = client.post(
        reverse("cases:case_status", args=[open_case.pk]),
        {"status": CaseStatus.CLOSED, "version": 1},
    )
    assert response.status_code == 403
    assert client.post(reverse("cases:note_new", args=[open_case.pk])).status_code == 403
    assert Case.objects.get().status == CaseStatus.ACTUALISATION


@pytest.mark.parametrize("who", ["child_worker", "outsider"])
def test_it_answers_404_to_users_without_a_relationship(request, client, login, who, open_case):
    note = pf.note(open_case, open_case.responsible)
    login(request.getfixturevalue(who))
    for url in (
        reverse("cases:case_detail", args=[open_case.pk]),
        reverse("cases:case_edit", args=[open_case.pk]),
        reverse("cases:note_edit", args=[note.pk]),
        reverse("cases:case_open", args=[open_case.person.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("cases:case_status", args=[open_case.pk]),
        reverse("cases:note_new", args=[open_case.pk]),
        reverse("cases:note_correct", args=[note.pk]),
    ):
        assert client.post(url, {"status": "avslutad", "version": 1}).status_code == 404, url
    assert not AuditEntry.objects.filter(action="read").exists()


def test_it_lets_the_manager_reassign_from_the_case_page(
    client, login, manager, colleague, open_case
):
    login(manager)
    body = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Fördela ärendet" in body
    response = client.post(
        reverse("cases:case_assign", args=[open_case.pk]),
        {"responsible": colleague.pk, "version": 1},
    )
    assert response.status_code == 302
    assert Case.objects.get().responsible == colleague


def test_it_opens_a_case_from_the_person_page(client, login, worker, adult_unit, municipality):
    person = pf.person(municipality, "Rut", unit=adult_unit)
    login(worker)
    response = client.post(
        reverse("cases:case_open", args=[person.pk]),
        {"unit": adult_unit.pk, "subject": "Orosanmälan", "opened_on": "2026-01-10"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.responsible == worker and case.person == person


def test_it_refuses_a_case_for_a_deceased_person_with_a_message(
    client, login, worker, adult_unit, municipality
):
    import datetime

    person = pf.person(municipality, "Död", unit=adult_unit, deceased_on=datetime.date(2025, 1, 1))
    login(worker)
    response = client.post(
        reverse("cases:case_open", args=[person.pk]),
        {"unit": adult_unit.pk, "subject": "X", "opened_on": "2026-01-10"},
    )
    assert "avliden" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("rows", [1, 10])
def test_it_lists_my_cases_with_a_fixed_number_of_queries(
    client, login, worker, municipality, adult_unit, django_assert_max_num_queries, rows
):
    for index in range(rows):
        pf.case(pf.person(municipality, f"Klient{index}"), adult_unit, responsible=worker)
    login(worker)
    with django_assert_max_num_queries(
        9
    ):  # session 1, user 1, roles 1, count 1, page 1, audit row 4
        response = client.get(reverse("cases:my_cases"))
    assert response.content.decode().count("Klient") == rows
    entry = AuditEntry.objects.get(action="read", object_type="cases.case")
    assert len(entry.changes["ids"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_it_lists_the_units_cases_with_a_fixed_number_of_queries(
    client, login, manager, municipality, adult_unit, django_assert_max_num_queries, rows
):
    for index in range(rows):
        pf.case(pf.person(municipality, f"Klient{index}"), adult_unit)
    login(manager)
    with django_assert_max_num_queries(
        9
    ):  # session 1, user 1, roles 1, count 1, page 1, audit row 4
        response = client.get(reverse("cases:unit_cases"))
    assert response.content.decode().count("Klient") == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_it_shows_the_case_page_with_a_fixed_number_of_queries(
    client, login, worker, open_case, django_assert_max_num_queries, rows
):
    for index in range(rows):
        pf.note(open_case, worker, f"Anteckning nummer {index}")
    login(worker)
    # 3 sign-in, 5 case page, 1 the support groups' panel (no participation: no
    # audit row), 4 audit
    with django_assert_max_num_queries(13):
        response = client.get(reverse("cases:case_detail", args=[open_case.pk]))
    assert response.content.decode().count("Anteckning nummer") == rows


def test_it_writes_autosaves_signs_and_corrects_a_note(client, login, worker, open_case):
    login(worker)
    response = client.post(reverse("cases:note_new", args=[open_case.pk]))
    note = JournalNote.objects.get()
    assert response.url == reverse("cases:note_edit", args=[note.pk])
    page = client.get(response.url).content.decode()
    assert 'data-draft-key="kinsight-note-' in page and "hx-post" in page
    saved = client.post(
        reverse("cases:note_autosave", args=[note.pk]),
        {"text": "Samtal med Anna", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert 'class="saved"' in saved.content.decode()
    assert 'value="2"' in saved.content.decode()
    assert JournalNote.objects.get().text == "Samtal med Anna"
    response = client.post(
        reverse("cases:note_edit", args=[note.pk]),
        {"text": "Samtal med Anna om barnen.", "version": 2, "action": "sign"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.signed_by == worker
    # A signed note is never edited: the edit page sends back to the case.
    response = client.post(
        reverse("cases:note_autosave", args=[note.pk]), {"text": "Ändrad", "version": 3}
    )
    assert "signerad" in response.content.decode()
    assert JournalNote.objects.get(pk=note.pk).text == "Samtal med Anna om barnen."
    response = client.post(reverse("cases:note_correct", args=[note.pk]))
    correction = JournalNote.objects.exclude(pk=note.pk).get()
    assert correction.corrects == note
    client.post(
        reverse("cases:note_edit", args=[correction.pk]),
        {"text": "Rättelse: barnen är två.", "version": 1, "action": "sign"},
    )
    body = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Rättelse: barnen är två." in body and "Rättar" in body and "Rättad i" in body
    writes = AuditEntry.objects.filter(object_type="cases.journalnote").exclude(action="read")
    assert writes.count() >= 5


def test_it_refuses_a_stale_draft_save_and_keeps_the_text(client, login, worker, open_case):
    login(worker)
    client.post(reverse("cases:note_new", args=[open_case.pk]))
    note = JournalNote.objects.get()
    client.post(
        reverse("cases:note_autosave", args=[note.pk]), {"text": "Från flik ett", "version": 1}
    )
    response = client.post(
        reverse("cases:note_edit", args=[note.pk]),
        {"text": "Från flik två", "version": 1, "action": "save"},
    )
    body = response.content.decode()
    assert "Någon annan har sparat" in body
    assert "Från flik två" in body
    assert JournalNote.objects.get().text == "Från flik ett"


def test_it_refuses_a_stale_case_edit_and_keeps_the_users_text(client, login, worker, open_case):
    login(worker)
    url = reverse("cases:case_edit", args=[open_case.pk])
    assert client.post(url, {"subject": "Ny mening", "version": 1}).status_code == 302
    response = client.post(url, {"subject": "Min mening", "version": 1})
    body = response.content.decode()
    assert "Någon annan har sparat" in body and 'value="Min mening"' in body
    assert Case.objects.get().subject == "Ny mening"


def test_it_shows_mina_arenden_in_the_menu(client, login, worker):
    login(worker)
    body = client.get(reverse("ui:home")).content.decode()
    assert "Mina ärenden" in body and "Sök person" in body


def test_it_keeps_the_text_with_the_reason_when_a_signed_note_is_saved(
    client, login, worker, open_case
):
    note = pf.note(open_case, worker, "Signerad text.")
    login(worker)
    assert client.get(reverse("cases:note_edit", args=[note.pk])).status_code == 302
    response = client.post(
        reverse("cases:note_edit", args=[note.pk]),
        {"text": "Min text från en annan flik", "version": note.version, "action": "save"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "signerad och kan inte ändras" in body and "Min text från en annan flik" in body
    assert JournalNote.objects.get().text == "Signerad text."


def test_it_throws_a_draft_away_and_keeps_its_creation_in_the_log(client, login, worker, open_case):
    login(worker)
    client.post(reverse("cases:note_new", args=[open_case.pk]))
    note = JournalNote.objects.get()
    response = client.post(
        reverse("cases:note_edit", args=[note.pk]),
        {"text": "Fel ärende", "version": 1, "action": "discard"},
    )
    assert response["Location"] == reverse("cases:case_detail", args=[open_case.pk])
    assert not JournalNote.objects.exists()
    actions = AuditEntry.objects.filter(object_type="cases.journalnote").exclude(action="read")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "delete"]
