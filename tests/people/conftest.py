"""The personas of the people and cases tests, around one client (Anna) with an open
case in the adult addiction unit:

- worker: case worker in that unit, responsible for the case (reads and writes);
- colleague: another case worker in the same unit (reads, may not write: 403);
- manager: the unit's manager (reads, assigns);
- child_worker: case worker in the children's unit of the same municipality
  (no relationship to Anna: 404);
- outsider: administrator of another municipality (404).
"""

import pytest

from kinsight.core.models import Role, UnitType
from kinsight.people.models import RelationKind
from tests import factories
from tests.people import factories as pf


@pytest.fixture
def adult_unit(org):
    return org["units"][UnitType.ADULTS_ADDICTION]


@pytest.fixture
def child_unit(org):
    return org["units"][UnitType.CHILDREN_YOUTH]


@pytest.fixture
def colleague(municipality, adult_unit):
    return factories.staff(
        municipality, role=Role.CASE_WORKER, unit=adult_unit, username="colleague1"
    )


@pytest.fixture
def manager(municipality, adult_unit):
    return factories.staff(
        municipality, role=Role.UNIT_MANAGER, unit=adult_unit, username="manager1"
    )


@pytest.fixture
def child_worker(municipality, child_unit):
    return factories.staff(
        municipality, role=Role.CASE_WORKER, unit=child_unit, username="childworker1"
    )


@pytest.fixture
def client_person(municipality):
    return pf.person(
        municipality,
        "Anna",
        "Åberg",
        street_address="Storgatan 1",
        postal_code="12345",
        city="Småstad",
    )


@pytest.fixture
def open_case(client_person, adult_unit, worker):
    return pf.case(client_person, adult_unit, responsible=worker)


@pytest.fixture
def family(municipality, client_person, open_case):
    """Anna's child Kim (lives with her), her partner Per, and a protected child."""
    kim = pf.child(municipality, "Kim", "Åberg", age=8)
    per = pf.person(
        municipality, "Per", "Persson", birth_date=__import__("datetime").date(1980, 5, 5)
    )
    hidden = pf.child(
        municipality,
        "Hemlig",
        "Skyddad",
        age=5,
        protected_identity=True,
        street_address="Hemlig väg 9",
    )
    pf.relate(client_person, kim, RelationKind.PARENT)
    pf.relate(kim, client_person, RelationKind.LIVES_WITH_FULL)
    pf.relate(client_person, per, RelationKind.PARTNER)
    pf.relate(client_person, hidden, RelationKind.PARENT)
    return {"kim": kim, "per": per, "hidden": hidden}
