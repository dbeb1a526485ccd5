import datetime

import pytest

from kinsight.assessment.models import Instrument
from kinsight.core.models import Role, UnitType
from kinsight.groups import services
from kinsight.groups.models import Point
from kinsight.interventions.models import ProviderKind
from tests import factories


@pytest.fixture
def head(municipality, org):
    return factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="head1"
    )


@pytest.fixture
def leader(municipality, org):
    return factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=org["district"], username="leader1"
    )


@pytest.fixture
def other_leader(municipality, org):
    """A leader at an NGO: the group leader role and nothing else."""
    return factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=org["district"], username="ngoleader"
    )


@pytest.fixture
def who5(db):
    return Instrument.objects.get(code="who5", municipality=None)


@pytest.fixture
def programme(head, org, who5):
    provider = services.provider_create(
        actor=head,
        name="Familjeenheten Norr",
        kind=ProviderKind.OWN_UNIT,
        unit=org["units"][UnitType.FAMILIES],
    )
    programme = services.programme_create(
        actor=head,
        name="Vågen",
        problem_area="addiction",
        target_group="children",
        min_age=7,
        max_age=12,
        group_sessions=10,
        individual_talks=1,
        provider=provider,
    )
    for point in (Point.BEFORE, Point.AFTER):
        services.programme_measure_add(
            actor=head, programme=programme, instrument=who5, point=point
        )
    return programme


@pytest.fixture
def cycle(head, leader, programme, org):
    return services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen våren",
        district=org["district"],
        start_on=datetime.date(2026, 1, 15),
        end_on=datetime.date(2026, 4, 30),
        leaders=[leader],
    )


def add_anonymous(leader, cycle, **extra):
    values = {"age_band": "7-12", "intake": "self", "measurement_consent": True} | extra
    return services.participant_add(actor=leader, cycle=cycle, **values)


def answers(total):
    """WHO-5 answers (five items 0-5) summing to ``total``."""
    scores = [min(5, max(0, total - 5 * i)) for i in range(5)]
    return {str(n): s for n, s in enumerate(scores, start=1)}
