"""Patterns worth a look (issue 15, log review): each pattern's edges, over reads
written at chosen times (the chain's time never goes back, so each test writes its
reads in order, in a week of a month that is over, before anything else is logged)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from kinsight.audit import partitions, patterns
from kinsight.audit.services import audit_read_many
from kinsight.core.models import Role, UnitType
from kinsight.people.models import Person, PersonGrant, RelationKind
from tests import factories
from tests.audit.review_helpers import MONDAY, at, hits, read
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def granted_before():
    """The access grants made before the week (the test made them today)."""
    PersonGrant.objects.update(granted_at=at(-30, 0))


def test_it_finds_many_persons_at_the_threshold_within_one_clock_hour(
    settings, municipality, worker, addiction_unit
):
    settings.KINSIGHT_LOG_REVIEW_MANY_PERSONS = 3
    persons = [pf.person(municipality, f"P{i}", "Berg", unit=addiction_unit) for i in range(6)]
    read(worker, persons[0], at(0, 10, 0))
    read(worker, persons[1], at(0, 10, 30))
    read(worker, persons[0], at(0, 10, 40))  # the same person again: still two
    read(worker, persons[2], at(0, 10, 59))  # the third in the hour: a hit
    read(worker, persons[3], at(0, 11, 0))  # the next hour: one
    read(worker, persons[4], at(0, 11, 59))
    [hit] = hits("many_persons", municipality)
    assert (hit.actor_id, hit.bucket, hit.persons, hit.reads) == (
        worker.pk,
        f"{MONDAY:%Y-%m-%d}T10",
        3,
        4,
    )
    assert hit.person_id is None
    settings.KINSIGHT_LOG_REVIEW_MANY_PERSONS = 4  # just above: none
    assert hits("many_persons", municipality) == []


def test_it_finds_reads_outside_working_hours_and_on_weekends(municipality, worker, anna_client):
    for when in (at(0, 6, 59), at(0, 7, 0), at(0, 17, 59), at(1, 18, 0), at(5, 12, 0)):
        read(worker, anna_client, when)
    found = {(h.bucket, h.reads) for h in hits("off_hours", municipality)}
    saturday = MONDAY + datetime.timedelta(days=5)
    tuesday = MONDAY + datetime.timedelta(days=1)
    assert found == {(MONDAY.isoformat(), 1), (tuesday.isoformat(), 1), (saturday.isoformat(), 1)}
    [monday] = [h for h in hits("off_hours", municipality) if h.bucket == MONDAY.isoformat()]
    assert timezone.localtime(monday.first_at).time() == datetime.time(6, 59)


def test_public_holidays_and_their_eves_are_days_off():
    off = patterns.days_off(2026, 2027)
    for day in ("2026-01-06", "2026-04-03", "2026-06-19", "2026-06-20", "2026-12-24", "2027-06-25"):
        assert datetime.date.fromisoformat(day) in off, day
    for day in ("2026-06-18", "2026-06-22", "2026-12-23", "2026-03-01"):
        assert datetime.date.fromisoformat(day) not in off, day


def test_a_read_on_a_weekday_holiday_is_outside_working_hours(municipality, worker, anna_client):
    wednesday = MONDAY + datetime.timedelta(days=2)
    read(worker, anna_client, at(1, 10, 0))
    read(worker, anna_client, at(2, 10, 0))
    with mock.patch.object(patterns, "days_off", return_value={wednesday}):
        [hit] = hits("off_hours", municipality)
    assert (hit.bucket, hit.reads) == (wednesday.isoformat(), 1)


def test_it_follows_the_working_hours_setting(settings, municipality, worker, anna_client):
    settings.KINSIGHT_LOG_REVIEW_WORKDAY_START = 8
    settings.KINSIGHT_LOG_REVIEW_WORKDAY_END = 16
    read(worker, anna_client, at(0, 7, 30))
    read(worker, anna_client, at(0, 12, 0))
    read(worker, anna_client, at(0, 16, 0))
    [hit] = hits("off_hours", municipality)
    assert hit.reads == 2


def test_it_finds_reads_of_protected_identities(municipality, worker, addiction_unit, anna_client):
    hidden = pf.person(municipality, "Dold", "Person", protected_identity=True)
    pf.case(hidden, addiction_unit)
    read(worker, anna_client, at(0, 9))
    read(worker, hidden, at(0, 9, 5))
    [hit] = hits("protected", municipality)
    assert (hit.actor_id, hit.person_id, hit.reads) == (worker.pk, hidden.pk, 1)


def test_it_finds_reads_of_persons_outside_the_readers_units(
    municipality, org, worker, addiction_unit, anna_client
):
    stranger = pf.person(municipality, "Okänd", "Ström")
    elsewhere = pf.person(municipality, "Annan", "Enhet")
    pf.case(elsewhere, org["units"][UnitType.CHILDREN_YOUTH])
    granted_before()
    read(worker, anna_client, at(0, 9))
    read(worker, stranger, at(0, 9, 1))
    read(worker, elsewhere, at(0, 9, 2))
    found = {h.person_id for h in hits("outside_units", municipality)}
    assert found == {stranger.pk, elsewhere.pk}


def test_it_counts_a_unit_manager_above_the_unit_as_inside(municipality, org, anna_client):
    manager = factories.staff(municipality, role=Role.UNIT_MANAGER, unit=org["district"])
    granted_before()
    read(manager, anna_client, at(0, 9))
    assert hits("outside_units", municipality) == []


def test_it_counts_a_relative_grant_only_until_the_relationship_ends(
    municipality, worker, anna_client
):
    relative = pf.person(municipality, "Bo", "Åberg")
    ended = MONDAY - datetime.timedelta(days=1)
    pf.relate(anna_client, relative, RelationKind.PARTNER, valid_to=ended)
    assert PersonGrant.objects.filter(person=relative, valid_to=ended).exists()
    granted_before()
    read(worker, relative, at(0, 9))
    [hit] = hits("outside_units", municipality)
    assert hit.person_id == relative.pk


def test_it_finds_a_read_before_the_grant_was_made(municipality, worker, anna_client):
    PersonGrant.objects.update(granted_at=at(0, 9, 1))
    read(worker, anna_client, at(0, 9))
    read(worker, anna_client, at(0, 9, 1))
    [hit] = hits("outside_units", municipality)
    assert (hit.person_id, hit.reads) == (anna_client.pk, 1)


def test_it_finds_a_read_by_a_member_whose_membership_ended(municipality, worker, anna_client):
    granted_before()
    worker.memberships.update(valid_to=MONDAY - datetime.timedelta(days=1))
    read(worker, anna_client, at(0, 9))
    [hit] = hits("outside_units", municipality)
    assert hit.person_id == anna_client.pk


def test_it_finds_reads_of_colleagues_and_of_the_readers_surname(
    municipality, worker, addiction_unit, anna_client
):
    colleague = factories.staff(municipality, first_name="Eva", last_name="Lind")
    same_as_staff = pf.person(municipality, "eva", "LIND", unit=addiction_unit)
    namesake = pf.person(municipality, "Olle", worker.last_name, unit=addiction_unit)
    read(worker, anna_client, at(0, 9))
    read(worker, same_as_staff, at(0, 9, 1))
    read(worker, namesake, at(0, 9, 2))
    assert colleague.pk != worker.pk
    assert {h.person_id for h in hits("colleague", municipality)} == {same_as_staff.pk}
    assert {h.person_id for h in hits("same_surname", municipality)} == {namesake.pk}


def test_it_leaves_out_list_reads_and_other_windows(municipality, worker, addiction_unit):
    hidden = pf.person(municipality, "Dold", "Person", protected_identity=True, unit=addiction_unit)
    partitions.ensure(at(0, 9), at(0, 9))
    with mock.patch("django.utils.timezone.now", return_value=at(0, 9)):
        audit_read_many(actor=worker, objects=[hidden], object_type="people.person")
    read(worker, hidden, at(8, 9))
    assert hits("protected", municipality) == []
    assert len(hits("protected", municipality, first=MONDAY + datetime.timedelta(8))) == 1


def test_it_keeps_each_municipality_to_its_own_log(
    municipality, other_municipality, other_org, worker, addiction_unit
):
    hidden = pf.person(municipality, "Dold", "Person", protected_identity=True, unit=addiction_unit)
    read(worker, hidden, at(0, 9))
    assert hits("protected", other_municipality) == []
    assert Person.objects.count() == 1


def test_it_gives_every_hit_the_rows_it_found(municipality, worker, addiction_unit):
    hidden = pf.person(municipality, "Dold", "Person", protected_identity=True, unit=addiction_unit)
    other = pf.person(municipality, "Öppen", "Person", unit=addiction_unit)
    read(worker, hidden, at(0, 9))
    read(worker, other, at(0, 9, 1))
    read(worker, hidden, at(0, 9, 2))
    [hit] = hits("protected", municipality)
    entries = patterns.hit_entries(hit.pattern, municipality.pk, worker.pk, hidden.pk, hit.bucket)
    assert [e.object_id for e in entries] == [str(hidden.pk)] * 2
    assert hit.key == f"protected:{worker.pk}:{hidden.pk}:{MONDAY.isoformat()}"
