import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.family import services
from kinsight.family.models import Consent, FamilyWork, MeetingNote
from tests.family.conftest import give_consent

TODAY = datetime.date.today()


def test_it_starts_family_work_from_the_case_page(client, login, worker, open_case, household):
    login(worker)
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert reverse("family:start", args=[open_case.pk]) in page
    url = reverse("family:start", args=[open_case.pk])
    form = client.get(url).content.decode()
    assert "Kim" in form and "Per" in form
    data = {
        "title": "Familjen Åberg",
        "started_on": TODAY.isoformat(),
        f"member_{household['anna'].pk}": "parent_1",
        f"member_{household['per'].pk}": "parent_2",
        f"member_{household['kim'].pk}": "child",
    }
    response = client.post(url, data)
    work = FamilyWork.objects.get()
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert work.members.count() == 3
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Familjen Åberg" in page
    person_page = client.get(reverse("people:person_detail", args=[household["anna"].pk]))
    assert "Familjen Åberg" in person_page.content.decode()


def test_it_refuses_start_to_colleague_and_hides_it_from_others(
    client, login, colleague, bystander, outsider, open_case
):
    url = reverse("family:start", args=[open_case.pk])
    login(colleague)
    assert client.get(url).status_code == 403
    for user in (bystander, outsider):
        login(user)
        assert client.get(url).status_code == 404


def test_it_shows_another_unit_only_the_summary_without_consent(
    client, login, joined, child_worker, worker
):
    worker.first_name, worker.last_name = "Sam", "Samordnarsson"
    worker.save()
    login(child_worker)
    page = client.get(reverse("family:detail", args=[joined.pk])).content.decode()
    assert "Familjen Åberg" in page
    assert "Samordnare" in page and "Sam Samordnarsson" in page
    assert "Anna" not in page  # Anna's details need her consent
    assert "Kim" in page  # the unit's own client
    assert "visas inte" in page
    assert AuditEntry.objects.filter(
        actor=child_worker, action="read", object_type="family.familywork"
    ).exists()


def test_it_answers_404_to_units_not_taking_part(client, login, joined, bystander, outsider):
    for user in (bystander, outsider):
        login(user)
        assert client.get(reverse("family:detail", args=[joined.pk])).status_code == 404
        assert client.get(reverse("family:consent_new", args=[joined.pk])).status_code == 404
        assert "Familjen Åberg" not in client.get(reverse("family:list")).content.decode()


def test_it_lets_only_the_coordinator_add_units(client, login, joined, child_worker, worker):
    login(child_worker)
    assert client.get(reverse("family:participant_add", args=[joined.pk])).status_code == 403
    login(worker)
    assert client.get(reverse("family:participant_add", args=[joined.pk])).status_code == 200


def test_it_says_what_to_fix_when_consent_ends_before_it_starts(
    client, login, work, worker, household
):
    login(worker)
    response = client.post(
        reverse("family:consent_new", args=[work.pk]),
        {
            "person": household["anna"].pk,
            "purpose": "sharing",
            "all_units": "on",
            "form": "written",
            "given_on": TODAY.isoformat(),
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "note": "Anteckning som ska finnas kvar",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan inte upphöra före det börjar gälla" in body
    assert "Anteckning som ska finnas kvar" in body
    assert not Consent.objects.exists()


def test_it_withdraws_consent_from_the_page(client, login, joined, worker, child_worker, household):
    consent = give_consent(worker, joined, household["anna"])
    login(child_worker)
    assert "Anna" in client.get(reverse("family:detail", args=[joined.pk])).content.decode()
    login(worker)
    response = client.post(
        reverse("family:consent_withdraw", args=[consent.pk]), {"reason": "Ångrat sig."}
    )
    assert response.status_code == 302
    login(child_worker)
    assert "Anna" not in client.get(reverse("family:detail", args=[joined.pk])).content.decode()


def test_it_holds_a_meeting_and_refuses_edits_to_signed_minutes(
    client, login, work, worker, household
):
    login(worker)
    response = client.post(
        reverse("family:meeting_new", args=[work.pk]),
        {
            "held_on": TODAY.isoformat(),
            "place": "Familjecentralen",
            "agenda": "1. Läget",
            "members": [household["anna"].pk],
            "staff": [worker.pk],
            "externals": "Skolkurator, Norrskolan",
        },
    )
    assert response.status_code == 302
    meeting = work.meetings.get()
    assert meeting.participants.count() == 3
    response = client.post(reverse("family:minutes_new", args=[meeting.pk]))
    note = MeetingNote.objects.get()
    assert response["Location"] == reverse("family:minutes_edit", args=[note.pk])
    edit = reverse("family:minutes_edit", args=[note.pk])
    response = client.post(edit, {"version": 1, "text": "Beslut: stöd.", "action": "sign"})
    assert response.status_code == 302
    response = client.post(edit, {"version": 2, "text": "Min ändrade text", "action": "save"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "signerat och kan inte ändras" in body and "Min ändrade text" in body
    assert MeetingNote.objects.get().text == "Beslut: stöd."
    page = client.get(reverse("family:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Beslut: stöd." in page and "Skolkurator, Norrskolan" in page


def test_it_makes_and_completes_a_task(client, login, joined, worker, child_worker, child_unit):
    login(worker)
    response = client.post(
        reverse("family:task_new", args=[joined.pk]),
        {
            "title": "Ring skolan",
            "due_on": TODAY.isoformat(),
            "responsible_unit": child_unit.pk,
            "responsible": child_worker.pk,
        },
    )
    assert response.status_code == 302
    task = joined.tasks.get()
    login(child_worker)
    response = client.post(
        reverse("family:task_done", args=[task.pk]), {"version": 1, "outcome": "Klart"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.is_done


@pytest.mark.parametrize("rows", [1, 3])
def test_it_lists_family_work_with_a_fixed_number_of_queries(
    client, login, worker, open_case, household, django_assert_max_num_queries, rows
):
    for index in range(rows):
        services.family_work_start(
            actor=worker,
            case=open_case,
            title=f"Familj {index}",
            members=[(household["anna"], "parent_1")],
        )
    login(worker)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("family:list"))
    assert response.content.decode().count("Familj ") == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_it_shows_the_family_work_page_with_a_fixed_number_of_queries(
    client, login, joined, worker, household, django_assert_max_num_queries, rows
):
    for index in range(rows):
        give_consent(worker, joined, household["per"])
        services.task_create(
            actor=worker,
            family_work=joined,
            title=f"Uppgift {index}",
            due_on=TODAY,
            responsible_unit=joined.participants.first().unit,
        )
    login(worker)
    with django_assert_max_num_queries(21):
        response = client.get(reverse("family:detail", args=[joined.pk]))
    assert response.content.decode().count(">Uppgift ") == rows


def test_the_suggested_title_names_the_unit_not_the_family(client, login, worker, open_case):
    login(worker)
    page = client.get(reverse("family:start", args=[open_case.pk])).content.decode()
    assert f"Familjeärende – {open_case.unit.name}" in page
    assert f'value="Familjen {open_case.person.last_name}"' not in page
