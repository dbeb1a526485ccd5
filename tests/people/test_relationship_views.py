"""Ending and removing a relationship from the person page."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.people.models import RelationKind, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(client_person, family):
    return Relationship.objects.get(
        from_person=client_person, to_person=family["per"], kind=RelationKind.PARTNER
    )


def test_it_ends_a_relationship_from_the_person_page(
    client, login, worker, client_person, partnership
):
    login(worker)
    page = client.get(reverse("people:person_detail", args=[client_person.pk])).content.decode()
    assert reverse("people:relationship_end", args=[partnership.pk]) in page
    response = client.post(
        reverse("people:relationship_end", args=[partnership.pk]),
        {"valid_to": "2026-01-31", "version": partnership.version, "person": client_person.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[client_person.pk])
    partnership.refresh_from_db()
    assert partnership.valid_to == datetime.date(2026, 1, 31)
    entry = AuditEntry.objects.get(action="update", object_type="people.relationship")
    assert entry.changes["valid_to"] == [None, "2026-01-31"]


def test_it_refuses_an_end_before_the_start_with_a_message(
    client, login, worker, client_person, partnership
):
    partnership.valid_from = datetime.date(2020, 1, 1)
    partnership.save()
    login(worker)
    response = client.post(
        reverse("people:relationship_end", args=[partnership.pk]),
        {"valid_to": "2019-01-01", "version": partnership.version, "person": client_person.pk},
        follow=True,
    )
    assert "före" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.valid_to is None


def test_a_stale_end_is_refused(client, login, worker, client_person, partnership):
    login(worker)
    response = client.post(
        reverse("people:relationship_end", args=[partnership.pk]),
        {"valid_to": "2026-01-31", "version": partnership.version + 5, "person": client_person.pk},
        follow=True,
    )
    assert "Någon annan har sparat" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.valid_to is None


def test_it_removes_a_mistaken_relationship(client, login, worker, client_person, partnership):
    login(worker)
    response = client.post(
        reverse("people:relationship_remove", args=[partnership.pk]), {"person": client_person.pk}
    )
    assert response.status_code == 302
    assert not Relationship.objects.filter(pk=partnership.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="people.relationship").exists()


def test_a_colleague_with_read_access_gets_403(
    client, login, colleague, client_person, partnership
):
    login(colleague)
    response = client.post(
        reverse("people:relationship_remove", args=[partnership.pk]), {"person": client_person.pk}
    )
    assert response.status_code == 403
    assert Relationship.objects.filter(pk=partnership.pk).exists()


@pytest.mark.parametrize("name", ["people:relationship_end", "people:relationship_remove"])
def test_another_unit_gets_404(client, login, child_worker, client_person, partnership, name):
    login(child_worker)
    response = client.post(
        reverse(name, args=[partnership.pk]),
        {"valid_to": "2026-01-31", "version": 1, "person": client_person.pk},
    )
    assert response.status_code == 404


def test_it_needs_post(client, login, worker, partnership):
    login(worker)
    assert client.get(reverse("people:relationship_end", args=[partnership.pk])).status_code == 405


def test_a_malformed_person_field_is_404_not_500(client, login, worker, partnership):
    login(worker)
    response = client.post(
        reverse("people:relationship_remove", args=[partnership.pk]), {"person": "x"}
    )
    assert response.status_code == 404
    assert Relationship.objects.filter(pk=partnership.pk).exists()


def test_reading_one_relationship_through_the_api_is_audited(worker, partnership):
    from tests.factories import token_client

    api = token_client(worker)
    assert api.get(f"/api/v1/relationships/{partnership.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action="read", object_type="people.relationship")
    assert entry.object_id == str(partnership.pk) and entry.actor == worker
