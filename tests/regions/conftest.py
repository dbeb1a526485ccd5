"""The regional network's personas: a region with our municipality as a member, its
network leader (region staff, no municipality), our head of services (the whole
municipality), and the same in another municipality that is not a member; concern
reports to publish (three in one unit: below the threshold)."""

import datetime

import pytest

from kinsight.core.models import Role, User
from kinsight.regions.models import Member, Region, RegionStaff
from tests import factories
from tests.followup.conftest import *  # noqa: F403 - head, child_unit and the people personas
from tests.followup.figures_factories import small_and_large

D = datetime.date


@pytest.fixture
def region(db):
    return Region.objects.create(name="Testförbundet", code="test")


@pytest.fixture
def member(region, municipality):
    return Member.objects.create(region=region, municipality=municipality, joined_on=D(2020, 1, 1))


@pytest.fixture
def leader(region):
    user = User.objects.create(username="natverk1", first_name="Nils", last_name="Nät")
    RegionStaff.objects.create(region=region, user=user)
    return user


@pytest.fixture
def other_head(other_municipality, other_org):
    return factories.staff(
        other_municipality,
        role=Role.HEAD_OF_SERVICES,
        unit=other_org["administration"],
        username="ifochef2",
    )


@pytest.fixture
def reports(org, child_unit):
    return small_and_large(org, child_unit)
