"""Every registered figure, as the pages, files and API get it (queries_figures.figures
for the head of services, reading the kept rollups: the minimum-level months, the
October survey's rounds and the children-as-next-of-kin counts), compared with the
same figure recomputed from scratch (the rollups emptied and counted again from the
records), on generated data: two
municipalities, two years, and the edge cases of issue 13 (a parent in two units, a
returning parent, a child turning 18 mid-year, a withdrawn report, a case moved between
units, an answer and a case registered late).

What the comparison shows about when kept counts follow late changes (docs/concepts.md):
the October rounds are counted again every night, so they equal a fresh count after
the nightly run; a minimum-level month is the state at its end as it was kept: the
nightly run rewrites last month (and the frequent one the running month), an older
month follows a late change when the rollup is run again from that month
(``rollup_minimum_level --from``)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinsight.core.models import NodeKind, OrgUnit, Role, UnitType
from kinsight.demo.generate import generate_all
from kinsight.detection.models import ConcernReport, ReportStatus
from kinsight.followup import queries_figures
from kinsight.followup.figures import REGISTRY, Period
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.followup.models import ChildRecordCount, MinimumLevelMonth, OctoberRound
from kinsight.followup.october import last_october
from kinsight.followup.services import minimum_level_rollup
from tests import factories
from tests.followup import factories as ff
from tests.people import factories as pf

pytestmark = pytest.mark.django_db
D = datetime.date


def _units(municipality):
    adult = OrgUnit.objects.filter(
        municipality=municipality, unit_type=UnitType.ADULTS_ADDICTION
    ).first()
    other = OrgUnit.objects.create(
        municipality=municipality,
        parent=adult.parent,
        kind=NodeKind.UNIT,
        unit_type=UnitType.ADULTS_ADDICTION,
        name="Beroende Väster",
    )
    return adult, other


def _edge_cases(municipality, a, b):
    """The edge cases, dated in last year and this year."""
    today = timezone.localdate()
    last, this = today.year - 1, today.year
    worker = factories.staff(municipality, role=Role.CASE_WORKER, unit=a)
    # A parent in two units: "no" in A, "yes" in B, a child recorded in both.
    dan = pf.person(municipality, "Dan", "Kant", birth_date=D(1975, 2, 2), sex="male")
    in_a = pf.case(dan, a, responsible=worker, opened_on=D(last, 2, 1))
    in_b = pf.case(dan, b, responsible=worker, opened_on=D(this, 3, 1))
    ff.question(in_a, "no", by=worker, on=D(last, 2, 10))
    ff.question(in_b, "yes", by=worker, on=D(this, 3, 5))
    ff.child_record(in_a, "Lo", age=9, identified_on=D(this, 3, 6), attended_on=D(this, 4, 1))
    ff.child_record(in_b, "Lo", age=9, identified_on=D(this, 3, 6))
    # A returning parent: a case closed last year, a new one this year.
    eva = pf.person(municipality, "Eva", "Kant", birth_date=D(1988, 8, 8), sex="female")
    first = pf.case(eva, a, opened_on=D(last, 1, 10), closed_on=D(last, 6, 30), status="avslutad")
    ff.child_record(first, "Mo", age=6, identified_on=D(last, 1, 20))
    again = pf.case(eva, a, responsible=worker, opened_on=D(this, 2, 1))
    ff.question(again, "yes", by=worker, on=D(this, 2, 2))
    ff.child_record(again, "Mo", age=6, identified_on=D(this, 2, 3), attended_on=D(this, 2, 20))
    # A child turning 18 mid-year (born in June 18 years ago), identified in January.
    turning = ff.child_record(again, "Ung", identified_on=D(this, 1, 15))
    turning.birth_year, turning.birth_date = this - 18, D(this - 18, 6, 15)
    turning.save(update_fields=["birth_year", "birth_date"])
    # A withdrawn report: closed without a pre-assessment decision.
    withdrawn = ff.report(a, received_on=D(this, 5, 2))
    ConcernReport.objects.filter(pk=withdrawn.pk).update(
        status=ReportStatus.CLOSED, pre_assessment_decision=""
    )
    # A case that will be moved between units, with a child and an unknown answer.
    ulf = pf.person(municipality, "Ulf", "Kant", birth_date=D(1980, 1, 1), sex="male")
    moved = pf.case(ulf, a, responsible=worker, opened_on=D(last, 5, 1))
    ff.question(moved, "unknown", by=worker, on=D(last, 5, 2))
    ff.child_record(moved, "Vi", age=4, identified_on=D(last, 5, 3))
    return {"moved": moved, "worker": worker, "withdrawn": withdrawn}


def _late_changes(municipality, a, b, edges):
    """What a late day brings: a case moved between units, a case registered late
    (opened before the last census date), an answer given today."""
    moved = edges["moved"]
    moved.unit = b
    moved.save(update_fields=["unit"])
    moved.child_records.update(unit=b)
    census = last_october(timezone.localdate())
    late = pf.person(municipality, "Sen", "Kant", birth_date=D(1970, 3, 3), sex="female")
    case = pf.case(late, a, opened_on=census - datetime.timedelta(days=30))
    ff.question(case, "yes", by=edges["worker"])


@pytest.fixture
def world():
    heads = []
    for n, (name, code, persons) in enumerate(
        [("Rullkommun", "8511", 250), ("Grann", "8512", 120)]
    ):
        result, _stages = generate_all(name=name, code=code, persons=persons, seed=13 + n)
        municipality = result.municipality
        top = OrgUnit.objects.get(municipality=municipality, parent=None)
        heads.append(
            factories.staff(
                municipality, role=Role.HEAD_OF_SERVICES, unit=top, username=f"rhead{code}"
            )
        )
    first = heads[0].municipality
    a, b = _units(first)
    edges = _edge_cases(first, a, b)
    # As in production: the nightly run (which keeps the default October rounds) and
    # the frequent one that keeps the running month.
    call_command("rollup_minimum_level", verbosity=0)
    call_command("rollup_minimum_level", running=True, verbosity=0)
    return {"heads": heads, "a": a, "b": b, "edges": edges}


def _periods():
    today = timezone.localdate()
    two_years = Period(D(today.year - 1, 1, 1), today, "quarter")
    return [two_years, Period.year(today.year - 1, "month"), Period(today, today, "month")]


def _figures(world, key):
    """Every breakdown of the definition over each period, for each municipality's
    head of services, as plain values."""
    definition = REGISTRY[key]
    found = {}
    for head in world["heads"]:
        for period in _periods():
            for by in definition.breakdowns:
                tables = queries_figures.figures(
                    actor=head, definition=definition, period=period, by=by
                )
                found[(head.municipality_id, period, by)] = [
                    (
                        table.key,
                        [(row.key, row.values) for row in table.rows],
                        table.total.values if table.total else None,
                        [(row.key, row.values) for row in table.published().all_rows()],
                    )
                    for table in tables
                ]
    return found


def _from_scratch():
    """Empty the rollups and count them again from the records: every month from the
    first case, the running month, no October round kept (counted on request) and no
    children-as-next-of-kin counts kept (counted live)."""
    MinimumLevelMonth.objects.all().delete()
    OctoberRound.objects.all().delete()
    ChildRecordCount.objects.all().delete()
    minimum_level_rollup()
    minimum_level_rollup(running=True)


def _nightly():
    today = timezone.localdate()
    call_command("rollup_minimum_level", since=add_months(month_start(today), -1), verbosity=0)
    call_command("rollup_minimum_level", running=True, verbosity=0)


def _compare(kept, scratch):
    assert kept.keys() == scratch.keys()
    for where, tables in kept.items():
        assert tables == scratch[where], where


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_every_figure_from_the_kept_counts_equals_a_count_from_scratch(world, key):
    kept = _figures(world, key)
    assert any(rows for tables in kept.values() for _k, rows, _t, _p in tables)
    _from_scratch()
    _compare(kept, _figures(world, key))


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_after_late_changes_and_the_nightly_run_the_figures_equal_a_count_from_scratch(world, key):
    first = world["heads"][0].municipality
    # The October rounds the pages read are kept before the late changes come.
    _figures(world, key)
    _late_changes(first, world["a"], world["b"], world["edges"])
    _nightly()
    if key == "minimum_level":
        # Older months are kept as they were: the run again from the first month
        # of the change brings them to the records' state.
        since = month_start(world["edges"]["moved"].opened_on)
        call_command("rollup_minimum_level", since=since, verbosity=0)
    kept = _figures(world, key)
    _from_scratch()
    _compare(kept, _figures(world, key))


def test_a_kept_minimum_level_month_stays_the_state_at_its_end(world):
    moved = world["edges"]["moved"]
    month = add_months(month_start(timezone.localdate()), -3)
    before = MinimumLevelMonth.objects.get(unit=world["a"], month=month)
    _late_changes(moved.municipality, world["a"], world["b"], world["edges"])
    _nightly()
    assert MinimumLevelMonth.objects.get(unit=world["a"], month=month).children == before.children
    call_command("rollup_minimum_level", since=month, verbosity=0)
    after = MinimumLevelMonth.objects.get(unit=world["a"], month=month)
    assert after.children == before.children - 1  # Vi follows the case to B
    assert after.unknown_parents == before.unknown_parents - 1  # and so does Ulf


def test_the_edge_cases_are_counted_as_defined(world):
    head = world["heads"][0]
    today = timezone.localdate()
    october = REGISTRY["october"]
    period = Period(D(today.year, 1, 1), today, "year")
    [by_unit, _living] = queries_figures.figures(
        actor=head, definition=october, period=period, by="unit"
    )
    rows = {row.key: row.values for row in by_unit.rows}
    a, b = str(world["a"].pk), str(world["b"].pk)
    assert rows[b]["adults"] == 1 and rows[b]["yes"] == 1  # Dan in B (yes)
    # Dan is in A too ("no"), and once in the total with "yes".
    unit_sum = sum(values["adults"] for values in rows.values())
    assert by_unit.total.values["adults"] == unit_sum - 1
    # The withdrawn report is not among the reports received in May in A.
    may = Period(D(today.year, 5, 1), D(today.year, 5, 1))
    received = ConcernReport.objects.filter(
        receiving_unit=world["a"], received_on__year=today.year, received_on__month=5
    ).exclude(status=ReportStatus.CLOSED, pre_assessment_decision="")
    assert world["edges"]["withdrawn"].receiving_unit == world["a"]
    [table, *_rest] = queries_figures.figures(
        actor=head, definition=REGISTRY["concern_reports"], period=may, by="unit"
    )
    counted = {row.key: row.values["received"] for row in table.rows}
    assert counted.get(a, 0) == received.count()
    # The child turning 18 in June is counted when identified (17 then).
    children = REGISTRY["children_next_of_kin"]
    january = Period(D(today.year, 1, 1), D(today.year, 1, 1))
    [kin] = queries_figures.figures(actor=head, definition=children, period=january, by="unit")
    assert {row.key: row.values["identified"] for row in kin.rows}.get(a, 0) >= 1
