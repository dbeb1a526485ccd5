"""The figures of young carers and child interpreting, family work and interventions:
a small world counted by hand (two years, a family work whose coordination moved to
another unit, a withdrawn consent, an ended work, an external provider, a step taken
before the flag), the scope of a unit manager, and a fixed number of statements."""

import datetime

import pytest

from kinsight.core.models import Role, UnitType
from kinsight.detection.models import ChildFlag, ChildRecord, ChildRecordStep
from kinsight.family.models import FamilyWork, Participant
from kinsight.followup.figures import REGISTRY, Period, Scope
from kinsight.interventions.models import (
    FamilyPlan,
    Intervention,
    Placement,
    PlanGoal,
    PlanIntervention,
)
from tests import factories
from tests.followup.factories import report
from tests.interventions.conftest import give_consent, make_work
from tests.people import factories as pf

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = Period.year(2025)


def values(table, column):
    return {row.key: row.values[column] for row in table.all_rows()}


def compute(key, actor, by="unit", period=YEAR, **scope):
    return REGISTRY[key].compute(Scope.for_actor(actor, **scope), period, by)


# Young carers and child interpreting -------------------------------------------------


def record(case, *, by, birth, child=None):
    return ChildRecord.objects.create(
        municipality=case.municipality,
        case=case,
        unit=case.unit,
        parent=case.person,
        child=child,
        first_name="Lo",
        birth_date=birth if child else None,
        birth_year=birth.year,
        identified_on=D(2025, 1, 5),
        attended_on=D(2025, 1, 6),
        status="attended",
        created_by=by,
    )


def flag(found, kind, on, *, by):
    return ChildFlag.objects.create(
        municipality=found.municipality, record=found, kind=kind, noted_on=on, noted_by=by
    )


def step(found, status, on, *, by):
    ChildRecordStep.objects.create(
        municipality=found.municipality, record=found, status=status, on=on, by=by
    )


@pytest.fixture
def flags(municipality, adult_unit, child_unit, worker):
    parent = pf.person(municipality, "Eva")
    girl = pf.person(municipality, "Mia", birth_date=D(2014, 5, 1), sex="female")
    case = pf.case(parent, adult_unit, responsible=worker)
    carer = record(case, by=worker, birth=D(2014, 5, 1), child=girl)
    flag(carer, "young_carer", D(2025, 3, 10), by=worker)
    step(carer, "support_offered", D(2025, 4, 1), by=worker)  # acted on
    interpreter = record(case, by=worker, birth=D(2010, 6, 1))
    step(interpreter, "support_offered", D(2025, 3, 1), by=worker)  # before the flag
    flag(interpreter, "child_interpreter", D(2025, 3, 20), by=worker)
    other = pf.case(pf.person(municipality, "Ola"), child_unit)
    reported = record(other, by=worker, birth=D(2007, 2, 1))
    flag(reported, "child_interpreter", D(2025, 8, 1), by=worker)
    made = report(child_unit, received_on=D(2025, 8, 3))
    made.child_record = reported
    made.save()
    # Another year, and a flag of another kind: neither counts in 2025.
    flag(record(case, by=worker, birth=D(2012, 1, 1)), "young_carer", D(2026, 1, 5), by=worker)
    flag(carer, "violence_in_family", D(2025, 3, 10), by=worker)


def test_young_carers_and_interpreting_by_hand(flags, head, adult_unit, child_unit):
    (table,) = compute("young_carers_interpreting", head)
    adult, child = str(adult_unit.pk), str(child_unit.pk)
    assert {k: v for k, v in values(table, "young_carer").items() if v} == {adult: 1, "total": 1}
    assert values(table, "young_carer_acted")[adult] == 1
    assert values(table, "interpreting")[adult] == 1
    assert values(table, "interpreting_acted")[adult] == 0  # the step came before
    assert values(table, "interpreting_acted")[child] == 1  # a concern report after
    assert table.total.values["interpreting_share"] == 0.5
    by_month = values(compute("young_carers_interpreting", head, by="period")[0], "interpreting")
    assert (by_month["2025-03-01"], by_month["2025-08-01"]) == (1, 1)


def test_young_carers_by_sex_and_age_band(flags, head):
    (by_sex,) = compute("young_carers_interpreting", head, by="sex")
    assert values(by_sex, "young_carer")["female"] == 1
    # The interpreters have no person: their sex is not known.
    assert values(by_sex, "interpreting")["unknown"] == 2
    (by_age,) = compute("young_carers_interpreting", head, by="age_band")
    # Mia is 10 on 2025-03-10; the interpreters 14 (from the birth year) and 18.
    assert values(by_age, "young_carer")["7-12"] == 1
    assert values(by_age, "interpreting")["13-17"] == 1
    assert values(by_age, "interpreting")["other"] == 1


def test_young_carers_next_year(flags, head, adult_unit):
    (table,) = compute("young_carers_interpreting", head, period=Period.year(2026))
    assert values(table, "young_carer")[str(adult_unit.pk)] == 1


# Family work ------------------------------------------------------------------------


def work(unit, started, *, by, status="active"):
    made = make_work(worker=by, unit=unit, members=[])
    ended = D(2025, 6, 1) if status == "closed" else None
    FamilyWork.objects.filter(pk=made.pk).update(started_on=started, status=status, ended_on=ended)
    return made


def consent(made, person, *, by, unit, purpose="sharing", withdrawn_on=None):
    give_consent(made, person, by=by, unit=unit, purpose=purpose, withdrawn_on=withdrawn_on)


def plan(made, *, by, goals=1):
    found = FamilyPlan.objects.create(
        municipality=made.municipality, family_work=made, updated_by=by, created_by=by
    )
    for _n in range(goals):
        PlanGoal.objects.create(
            municipality=made.municipality,
            plan=found,
            perspective_key="family",
            perspective_label="Familjen",
            text="Tryggare vardag",
            created_by=by,
        )
    return found


@pytest.fixture
def families(municipality, org, adult_unit, child_unit, worker):
    person = pf.person(municipality, "Eva")
    families_unit = org["units"][UnitType.FAMILIES]
    first = work(adult_unit, D(2025, 2, 10), by=worker)
    consent(first, person, by=worker, unit=adult_unit)
    plan(first, by=worker)
    # Coordination moved from the adult unit to the children's unit; the consent was
    # withdrawn; the work has ended; its plan has no goal yet.
    moved = work(adult_unit, D(2025, 2, 20), by=worker, status="closed")
    Participant.objects.filter(family_work=moved).update(is_coordinator=False)
    Participant.objects.create(
        municipality=municipality, family_work=moved, unit=child_unit, is_coordinator=True
    )
    consent(moved, person, by=worker, unit=adult_unit, withdrawn_on=D(2025, 3, 1))
    plan(moved, by=worker, goals=0)
    # Only a consent to a referral: not to sharing within the work.
    third = work(families_unit, D(2025, 5, 5), by=worker)
    consent(third, person, by=worker, unit=families_unit, purpose="referral")
    plan(third, by=worker)
    consent(work(adult_unit, D(2024, 12, 15), by=worker), person, by=worker, unit=adult_unit)
    return {"first": first, "moved": moved, "third": third, "families_unit": families_unit}


def test_family_work_by_hand(families, head, adult_unit, child_unit):
    (table,) = compute("family_work", head)
    adult, child = str(adult_unit.pk), str(child_unit.pk)
    families_unit = str(families["families_unit"].pk)
    row = {r.key: r.values for r in table.all_rows()}
    assert [row[adult][k] for k in ("started", "consent", "plan", "ended")] == [1, 1, 1, 0]
    assert [row[child][k] for k in ("started", "consent", "plan", "ended")] == [1, 0, 0, 1]
    assert [row[families_unit][k] for k in ("started", "consent", "plan")] == [1, 0, 1]
    total = table.total.values
    assert (total["started"], total["consent"], total["plan"], total["ended"]) == (3, 1, 2, 1)
    assert total["plan_share"] == pytest.approx(2 / 3)
    by_quarter = compute("family_work", head, by="period", period=Period.year(2025, "quarter"))
    assert values(by_quarter[0], "started") == {
        "2025-01-01": 2,
        "2025-04-01": 1,
        "2025-07-01": 0,
        "2025-10-01": 0,
        "total": 3,
    }
    assert compute("family_work", head, period=Period.year(2024))[0].total.values["started"] == 1


def test_family_work_by_unit_type(families, head):
    (table,) = compute("family_work", head, by="unit_type")
    started = values(table, "started")
    assert (started["adults_addiction"], started["children_youth"], started["families"]) == (
        1,
        1,
        1,
    )
    assert len(table.rows) == len(UnitType.choices)


# Interventions -----------------------------------------------------------------------


@pytest.fixture
def given(families, municipality, adult_unit, child_unit, worker):
    own = Intervention.objects.create(
        municipality=municipality,
        name="Föräldrastöd",
        target="child",
        provider_kind="own_unit",
        format="group",
    )
    external = Intervention.objects.create(
        municipality=municipality,
        name="Samtalsstöd",
        target="parent",
        provider_kind="external",
        provider_name="Föreningen Stöd",
        format="individual",
    )
    found = FamilyPlan.objects.get(family_work=families["first"])
    goal = found.goals.get()
    for chosen, unit, start in (
        (own, adult_unit, D(2025, 3, 1)),
        (external, adult_unit, D(2025, 3, 15)),
        (external, child_unit, D(2026, 1, 10)),
    ):
        PlanIntervention.objects.create(
            municipality=municipality,
            plan=found,
            goal=goal,
            intervention=chosen,
            responsible_unit=unit,
            start_on=start,
            created_by=worker,
        )
    Placement.objects.create(
        municipality=municipality,
        family_work=families["moved"],
        child=pf.person(municipality, "Mia", birth_date=D(2014, 5, 1)),
        kind="family_home",
        responsible_unit=child_unit,
        start_on=D(2025, 4, 1),
        created_by=worker,
    )


def test_interventions_by_hand(given, head, adult_unit, child_unit):
    by_provider, by_type, placements = compute("interventions", head)
    adult, child = str(adult_unit.pk), str(child_unit.pk)
    assert {k: v for k, v in values(by_provider, "external").items() if v} == {
        adult: 1,
        "total": 1,
    }
    assert values(by_provider, "total")[adult] == 2
    assert values(by_provider, "own_unit")[adult] == 1
    assert values(by_type, "own_unit")["child"] == 1
    assert values(by_type, "external")["parent"] == 1
    assert values(placements, "family_home") == {
        row.key: (1 if row.key in (child, "total") else 0) for row in placements.all_rows()
    }
    next_year = compute("interventions", head, period=Period.year(2026))[0]
    assert values(next_year, "external")[child] == 1


def test_the_external_count_is_suppressed_when_published(given, head, adult_unit):
    published = compute("interventions", head)[0].published()
    row = {r.key: r for r in published.rows}[str(adult_unit.pk)]
    assert published.text(row, published.columns[2]) == "<5"


# Scope and statements ----------------------------------------------------------------


def test_a_unit_manager_sees_their_unit_only(given, flags, manager, child_unit, adult_unit):
    (table,) = compute("family_work", manager)
    assert [row.key for row in table.rows] == [str(adult_unit.pk)]
    assert table.total.values["started"] == 1
    # Another unit asked for: nothing of it.
    for key in ("family_work", "young_carers_interpreting", "interventions"):
        for found in compute(key, manager, unit=child_unit):
            assert not any(found.total.values.get(c.key) for c in found.columns if c.is_count)


def test_nobody_without_a_dashboard_role_or_of_another_municipality_counts_ours(
    given, flags, worker, other_municipality, other_org
):
    outsider = factories.staff(
        other_municipality,
        role=Role.HEAD_OF_SERVICES,
        unit=other_org["administration"],
        username="otherhead",
    )
    assert Scope.for_actor(worker).units == ()
    assert compute("family_work", worker)[0].total.values["started"] == 0
    for key in ("family_work", "young_carers_interpreting", "interventions"):
        for found in compute(key, outsider):
            assert not any(found.total.values.get(c.key) for c in found.columns if c.is_count)


@pytest.mark.parametrize(
    ("key", "statements"),
    [("young_carers_interpreting", 1), ("family_work", 1), ("interventions", 3)],
)
@pytest.mark.parametrize("by", ["period", "unit", "unit_type"])
def test_a_fixed_number_of_statements(
    given, flags, head, key, statements, by, django_assert_num_queries
):
    scope = Scope.for_actor(head)
    with django_assert_num_queries(statements):
        REGISTRY[key].compute(scope, YEAR, by)


def test_the_page_refuses_another_unit_and_those_without_figures(
    client, login, given, manager, child_unit, worker
):
    url = "/uppfoljning/nyckeltal/?definition=family_work&by=unit&start=2025-01&end=2025-12"
    login(manager)
    page = client.get(url).content.decode()
    assert "Vuxna (missbruk och beroende) Norr" in page
    assert "Barn och ungdom Norr" not in page
    assert client.get(f"{url}&unit={child_unit.pk}").status_code == 400
    login(worker)
    assert client.get(url).status_code == 404
