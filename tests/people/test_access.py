"""Who sees whom: a case in one's unit, the family around such a person (limited),
protected identities only with a case, never another municipality."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role
from kinsight.people.models import Person
from tests import factories
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Person.objects.visible_to(user, "view").values_list("first_name", flat=True))


def test_it_shows_a_worker_the_person_with_a_case_in_their_unit_and_the_family(
    worker, colleague, manager, client_person, family
):
    for user in (worker, colleague, manager):
        assert visible(user) == {"Anna", "Kim", "Per"}, user
        full = set(Person.objects.full_access(user).values_list("first_name", flat=True))
        assert full == {"Anna"}


def test_it_hides_everyone_from_a_worker_of_another_unit(child_worker, family):
    assert visible(child_worker) == set()


def test_it_hides_everything_from_another_municipality(outsider, family):
    assert visible(outsider) == set()


def test_it_shows_a_protected_person_only_to_the_unit_with_a_case_for_them(
    worker, child_worker, child_unit, family
):
    hidden = family["hidden"]
    assert "Hemlig" not in visible(worker)
    pf.case(hidden, child_unit, responsible=child_worker)
    assert "Hemlig" in visible(child_worker)
    assert "Hemlig" not in visible(worker)


def test_it_lets_the_responsible_worker_change_but_not_a_colleague(
    worker, colleague, manager, client_person, family
):
    assert Person.objects.visible_to(worker, "change").filter(pk=client_person.pk).exists()
    assert Person.objects.visible_to(manager, "change").filter(pk=client_person.pk).exists()
    assert not Person.objects.visible_to(colleague, "change").exists()


def test_it_stops_showing_relatives_when_the_relationship_has_ended(
    worker, client_person, municipality
):
    import datetime

    from kinsight.people.models import RelationKind

    ex = pf.person(municipality, "Före", "Detta")
    pf.relate(client_person, ex, RelationKind.PARTNER, valid_to=datetime.date(2020, 1, 1))
    assert "Före" not in visible(worker)


# Pages: 200 for the worker, limited for a relative, 404 for the others -------------


def test_it_shows_the_person_page_to_the_worker_and_audits_the_read(
    client, login, worker, client_person, family
):
    login(worker)
    response = client.get(reverse("people:person_detail", args=[client_person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Storgatan 1" in body
    assert "Kim Åberg" in body and "8 år" in body
    assert "Hemlig" not in body
    assert AuditEntry.objects.filter(
        actor=worker, action="read", object_type="people.person", object_id=str(client_person.pk)
    ).exists()
    listed = AuditEntry.objects.get(
        actor=worker, action="read", object_id="*", object_type="people.person"
    )
    assert sorted(listed.changes["ids"]) == sorted([str(family["kim"].pk), str(family["per"].pk)])


def test_it_shows_a_relative_with_name_age_and_relation_only(
    client, login, worker, family, municipality
):
    kim = family["kim"]
    Person.objects.filter(pk=kim.pk).update(street_address="Barnvägen 2")
    login(worker)
    response = client.get(reverse("people:person_detail", args=[kim.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kim Åberg" in body and "8 år" in body and "Förälder" in body
    assert "Barnvägen" not in body and kim.identifier[:8] not in body
    assert AuditEntry.objects.filter(
        actor=worker, action="read", object_type="people.person", object_id=str(kim.pk)
    ).exists()


@pytest.mark.parametrize("who", ["child_worker", "outsider"])
def test_it_answers_404_to_users_without_a_relationship(request, client, login, who, family):
    login(request.getfixturevalue(who))
    for person in (family["kim"], family["hidden"]):
        assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert not AuditEntry.objects.filter(object_type="people.person").exists()


def test_it_answers_404_for_a_protected_person_to_the_parents_worker(client, login, worker, family):
    login(worker)
    response = client.get(reverse("people:person_detail", args=[family["hidden"].pk]))
    assert response.status_code == 404
    assert "Hemlig" not in response.content.decode()


def test_it_refuses_the_edit_page_to_a_colleague_with_read_access(
    client, login, colleague, client_person, open_case
):
    login(colleague)
    assert client.get(reverse("people:person_detail", args=[client_person.pk])).status_code == 200
    assert client.get(reverse("people:person_edit", args=[client_person.pk])).status_code == 403


def test_it_never_lists_a_protected_person_in_search(
    client, login, worker, family, municipality, adult_unit
):
    login(worker)
    response = pf.search(client, "hemlig")
    assert "Hemlig" not in response.content.decode()
    response = pf.search(client, family["hidden"].identifier)
    assert "Hemlig" not in response.content.decode()
    assert "Ingen person hittades" in response.content.decode()


def test_it_keeps_the_manager_of_another_unit_out(client, login, municipality, org, family):
    other_manager = factories.staff(
        municipality, role=Role.UNIT_MANAGER, unit=org["units"]["violence"]
    )
    login(other_manager)
    assert client.get(reverse("people:person_detail", args=[family["per"].pk])).status_code == 404
