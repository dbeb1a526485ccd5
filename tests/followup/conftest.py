"""The personas of the people and cases tests (worker, colleague, manager,
child_worker, outsider, Anna's open case), plus a head of services for the whole
administration and a manager of the children-and-youth unit."""

import pytest

from kinsight.core.models import Role
from tests import factories
from tests.people.conftest import *  # noqa: F403 - the same personas


@pytest.fixture
def head(municipality, org):
    return factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef1"
    )


@pytest.fixture
def child_manager(municipality, child_unit):
    return factories.staff(
        municipality, role=Role.UNIT_MANAGER, unit=child_unit, username="childmanager1"
    )
