"""What the log reviewer reads about the support groups' rows: an application named by
its cycle and status (never by the applicant), the municipality's group settings and a
cycle's note named by what they are; one query per kind of object however many rows."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.audit.registry import labels
from kinsight.groups import services
from kinsight.groups.services.applications import application_submit
from tests.groups.open_list_helpers import list_on, public_cycle

pytestmark = pytest.mark.django_db


def _labels(municipality, object_type):
    entries = list(AuditEntry.objects.filter(object_type=object_type).order_by("seq"))
    return entries, labels(entries, municipality.pk)


def _apply(cycle, n):
    return application_submit(
        cycle=cycle, name=f"Kim Andersson {n}", contact="kim@example.se", age_band="13-16"
    )


def test_an_application_is_named_by_its_cycle_and_never_its_applicant(
    municipality, head, leader, programme, org
):
    list_on(head)
    cycle = public_cycle(head, [leader], programme, org["district"])
    _apply(cycle, 1)
    entries, named = _labels(municipality, "groups.groupapplication")
    assert list(named.values()) == [f"Intresseanmälan: {cycle.name}, ny"]
    assert "Kim" not in str(named)


def test_the_settings_and_a_cycle_note_are_named(municipality, head, leader, cycle):
    list_on(head)
    note = services.cycle_note_create(actor=leader, cycle=cycle, text="Utkast")
    _entries, settings_named = _labels(municipality, "groups.groupsettings")
    assert set(settings_named.values()) == {"Inställningar för stödgrupper"}
    _entries, notes_named = _labels(municipality, "groups.cyclenote")
    assert set(notes_named.values()) == {
        f"Anteckning om gruppomgången: {cycle.name}, {note.created_at:%Y-%m-%d}"
    }


@pytest.mark.parametrize("count", [1, 4])
def test_the_labels_cost_one_query_for_one_application_and_many(
    municipality, head, leader, programme, org, count, django_assert_num_queries
):
    list_on(head)
    cycle = public_cycle(head, [leader], programme, org["district"])
    for n in range(count):
        _apply(cycle, n)
    entries = list(AuditEntry.objects.filter(object_type="groups.groupapplication"))
    with django_assert_num_queries(1):
        assert len(labels(entries, municipality.pk)) == count
