import pytest

from kinsight.core.models import UnitType
from tests.people import factories as pf


@pytest.fixture
def addiction_unit(org):
    """The worker's unit."""
    return org["units"][UnitType.ADULTS_ADDICTION]


@pytest.fixture
def anna_client(municipality, addiction_unit):
    """A client with a case in the worker's unit."""
    person = pf.person(municipality, "Anna", "Åberg")
    pf.case(person, addiction_unit)
    return person
