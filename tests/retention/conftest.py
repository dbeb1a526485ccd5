"""Old files for the retention tests: a person whose every entry is dated on one day,
the rules seeded, and two administrators for the two approvals."""

import datetime

import pytest
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Role, UnitType
from kinsight.people.models import Person
from kinsight.retention import services
from tests import factories
from tests.people import factories as pf

DAY = datetime.date(2026, 3, 10)


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def old_file(municipality, unit, *, born=datetime.date(1980, 4, 6), day=DAY, open_case=False):
    """A person with one case, every entry written on ``day`` (closed that day too,
    unless ``open_case``)."""
    person = pf.person(municipality, "Åke", "Gammal", birth_date=born)
    case = pf.case(person, unit)
    closed = {} if open_case else {"status": CaseStatus.CLOSED, "closed_on": day}
    Case.objects.filter(pk=case.pk).update(
        opened_on=day, status_changed_at=moment(day), created_at=moment(day), **closed
    )
    Person.objects.filter(pk=person.pk).update(created_at=moment(day))
    return person


@pytest.fixture
def rules(municipality):
    services.rules_ensure(municipality.pk)


@pytest.fixture
def adults(org):
    return org["units"][UnitType.ADULTS_ADDICTION]


@pytest.fixture
def children_unit(org):
    return org["units"][UnitType.CHILDREN_YOUTH]


@pytest.fixture
def second_administrator(municipality, org):
    return factories.staff(
        municipality, role=Role.ADMINISTRATOR, unit=org["board"], username="admin2"
    )


def due_ids(municipality, today):
    proposal = services.proposal_create(municipality.pk, today)
    if proposal is None:
        return set()
    return set(proposal.items.values_list("person_id", flat=True))


def years_after(day, years, days=0):
    return day.replace(year=day.year + years) + datetime.timedelta(days=days)
