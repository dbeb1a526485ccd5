"""Break the glass: a case worker who does not see a person opens read-only sight of
them by personnummer, for the set time, every read marked in the log."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.audit.verify import verify_chain
from kinsight.people.emergency.models import EmergencyAccess
from tests.people import factories as pf
from tests.people.emergency_helpers import START, form, second_step

pytestmark = pytest.mark.django_db

BANNER = "Nödåtkomst pågår"


def person_page(person):
    return reverse("people:person_detail", args=[person.pk])


def later(minutes):
    """Time travel: ``timezone.now`` answers ``minutes`` from now."""
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_it_gives_read_only_sight_for_the_set_time(
    settings, client, login, child_worker, worker, client_person, open_case
):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60  # the session outlives the access
    note = pf.note(open_case, worker)
    login(child_worker)
    assert client.get(person_page(client_person)).status_code == 404

    response = client.post(START, form(client_person))

    access = EmergencyAccess.objects.get()
    assert response.status_code == 302
    assert response["Location"] == person_page(client_person)
    assert (access.user, access.person, access.ended_early) == (child_worker, client_person, False)
    assert access.ends_at - access.started_at == datetime.timedelta(minutes=60)
    page = client.get(person_page(client_person))
    assert page.status_code == 200
    assert BANNER in page.content.decode()
    case_page = client.get(reverse("cases:case_detail", args=[open_case.pk]))
    assert case_page.status_code == 200
    assert note.text in case_page.content.decode()
    # Read only: the person's and the case's edit pages are refused.
    assert client.get(reverse("people:person_edit", args=[client_person.pk])).status_code == 403
    assert client.get(reverse("cases:case_edit", args=[open_case.pk])).status_code == 403
    with later(61):
        assert client.get(person_page(client_person)).status_code == 404
        assert client.get(reverse("cases:case_detail", args=[open_case.pk])).status_code == 404
        assert BANNER not in client.get(reverse("ui:home")).content.decode()


def test_the_setting_sets_the_time(settings, client, login, child_worker, client_person):
    settings.KINSIGHT_EMERGENCY_ACCESS_MINUTES = 15
    login(child_worker)
    client.post(START, form(client_person))

    with later(14):
        assert client.get(person_page(client_person)).status_code == 200
    with later(16):
        assert client.get(person_page(client_person)).status_code == 404


def test_every_read_during_it_is_marked_in_the_log(
    client, login, child_worker, client_person, open_case
):
    login(child_worker)
    client.post(START, form(client_person))
    access = EmergencyAccess.objects.get()

    client.get(person_page(client_person))
    client.get(reverse("cases:case_detail", args=[open_case.pk]))

    reads = AuditEntry.objects.filter(actor=child_worker, action=AuditAction.READ)
    person_read = reads.get(object_type="people.person", object_id=str(client_person.pk))
    case_read = reads.get(object_type="cases.case", object_id=str(open_case.pk))
    assert person_read.changes["emergency_access"] == [access.pk]
    assert case_read.changes["emergency_access"] == [access.pk]
    created = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="people.emergencyaccess"
    )
    assert created.changes["reason"] == [None, "child_danger"]
    assert "reason_text" not in created.changes
    assert verify_chain(child_worker.municipality_id) is None


def test_reads_of_others_are_not_marked(client, login, worker, client_person, open_case):
    login(worker)
    client.get(person_page(client_person))

    read = AuditEntry.objects.get(actor=worker, object_type="people.person")
    assert "emergency_access" not in read.changes
    assert BANNER not in client.get(person_page(client_person)).content.decode()


def test_a_protected_identity_needs_the_second_step(client, login, child_worker, municipality):
    hidden = pf.person(municipality, "Hemlig", "Skyddad", protected_identity=True)
    login(child_worker)

    missing = client.post(START, form(hidden))
    wrong = client.post(START, {**second_step(hidden), "password": "fel-lösenord"})

    assert missing.status_code == 400
    assert "bekräfta att du behöver uppgifterna" in missing.content.decode()
    assert "skriv ditt lösenord igen" in missing.content.decode()
    assert wrong.status_code == 400
    assert not EmergencyAccess.objects.exists()
    # The refusal says the person is protected: each one is logged as a read of that.
    refused = AuditEntry.objects.filter(actor=child_worker, object_id=str(hidden.pk))
    assert [e.changes["emergency_second_step"] for e in refused.order_by("seq")] == [
        ["password", "protected_confirmed"],
        ["password"],
    ]
    assert client.post(START, second_step(hidden)).status_code == 302
    assert EmergencyAccess.objects.get().protected_confirmed is True
    assert client.get(person_page(hidden)).status_code == 200


@pytest.mark.parametrize("persona", ["administrator", "log_reviewer", "outsider"])
def test_roles_without_casework_get_404(client, login, request, persona, client_person):
    login(request.getfixturevalue(persona))

    assert client.get(START).status_code == 404
    assert client.post(START, form(client_person)).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_another_municipalitys_person_is_refused_without_saying_more(
    client, login, child_worker, other_municipality
):
    elsewhere = pf.person(other_municipality, "Olle", "Annorstädes")
    login(child_worker)

    response = client.post(START, form(elsewhere))

    assert response.status_code == 400
    assert "Ingen person med det numret finns i kommunen" in response.content.decode()
    assert "Annorstädes" not in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_bad_input_gets_a_clear_message(client, login, child_worker, client_person):
    login(child_worker)

    response = client.post(START, form(client_person, reason_text="", identifier=""))

    assert response.status_code == 400
    assert "Skriv personens personnummer." in response.content.decode()
    assert "Beskriv varför du behöver uppgifterna." in response.content.decode()


def test_a_person_already_seen_needs_no_emergency_access(
    client, login, worker, client_person, open_case
):
    login(worker)

    response = client.post(START, form(client_person))

    assert response.status_code == 400
    assert "Du ser redan personen" in response.content.decode()


def test_it_can_be_ended_early(client, login, child_worker, client_person):
    login(child_worker)
    client.post(START, form(client_person))
    access = EmergencyAccess.objects.get()

    response = client.post(reverse("people:emergency_end", args=[access.pk]))

    access.refresh_from_db()
    assert response.status_code == 302
    assert access.ended_early
    assert client.get(person_page(client_person)).status_code == 404
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="people.emergencyaccess"
    ).exists()


def test_another_users_access_cannot_be_ended(client, login, child_worker, worker, client_person):
    login(child_worker)
    client.post(START, form(client_person))
    access = EmergencyAccess.objects.get()
    login(worker)

    client.post(reverse("people:emergency_end", args=[access.pk]))

    access.refresh_from_db()
    assert not access.ended_early


def test_the_person_page_costs_no_query_more(
    client, login, child_worker, worker, client_person, open_case
):
    login(worker)
    client.get(person_page(client_person))
    with CaptureQueriesContext(connection) as normal:
        client.get(person_page(client_person))
    login(child_worker)
    client.post(START, form(client_person))
    client.get(person_page(client_person))
    with CaptureQueriesContext(connection) as emergency:
        client.get(person_page(client_person))

    assert len(emergency) == len(normal)
