"""The log reviewer's review queue for emergency accesses, and break the glass in the
API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.people.emergency.models import EmergencyAccess, ReviewOutcome
from tests import factories
from tests.audit.helpers import write_statements
from tests.people import factories as pf
from tests.people.emergency_helpers import form, opened

pytestmark = pytest.mark.django_db

QUEUE = reverse("people:emergency_queue")


def review_page(access):
    return reverse("people:emergency_review", args=[access.pk])


def test_the_queue_lists_open_accesses_oldest_first_overdue_marked(
    client, login, log_reviewer, child_worker, municipality
):
    first, second = pf.person(municipality, "Ada", "Först"), pf.person(municipality, "Bo", "Sist")
    late = opened(child_worker, second, minutes_ago=20 * 24 * 60)
    recent = opened(child_worker, first)
    login(log_reviewer)

    page = client.get(QUEUE)

    body = page.content.decode()
    assert page.status_code == 200
    assert list(page.context["accesses"]) == [late, recent]
    assert [a.overdue for a in page.context["accesses"]] == [True, False]
    assert body.count("Försenad") == 1
    read = AuditEntry.objects.get(actor=log_reviewer, object_type="people.emergencyaccess")
    assert read.changes["ids"] == [str(late.pk), str(recent.pk)]


@pytest.mark.parametrize("persona", ["child_worker", "worker", "administrator", "outsider"])
def test_only_log_reviewers_see_the_queue(
    client, login, request, persona, child_worker, client_person
):
    access = opened(child_worker, client_person)
    login(request.getfixturevalue(persona))

    assert client.get(QUEUE).status_code == 404
    assert client.get(review_page(access)).status_code == 404
    assert client.post(review_page(access), {"outcome": "justified"}).status_code == 404


def test_the_review_shows_the_reads_made_during_it_and_is_audited(
    client, login, log_reviewer, child_worker, client_person, open_case
):
    login(child_worker)
    client.post(reverse("people:emergency_start"), form(client_person))
    client.get(reverse("cases:case_detail", args=[open_case.pk]))
    access = EmergencyAccess.objects.get()
    login(log_reviewer)

    page = client.get(review_page(access))
    response = client.post(
        review_page(access),
        {"outcome": ReviewOutcome.JUSTIFIED, "review_comment": "Polisen bekräftar larmet."},
    )

    labels = [row.entry.object_type for row in page.context["page"].rows]
    assert "cases.case" in labels
    assert "Polisen ringer" in page.content.decode()
    assert "<code>emergency_access</code>" in page.content.decode()
    assert response.status_code == 302
    access.refresh_from_db()
    assert (access.outcome, access.reviewed_by) == (ReviewOutcome.JUSTIFIED, log_reviewer)
    update = AuditEntry.objects.get(
        action=AuditAction.UPDATE, object_type="people.emergencyaccess", actor=log_reviewer
    )
    assert update.changes["outcome"] == ["", "justified"]
    assert access not in client.get(QUEUE).context["accesses"]


def test_a_review_needs_an_outcome_and_a_comment_and_is_made_once(
    client, login, log_reviewer, child_worker, client_person
):
    access = opened(child_worker, client_person)
    login(log_reviewer)

    empty = client.post(review_page(access), {"outcome": "", "review_comment": " "})
    client.post(review_page(access), {"outcome": "not_justified", "review_comment": "Inget larm."})
    again = client.post(review_page(access), {"outcome": "justified", "review_comment": "Nej."})

    assert empty.status_code == 400
    assert "Välj om åtkomsten var befogad eller inte." in empty.content.decode()
    assert "Skriv en kommentar till bedömningen." in empty.content.decode()
    assert again.status_code == 400
    access.refresh_from_db()
    assert access.outcome == ReviewOutcome.NOT_JUSTIFIED


@pytest.mark.parametrize("count", [1, 3])
def test_the_queue_runs_a_fixed_number_of_queries(
    client, login, log_reviewer, child_worker, municipality, count, django_assert_num_queries
):
    for number in range(count):
        opened(child_worker, pf.person(municipality, "Person", f"Nummer{number}"))
    login(log_reviewer)
    client.get(QUEUE)

    with django_assert_num_queries(4 + write_statements()):
        client.get(QUEUE)


@pytest.mark.parametrize("reads", [1, 3])
def test_the_review_page_runs_a_fixed_number_of_queries(
    client, login, log_reviewer, child_worker, client_person, reads, django_assert_num_queries
):
    login(child_worker)
    client.post(reverse("people:emergency_start"), form(client_person))
    for _ in range(reads):
        client.get(reverse("people:person_detail", args=[client_person.pk]))
    access = EmergencyAccess.objects.get()
    login(log_reviewer)
    client.get(review_page(access))

    with django_assert_num_queries(8 + write_statements()):
        client.get(review_page(access))


@pytest.mark.parametrize("count", [1, 3])
def test_my_accesses_run_a_fixed_number_of_queries(
    client, login, child_worker, municipality, count, django_assert_num_queries
):
    for number in range(count):
        opened(child_worker, pf.person(municipality, "Person", f"Nummer{number}"))
    login(child_worker)
    client.get(reverse("people:emergency_start"))

    with django_assert_num_queries(4 + write_statements()):
        assert client.get(reverse("people:emergency_start")).status_code == 200


# --- the API -----------------------------------------------------------------------

API = "/api/v1/emergency-access/"


def test_the_api_opens_one_and_lists_ones_own(child_worker, colleague, client_person):
    mine = factories.token_client(child_worker)
    opened(colleague, pf.person(client_person.municipality, "Annan", "Persons"))

    created = mine.post(API, form(client_person), format="json")
    listed = mine.get(API)

    assert created.status_code == 201
    assert created.json()["person"] == client_person.pk
    assert [row["id"] for row in listed.json()["results"]] == [created.json()["id"]]


def test_the_api_refuses_roles_without_casework_and_bad_numbers(
    administrator, child_worker, other_municipality
):
    elsewhere = pf.person(other_municipality, "Olle", "Annorstädes")

    refused = factories.token_client(administrator).post(API, form(elsewhere), format="json")
    unknown = factories.token_client(child_worker).post(API, form(elsewhere), format="json")

    assert refused.status_code == 404
    assert unknown.status_code == 400
    assert "identifier" in unknown.json()


def test_the_api_review_is_for_log_reviewers(log_reviewer, child_worker, worker, client_person):
    access = opened(child_worker, client_person)
    body = {"outcome": "justified", "review_comment": "Befogat."}
    url = f"{API}{access.pk}/review/"

    own = factories.token_client(child_worker).post(url, body, format="json")
    other = factories.token_client(worker).post(url, body, format="json")
    reviewed = factories.token_client(log_reviewer).post(url, body, format="json")

    assert (own.status_code, other.status_code, reviewed.status_code) == (403, 404, 200)
    assert reviewed.json()["outcome"] == "justified"
    assert EmergencyAccess.objects.get().reviewed_by == log_reviewer


def test_an_api_token_never_carries_the_sight(child_worker, client_person):
    api = factories.token_client(child_worker)
    api.post(API, form(client_person), format="json")

    assert api.get(f"/api/v1/persons/{client_person.pk}/").status_code == 404
    assert EmergencyAccess.objects.get().ends_at > timezone.now()
