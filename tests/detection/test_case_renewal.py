"""Issue 9 §4: a parent back with a new case after an earlier one closed. A child
record is per case: the new case records the child afresh (its steps start over) and
counts in the figure and the queues; the closed case keeps its record and steps,
readable, read only."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import Case
from kinsight.core.models import Role, UnitType
from kinsight.detection import queries, services
from kinsight.detection.models import ChildRecord
from kinsight.followup import queue
from kinsight.followup.minimum_level import figures_by_unit
from tests import factories
from tests.people import factories as pf

today = timezone.localdate
migration = importlib.import_module(
    "kinsight.detection.migrations.0004_migrate_child_information_records_feedback"
)


def close(case, days_ago=0):
    closed_on = today() - datetime.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(status="avslutad", closed_on=closed_on)
    case.refresh_from_db()


@pytest.fixture
def attended_kim(worker, kim_record):
    services.child_record_step(
        actor=worker,
        record=kim_record,
        status="attended",
        expected_version=kim_record.version,
        parent_talked_with=True,
        child_information="given",
    )
    kim_record.refresh_from_db()
    return kim_record


@pytest.fixture
def new_case(open_case, attended_kim, adult_unit, worker, client_person):
    close(open_case)
    return pf.case(client_person, adult_unit, responsible=worker, opened_on=today())


def test_the_returning_parents_child_is_recorded_afresh_on_the_new_case(
    worker, new_case, attended_kim, family
):
    record = services.child_record_add(actor=worker, case=new_case, child=family["kim"])
    assert record.case == new_case and record.status == "identified"
    assert [s.status for s in record.steps.all()] == ["identified"]
    attended_kim.refresh_from_db()
    assert attended_kim.status == "attended"
    assert [s.status for s in attended_kim.steps.all()] == ["identified", "attended"]
    # The history stays readable.
    assert queries.child_record_get(actor=worker, pk=attended_kim.pk) == attended_kim


def test_the_new_record_counts_and_is_queued_the_old_one_does_not(
    worker, new_case, attended_kim, family, adult_unit
):
    record = services.child_record_add(actor=worker, case=new_case, child=family["kim"])
    found = figures_by_unit(municipality_id=new_case.municipality_id, end=today())
    assert (found[adult_unit.pk].children, found[adult_unit.pk].attended) == (1, 0)
    waiting = queue.not_attended(worker, queue.Scope(queue.MINE), today())
    assert list(waiting) == [record]


def test_the_same_child_twice_on_one_case_is_still_refused(worker, new_case, family):
    services.child_record_add(actor=worker, case=new_case, child=family["kim"])
    with pytest.raises(services.DuplicateChild) as error:
        services.child_record_add(actor=worker, case=new_case, child=family["kim"])
    assert "i det här ärendet" in " ".join(error.value.message_dict["identifier"])


def test_the_closed_cases_record_is_read_only(worker, new_case, attended_kim):
    with pytest.raises(PermissionDenied):
        services.child_record_step(
            actor=worker, record=attended_kim, status="assessed", expected_version=2
        )


def test_the_case_page_offers_the_earlier_cases_children(
    client, login, worker, new_case, attended_kim
):
    login(worker)
    html = client.get(reverse("cases:case_detail", args=[new_case.pk])).content.decode()
    assert "Barn i förälderns andra ärenden" in html
    renew = reverse("detection:child_renew", args=[new_case.pk, attended_kim.pk])
    assert renew in html
    response = client.post(renew)
    record = ChildRecord.objects.get(case=new_case)
    assert response.status_code == 302 and response.url == reverse(
        "detection:child_detail", args=[record.pk]
    )
    assert (record.child_id, record.status) == (attended_kim.child_id, "identified")
    assert AuditEntry.objects.filter(
        action="create", object_type="detection.childrecord", object_id=str(record.pk)
    ).exists()
    again = client.get(reverse("cases:case_detail", args=[new_case.pk])).content.decode()
    assert renew not in again and "Registrerat" in again


def test_a_first_name_child_is_recorded_afresh_with_the_same_age(worker, open_case, unknown_child):
    close(open_case)
    case = pf.case(open_case.person, open_case.unit, responsible=worker)
    record = services.child_record_renew(actor=worker, case=case, previous=unknown_child)
    assert (record.first_name, record.birth_year, record.child_id) == (
        "Lo",
        unknown_child.birth_year,
        None,
    )


def test_another_units_case_of_the_parent_shows_nothing_of_the_record(
    municipality, org, client_person, kim_record
):
    violence = org["units"][UnitType.VIOLENCE]
    other = factories.staff(
        municipality, role=Role.CASE_WORKER, unit=violence, username="valdshandlaggare"
    )
    pf.case(client_person, violence, responsible=other)
    with pytest.raises(Http404):
        queries.child_record_get(actor=other, pk=kim_record.pk)


def test_the_migration_records_the_children_afresh_on_the_open_case(
    worker, open_case, attended_kim, adult_unit, client_person
):
    close(open_case)
    case = pf.case(client_person, adult_unit, responsible=worker, opened_on=today())
    migration.records_per_case(apps)
    migration.records_per_case(apps)  # twice: nothing doubled
    record = ChildRecord.objects.get(case=case)
    assert (record.child_id, record.status, record.identified_on) == (
        attended_kim.child_id,
        "identified",
        today(),
    )
    assert record.steps.get().note == migration.NOTE
    assert ChildRecord.objects.filter(case=open_case).get() == attended_kim
