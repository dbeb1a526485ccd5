"""Log review in the API (issue 15): the reviews and the patterns' hits, for log
reviewers only, audited as the pages are."""

import datetime

import pytest
from rest_framework.test import APIClient

from kinsight.audit.models import AuditEntry, LogReview
from kinsight.core.models import Role
from tests import factories
from tests.audit.review_helpers import MONDAY, at, read
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

WEEK = {"start": MONDAY.isoformat(), "end": (MONDAY + datetime.timedelta(6)).isoformat()}


@pytest.fixture
def hidden(municipality, worker, addiction_unit):
    person = pf.person(municipality, "Dold", "Person", protected_identity=True)
    pf.case(person, addiction_unit)
    read(worker, person, at(0, 9))
    return person


def api(user):
    return factories.token_client(user)


def test_it_lists_the_hits_and_reviews_one(log_reviewer, worker, hidden):
    client = api(log_reviewer)
    response = client.get("/api/v1/log-pattern-hits/", WEEK)
    assert response.status_code == 200, response.content
    [hit] = [h for h in response.json() if h["pattern"] == "protected"]
    assert (hit["actor"], hit["person"], hit["reads"], hit["reviewed"]) == (
        worker.pk,
        hidden.pk,
        1,
        False,
    )
    seen = AuditEntry.objects.filter(actor=log_reviewer).latest("seq")
    assert seen.changes["patterns"]["protected"] == 1
    body = {k: hit[k] for k in ("pattern", "actor", "person", "bucket")}
    made = client.post("/api/v1/log-reviews/", {**body, "outcome": "in_order"}, format="json")
    assert made.status_code == 201, made.content
    review = LogReview.objects.get()
    assert (made.json()["id"], review.person_id) == (review.pk, hidden.pk)
    listed = client.get("/api/v1/log-reviews/")
    assert [r["id"] for r in listed.json()["results"]] == [review.pk]
    row = AuditEntry.objects.filter(actor=log_reviewer).latest("seq")
    assert (row.object_type, row.changes["ids"]) == ("audit.logreview", [str(review.pk)])
    again = client.get("/api/v1/log-pattern-hits/", WEEK).json()
    assert [h["reviewed"] for h in again if h["pattern"] == "protected"] == [True]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "in_order"}, "non_field_errors"),
        ({"pattern": "protected", "outcome": "bad"}, "outcome"),
        ({"sample": 1, "pattern": "protected", "outcome": "in_order"}, "non_field_errors"),
    ],
)
def test_it_refuses_a_bad_review_with_a_message(log_reviewer, body, field):
    response = api(log_reviewer).post("/api/v1/log-reviews/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_it_refuses_a_bad_window(log_reviewer):
    response = api(log_reviewer).get(
        "/api/v1/log-pattern-hits/", {"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert response.status_code == 400
    assert response.json()["end"] == ["Slutdatum kan inte vara före startdatum."]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.LOG_REVIEWER])
def test_it_answers_404_to_every_other_role(municipality, org, role):
    client = api(factories.staff(municipality, role=role, unit=org["board"]))
    assert client.get("/api/v1/log-pattern-hits/").status_code == 404
    assert client.get("/api/v1/log-reviews/").status_code == 404
    body = {"pattern": "protected", "actor": 1, "person": 1, "bucket": "2026-01-01"}
    assert client.post("/api/v1/log-reviews/", {**body, "outcome": "in_order"}).status_code == 404


def test_it_answers_404_to_a_log_reviewer_of_another_municipality(
    log_reviewer, worker, hidden, other_municipality, other_org
):
    client = api(log_reviewer)
    hit = next(h for h in client.get("/api/v1/log-pattern-hits/", WEEK).json())
    body = {k: hit[k] for k in ("pattern", "actor", "person", "bucket")}
    client.post("/api/v1/log-reviews/", {**body, "outcome": "in_order"}, format="json")
    review = LogReview.objects.get()
    stranger = factories.staff(other_municipality, role=Role.LOG_REVIEWER, unit=other_org["board"])
    other = api(stranger)
    assert other.get(f"/api/v1/log-reviews/{review.pk}/").status_code == 404
    assert other.get("/api/v1/log-pattern-hits/", WEEK).json() == []
    made = other.post("/api/v1/log-reviews/", {**body, "outcome": "in_order"}, format="json")
    assert made.status_code == 404


def test_anonymous_gets_nothing(hidden):
    assert APIClient().get("/api/v1/log-reviews/").status_code in (401, 403)
