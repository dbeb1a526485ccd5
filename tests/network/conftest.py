"""The network's personas (from the regions tests): a region with our municipality as a
member, its network leader, our head of services; a second member (the other
municipality) with its head of services; a third region with a leader of its own; a
planned meeting and an open inventory."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from kinsight.core.models import Role, User
from kinsight.network import offer, services
from kinsight.regions.models import Member, Region, RegionStaff
from tests import factories
from tests.regions.conftest import *  # noqa: F403 - region, member, leader, head, other_head

T = datetime.time


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def second(region, other_municipality, other_head):
    Member.objects.create(
        region=region, municipality=other_municipality, joined_on=datetime.date(2020, 1, 1)
    )
    return other_municipality


@pytest.fixture
def stranger_leader(db):
    """The network leader of another region."""
    region = Region.objects.create(name="Annat förbund", code="annat")
    user = User.objects.create(username="natverk2")
    RegionStaff.objects.create(region=region, user=user)
    return user


@pytest.fixture
def unit_manager(municipality, org):
    return factories.staff(
        municipality,
        role=Role.UNIT_MANAGER,
        unit=next(iter(org["units"].values())),
        username="enhetschef9",
    )


def plan(leader, day=None, **fields):
    values = {
        "title": "Decembermöte i förbundet",
        "day": day or min(soon(14), datetime.date(soon(0).year, 12, 31)),  # this year
        "starts_at": T(9, 0),
        "ends_at": T(12, 0),
        "place": "Förbundets lokaler",
        "link": "",
        "agenda": "1. Inledning",
    }
    return services.meeting_plan(actor=leader, **{**values, **fields})


@pytest.fixture
def meeting(leader, member):
    return plan(leader)


@pytest.fixture
def inventory(leader, member):
    return offer.inventory_open(actor=leader, year=2027, deadline=soon(10))


def office_file(part="ppt/slides/slide1.xml"):
    """A minimal OOXML file (a zip with [Content_Types].xml and the format's part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return out.getvalue()
