"""Personas of the assessment tests, around Anna (adult addiction unit case), her
partner Per (economic assistance) and their son Kim (children and youth):

- worker: Anna's case worker in the adult unit; the family work's coordinator;
- colleague: another case worker in the adult unit (the same unit's parts);
- child_worker: Kim's case worker in the children-and-youth unit (participant);
- econ_worker: Per's case worker in economic assistance (participant);
- bystander: case worker in the violence unit, not taking part (404);
- outsider: another municipality (404).

The family work is built directly through the models, so these tests stand on the
family app's models and access rules only.
"""

import datetime

import pytest

from kinsight.core.models import Role, UnitType
from kinsight.family.models import (
    Consent,
    ConsentUnit,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    Participant,
)
from tests import factories
from tests.people.conftest import *  # noqa: F403 - the same personas

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


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


def make_work(municipality, started_by, members, units):
    """A family work with ``members`` [(person, role)] and participating ``units``
    [(unit, worker)] (the first coordinates)."""
    work = FamilyWork.objects.create(
        municipality=municipality,
        title="Familjen Åberg",
        started_by=started_by,
        started_on=TODAY - 30 * DAY,
    )
    for person, role in members:
        FamilyMember.objects.create(
            municipality=municipality, family_work=work, person=person, role=role
        )
    for i, (unit, worker) in enumerate(units):
        Participant.objects.create(
            municipality=municipality,
            family_work=work,
            unit=unit,
            worker=worker,
            is_coordinator=i == 0,
            joined_on=TODAY - 30 * DAY,
        )
    return work


@pytest.fixture
def household(family, client_person):
    return {"anna": client_person, "per": family["per"], "kim": family["kim"]}


@pytest.fixture
def work(
    municipality,
    worker,
    household,
    adult_unit,
    child_unit,
    child_worker,
    econ_unit,
    econ_worker,
    colleague,
):
    return make_work(
        municipality,
        worker,
        [
            (household["anna"], FamilyRole.PARENT_1),
            (household["per"], FamilyRole.PARENT_2),
            (household["kim"], FamilyRole.CHILD),
        ],
        [(adult_unit, worker), (child_unit, child_worker), (econ_unit, econ_worker)],
    )


def consent(work, person, *, recorded_by, unit, state="valid", units=None):
    """A SHARING consent of ``person`` in ``state``: valid, expired, withdrawn or
    future; for all participating units, or the named ``units``."""
    valid_from, valid_to, withdrawn = TODAY - 10 * DAY, None, None
    if state == "expired":
        valid_from, valid_to = TODAY - 40 * DAY, TODAY - DAY
    elif state == "withdrawn":
        withdrawn = TODAY
    elif state == "future":
        valid_from = TODAY + 5 * DAY
    row = Consent.objects.create(
        municipality=work.municipality,
        family_work=work,
        person=person,
        purpose="sharing",
        all_units=units is None,
        form="written",
        given_on=min(valid_from, TODAY),
        valid_from=valid_from,
        valid_to=valid_to,
        withdrawn_on=withdrawn,
        recorded_by=recorded_by,
        recorded_unit=unit,
    )
    for u in units or ():
        ConsentUnit.objects.create(municipality=work.municipality, consent=row, unit=u)
    return row
