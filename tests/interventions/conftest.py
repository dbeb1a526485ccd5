"""Personas of the interventions tests, around the family of Anna (adult addiction unit
case), her partner Per (economic assistance) and their son Kim (children and youth):

- worker: Anna's case worker in the adult unit; coordinator of the family work;
- colleague: another case worker in the adult unit (participates through the unit);
- child_worker: Kim's case worker in the children-and-youth unit (participant);
- econ_worker: Per's case worker in economic assistance (participant);
- bystander: case worker in the violence unit, not taking part (404);
- outsider: another municipality (404).

The family work is made directly through the models (its services belong to the
family app); consents through ``give_consent``.
"""

import datetime

import pytest
from django.db import transaction

from kinsight.core.models import Role, UnitType
from kinsight.family.models import (
    Consent,
    ConsentUnit,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    Participant,
)
from kinsight.interventions import services
from kinsight.interventions.models import Intervention
from kinsight.people.models import RelationKind
from tests import factories
from tests.people import factories as pf
from tests.people.conftest import *  # noqa: F403 - the same personas

today = datetime.date.today


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def econ_unit(org):
    return org["units"][UnitType.ECONOMIC_ASSISTANCE]


@pytest.fixture
def other_unit(org):
    return org["units"][UnitType.VIOLENCE]


@pytest.fixture
def econ_worker(municipality, econ_unit):
    return factories.staff(municipality, role=Role.CASE_WORKER, unit=econ_unit, username="econ1")


@pytest.fixture
def bystander(municipality, other_unit):
    return factories.staff(
        municipality, role=Role.CASE_WORKER, unit=other_unit, username="bystander1"
    )


@pytest.fixture
def household(family, client_person):
    kim, per = family["kim"], family["per"]
    pf.relate(client_person, kim, RelationKind.GUARDIAN)
    pf.relate(per, kim, RelationKind.GUARDIAN)
    pf.relate(per, kim, RelationKind.PARENT)
    return {"anna": client_person, "per": per, "kim": kim}


def plan_version(work):
    """The plan version a page would show (0 before the plan's first change)."""
    from kinsight.interventions.models import FamilyPlan

    found = FamilyPlan.objects.filter(family_work=work).values_list("version", flat=True)
    return found.first() or 0


def make_work(*, worker, unit, members, title="Familjen Åberg", case=None):
    work = FamilyWork.objects.create(
        municipality=unit.municipality,
        title=title,
        started_by=worker,
        started_on=days(-30),
        from_case=case,
    )
    for person, role in members:
        FamilyMember.objects.create(
            municipality=unit.municipality, family_work=work, person=person, role=role
        )
    Participant.objects.create(
        municipality=unit.municipality,
        family_work=work,
        unit=unit,
        worker=worker,
        is_coordinator=True,
        joined_on=days(-30),
    )
    return work


def join(work, unit, worker=None):
    return Participant.objects.create(
        municipality=work.municipality, family_work=work, unit=unit, worker=worker
    )


@pytest.fixture
def work(worker, adult_unit, household, open_case):
    return make_work(
        worker=worker,
        unit=adult_unit,
        case=open_case,
        members=[
            (household["anna"], FamilyRole.PARENT_1),
            (household["per"], FamilyRole.PARENT_2),
            (household["kim"], FamilyRole.CHILD),
        ],
    )


@pytest.fixture
def joined(work, child_unit, child_worker, econ_unit, econ_worker):
    join(work, child_unit, child_worker)
    join(work, econ_unit, econ_worker)
    return work


def give_consent(
    work,
    person,
    *,
    by,
    unit,
    purpose="sharing",
    all_units=True,
    units=(),
    valid_to=None,
    withdrawn_on=None,
):
    with transaction.atomic():
        consent = Consent.objects.create(
            municipality=work.municipality,
            family_work=work,
            person=person,
            purpose=purpose,
            all_units=all_units,
            form="written",
            given_on=days(-10),
            valid_from=days(-10),
            valid_to=valid_to,
            withdrawn_on=withdrawn_on,
            recorded_by=by,
            recorded_unit=unit,
        )
        for named in units:
            ConsentUnit.objects.create(municipality=work.municipality, consent=consent, unit=named)
    return consent


def withdraw(consent):
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=today())


@pytest.fixture
def shared(joined, household, worker, adult_unit):
    """Every member's SHARING consent for all units: the whole family shares."""
    for person in household.values():
        give_consent(joined, person, by=worker, unit=adult_unit)
    return joined


@pytest.fixture
def catalogue(municipality):
    """The seed's examples (migrations ran before the test municipality existed)."""
    services.examples_add(actor=None, municipality=municipality)
    return {i.name: i for i in Intervention.objects.filter(municipality=municipality)}


@pytest.fixture
def support_group(catalogue):
    return catalogue["Stödgrupp för barn som anhöriga"]
