"""Personas of the family-work tests, around Anna (adult addiction unit case), her
partner Per (economic assistance case) and their son Kim (children-and-youth case):

- worker: Anna's case worker in the adult unit; starts the family work, coordinator;
- colleague: another case worker in the adult unit (participates through the unit);
- child_worker: Kim's case worker in the children-and-youth unit (participant);
- econ_worker: Per's case worker in economic assistance (participant);
- bystander: case worker in the violence unit, not taking part (404);
- outsider: another municipality (404).
"""

import datetime

import pytest

from kinsight.core.models import Role, UnitType
from kinsight.family import services
from kinsight.family.models import FamilyRole
from kinsight.people.models import RelationKind
from tests import factories
from tests.people import factories as pf
from tests.people.conftest import *  # noqa: F403 - the same personas


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
    """Anna and Per are Kim's guardians."""
    kim, per = family["kim"], family["per"]
    pf.relate(client_person, kim, RelationKind.GUARDIAN)
    pf.relate(per, kim, RelationKind.GUARDIAN)
    pf.relate(per, kim, RelationKind.PARENT)
    return {"anna": client_person, "per": per, "kim": kim}


@pytest.fixture
def kim_case(household, child_unit, child_worker):
    return pf.case(household["kim"], child_unit, responsible=child_worker, subject="Utredning Kim")


@pytest.fixture
def per_case(household, econ_unit, econ_worker):
    return pf.case(household["per"], econ_unit, responsible=econ_worker, subject="Försörjningsstöd")


@pytest.fixture
def work(worker, open_case, household):
    return services.family_work_start(
        actor=worker,
        case=open_case,
        title="Familjen Åberg",
        members=[
            (household["anna"], FamilyRole.PARENT_1),
            (household["per"], FamilyRole.PARENT_2),
            (household["kim"], FamilyRole.CHILD),
        ],
        started_on=datetime.date.today() - datetime.timedelta(days=30),
    )


@pytest.fixture
def joined(work, worker, child_unit, child_worker, econ_unit, econ_worker, kim_case, per_case):
    """The children's and the economic-assistance units take part with their cases."""
    services.participant_add(actor=worker, family_work=work, unit=child_unit, worker=child_worker)
    services.participant_add(actor=worker, family_work=work, unit=econ_unit, worker=econ_worker)
    services.case_link(actor=child_worker, family_work=work, case=kim_case)
    services.case_link(actor=econ_worker, family_work=work, case=per_case)
    return work


def give_consent(actor, work, person, *, all_units=True, units=(), given_by=None, **fields):
    today = datetime.date.today()
    return services.consent_record(
        actor=actor,
        family_work=work,
        person=person,
        purpose=fields.pop("purpose", "sharing"),
        form=fields.pop("form", "written"),
        given_on=fields.pop("given_on", today - datetime.timedelta(days=10)),
        valid_from=fields.pop("valid_from", today - datetime.timedelta(days=10)),
        valid_to=fields.pop("valid_to", None),
        all_units=all_units,
        units=units,
        given_by=given_by,
        **fields,
    )
