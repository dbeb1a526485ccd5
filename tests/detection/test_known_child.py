"""A child added as next of kin by a personnummer that a person another unit works with
already has: the record links to that person (no new first-name-only person, no
duplicate), shows only what the worker typed and reveals nothing more of the child;
the lookup is audited naming the child (issue 9 §3)."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.detection.models import ChildRecord
from kinsight.people.models import Person, Relationship
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["plain", "protected"])
def vera(request, municipality, child_unit, child_worker):
    """A child the children's unit works with; the adult unit does not see her."""
    child = pf.child(
        municipality,
        "Vera",
        "Bergström",
        age=9,
        protected_identity=request.param,
        street_address="Barnvägen 4",
    )
    pf.case(child, child_unit, responsible=child_worker, subject="Utredning Vera")
    return child


def add_child(client, case, number, first_name="Vera-Lo"):
    return client.post(
        reverse("detection:child_new", args=[case.pk]),
        {
            "identifier": number,
            "first_name": first_name,
            "custody": "joint",
            "lives_with": "full",
            "other_carers": "",
        },
        follow=True,
    )


def test_it_links_the_known_child_and_shows_only_what_was_typed(
    client, login, worker, open_case, vera
):
    persons_before = Person.objects.count()
    login(worker)
    response = add_child(client, open_case, vera.identifier)
    body = response.content.decode()
    record = ChildRecord.objects.get(case=open_case)
    assert record.child == vera and record.first_name == "Vera-Lo"
    assert Person.objects.count() == persons_before
    assert not Relationship.objects.filter(to_person=vera).exists()
    assert "Vera-Lo" in body
    detail = client.get(reverse("detection:child_detail", args=[record.pk])).content.decode()
    for page in (body, detail):
        for hidden in ("Bergström", "Barnvägen", "Utredning Vera"):
            assert hidden not in page, hidden
    # The worker still does not see the child's person record.
    assert client.get(reverse("people:person_detail", args=[vera.pk])).status_code == 404
    row = AuditEntry.objects.get(
        actor=worker, action="read", object_type="people.person", object_id=str(vera.pk)
    )
    assert row.changes["lookup"] == "full identifier"


def test_the_childs_unit_sees_the_linked_record(
    client, login, worker, child_worker, open_case, vera
):
    login(worker)
    add_child(client, open_case, vera.identifier)
    record = ChildRecord.objects.get(case=open_case)
    login(child_worker)
    assert client.get(reverse("detection:child_detail", args=[record.pk])).status_code == 200


def test_the_same_known_child_is_not_recorded_twice(client, login, worker, open_case, vera):
    login(worker)
    add_child(client, open_case, vera.identifier)
    response = add_child(client, open_case, vera.identifier, first_name="Annat namn")
    assert response.status_code == 400
    assert ChildRecord.objects.filter(case=open_case).count() == 1
    assert "Bergström" not in response.content.decode()


def test_a_child_the_worker_sees_keeps_the_full_name_a_blind_link_the_typed_one(
    client, login, worker, open_case, vera
):
    """A child registered by the worker's own number shows the register's full name;
    only the blind link shows the typed first name alone."""
    login(worker)
    add_child(client, open_case, vera.identifier)
    add_child(client, open_case, pf.pnr(2015, 6, 1), first_name="Sam")
    by_first = {r.first_name: r for r in ChildRecord.objects.filter(case=open_case)}
    assert by_first["Vera-Lo"].linked_by_number
    assert by_first["Vera-Lo"].display_name == "Vera-Lo"
    sam = by_first["Sam"]
    assert not sam.linked_by_number and sam.child_id
    assert sam.display_name == sam.child.full_name == f"Sam {open_case.person.last_name}"
