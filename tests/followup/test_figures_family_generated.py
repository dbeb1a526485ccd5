"""Young carers, family work, interventions and support groups on generated data: each
figure recomputed from scratch in Python from the rows and compared, unit by unit (the
groups by month)."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from kinsight.core.models import OrgUnit, Role
from kinsight.demo.generate import generate_all
from kinsight.detection.models import ChildFlag, ChildRecordStep, ConcernReport
from kinsight.family.models import Consent, FamilyWork, Participant
from kinsight.followup.figures import REGISTRY, Period, Scope
from kinsight.followup.figures.young_carers import ACTED_STEPS
from kinsight.groups.models import GroupParticipant
from kinsight.interventions.models import (
    FamilyPlan,
    Intervention,
    Placement,
    PlanGoal,
    PlanIntervention,
)
from kinsight.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    result, _stages = generate_all(name="Figurkommun", code="8503", persons=400, seed=5)
    municipality = result.municipality
    top = OrgUnit.objects.get(municipality=municipality, parent=None)
    head = factories.staff(municipality, role=Role.HEAD_OF_SERVICES, unit=top, username="fhead")
    today = timezone.localdate()
    period = Period(datetime.date(today.year - 1, 1, 1), today, "year")
    return {"scope": Scope.for_actor(head), "period": period, "m": municipality}


def by_unit(key, world, index=0):
    table = REGISTRY[key].compute(world["scope"], world["period"], "unit")[index]
    return {row.key: row.values for row in table.rows}


def within(day, period):
    return period.start <= day <= period.end


def test_young_carers_recomputed(world):
    period, found = world["period"], Counter()
    steps = list(ChildRecordStep.objects.filter(municipality=world["m"], status__in=ACTED_STEPS))
    reports = list(
        ConcernReport.objects.filter(municipality=world["m"], child_record__isnull=False)
    )
    flags = ChildFlag.objects.filter(municipality=world["m"]).select_related("record")
    for flag in flags:
        if not within(flag.noted_on, period):
            continue
        name = {"young_carer": "young_carer", "child_interpreter": "interpreting"}.get(flag.kind)
        if name is None:
            continue
        unit = str(flag.record.unit_id)
        found[(unit, name)] += 1
        acted = any(s.record_id == flag.record_id and s.on >= flag.noted_on for s in steps) or any(
            r.child_record_id == flag.record_id and r.received_on >= flag.noted_on for r in reports
        )
        found[(unit, f"{name}_acted")] += acted
    assert sum(found.values()) > 0  # the generator makes such flags
    for unit, values in by_unit("young_carers_interpreting", world).items():
        for column in ("young_carer", "young_carer_acted", "interpreting", "interpreting_acted"):
            assert values[column] == found[(unit, column)], (unit, column)


def test_family_work_recomputed(world):
    period, found = world["period"], Counter()
    sharing = set(
        Consent.objects.filter(purpose="sharing", withdrawn_on=None).values_list(
            "family_work_id", flat=True
        )
    )
    planned = set(PlanGoal.objects.values_list("plan__family_work_id", flat=True))
    coordinators = Participant.objects.filter(municipality=world["m"], is_coordinator=True)
    for participant in coordinators.select_related("family_work"):
        work = participant.family_work
        if not within(work.started_on, period):
            continue
        unit = str(participant.unit_id)
        found[(unit, "started")] += 1
        found[(unit, "consent")] += work.pk in sharing
        found[(unit, "plan")] += work.pk in planned
        found[(unit, "ended")] += work.status == "closed"
    assert found
    for unit, values in by_unit("family_work", world).items():
        for column in ("started", "consent", "plan", "ended"):
            assert values[column] == found[(unit, column)], (unit, column)


def add_interventions(world, n=60):
    """The generator makes no plan interventions or placements: seeded ones, on the
    generated family works, in random units of the scope on random days."""
    rng = random.Random(7)
    works = list(FamilyWork.objects.filter(municipality=world["m"])[:20])
    catalogue = list(Intervention.objects.filter(municipality=world["m"]))
    units, start = world["scope"].units, world["period"].start - datetime.timedelta(days=60)
    children = list(Person.objects.filter(municipality=world["m"])[:n])
    for index in range(n):
        work = rng.choice(works)
        by = work.started_by
        plan, _made = FamilyPlan.objects.get_or_create(
            family_work=work,
            defaults={"municipality": world["m"], "updated_by": by, "created_by": by},
        )
        goal = plan.goals.first() or PlanGoal.objects.create(
            municipality=world["m"], plan=plan, perspective_key="family", text="Mål", created_by=by
        )
        common = {
            "municipality": world["m"],
            "responsible_unit": rng.choice(units),
            "start_on": start + datetime.timedelta(days=rng.randrange(700)),
            "created_by": by,
        }
        PlanIntervention.objects.create(
            plan=plan, goal=goal, intervention=rng.choice(catalogue), **common
        )
        kind = rng.choice(["family_home", "hvb", "other"])
        Placement.objects.create(family_work=work, child=children[index], kind=kind, **common)


def test_interventions_recomputed(world):
    add_interventions(world)
    period, given, placed = world["period"], Counter(), Counter()
    rows = PlanIntervention.objects.filter(municipality=world["m"]).select_related("intervention")
    for row in rows:
        if within(row.start_on, period):
            given[(str(row.responsible_unit_id), row.intervention.provider_kind)] += 1
    for row in Placement.objects.filter(municipality=world["m"]):
        if within(row.start_on, period):
            placed[(str(row.responsible_unit_id), row.kind)] += 1
    assert given
    for unit, values in by_unit("interventions", world).items():
        assert values["total"] == sum(n for (u, _k), n in given.items() if u == unit)
        for kind in ("own_unit", "other_unit", "external"):
            assert values[kind] == given[(unit, kind)]
    for unit, values in by_unit("interventions", world, index=2).items():
        for kind in ("family_home", "hvb", "other"):
            assert values[kind] == placed[(unit, kind)]


def test_support_groups_recomputed(world):
    period = world["period"]
    districts = {u.parent_id for u in world["scope"].units} | set(world["scope"].unit_ids)
    found = Counter()
    participants = GroupParticipant.objects.filter(municipality=world["m"]).select_related("cycle")
    for participant in participants:
        cycle = participant.cycle
        if participant.status == "waiting" or cycle.district_id not in districts:
            continue
        if within(cycle.start_on, period):
            found[(str(cycle.start_on.year), "participants")] += 1
            found[(str(cycle.start_on.year), "anonymous")] += participant.person_id is None
    assert found
    reach = REGISTRY["support_groups"].compute(world["scope"], period, "period")[0]
    for row in reach.rows:
        for column in ("participants", "anonymous"):
            assert row.values[column] == found[(row.key[:4], column)]
