"""The detection figures (kinsight.followup.figures): concern reports, children as next
of kin and the minimum level, each on a small world checked by hand, one statement per
breakdown, and recomputed from scratch in Python on generated rows."""

import datetime
import random

import pytest
from django.core.management import call_command

from kinsight.core.models import UnitType
from kinsight.detection.models import ChildRecord, ChildRecordStep, ConcernReport
from kinsight.followup.figures import REGISTRY, Period, Scope
from kinsight.followup.figures.equality import problem_area
from kinsight.followup.tables import TOTAL
from tests.followup import factories as ff
from tests.followup.figures_factories import report
from tests.people import factories as pf

D = datetime.date
YEAR = Period.year(2025)


def tables(key, scope, by, period=YEAR):
    return {t.key: t for t in REGISTRY[key].compute(scope, period, by)}


def values(table, row_key, *columns):
    row = table.total if row_key == TOTAL else next(r for r in table.rows if r.key == row_key)
    return tuple(row.values[c] for c in columns)


@pytest.fixture
def scope(head):
    return Scope.for_actor(head)


@pytest.fixture
def reports(org, child_unit):
    families = org["units"][UnitType.FAMILIES]
    report(
        child_unit,
        D(2025, 1, 10),
        decided=D(2025, 1, 20),
        decision="open_investigation",
        status_after="closed",
        investigation_completed_on=D(2025, 4, 30),
        feedback_requested=True,
        feedback_due_on=D(2025, 1, 27),
        feedback_given_on=D(2025, 1, 25),
    )
    report(
        child_unit,
        D(2025, 2, 1),
        decided=D(2025, 2, 25),
        decision="no_investigation",
        reporter="police",
        feedback_requested=True,
        feedback_due_on=D(2025, 3, 4),
    )
    # Undecided and late; a reporter who is not a professional.
    report(child_unit, D(2025, 3, 1), reporter="other", feedback_due_on=D(2025, 3, 20))
    # Withdrawn: closed without a decision. Not counted anywhere.
    report(child_unit, D(2025, 3, 5), status="closed", feedback_due_on=D(2025, 3, 20))
    report(child_unit, D(2024, 12, 20), decided=D(2024, 12, 22), decision="no_investigation")
    report(families, D(2025, 6, 1), decided=D(2025, 6, 5), decision="added_to_ongoing")
    report(child_unit, D(2025, 6, 10), decided=D(2025, 6, 20), decision="open_investigation")
    return {"families": families}


def test_concern_reports_by_unit_by_hand(scope, reports, child_unit, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = tables("concern_reports", scope, "unit")
    pre, inv, feedback = found["pre_assessment"], found["investigation"], found["feedback"]
    child, families = str(child_unit.pk), str(reports["families"].pk)
    columns = ("received", "decided", "pre_due", "pre_in_time", "pre_share", "median_days")
    assert values(pre, child, *columns) == (4, 3, 4, 2, 0.5, 10)
    assert values(pre, families, *columns) == (1, 1, 1, 1, 1.0, 4)
    assert values(pre, TOTAL, *columns) == (5, 4, 5, 3, 0.6, 10)
    assert values(inv, child, "inv_due", "inv_in_time", "inv_share") == (2, 1, 0.5)
    assert values(feedback, child, "feedback_due", "feedback_given") == (2, 1)
    assert values(feedback, TOTAL, "feedback_share") == (0.5,)


def test_concern_reports_by_quarter_leave_out_the_withdrawn_report(scope, reports):
    pre = tables("concern_reports", scope, "period", Period.year(2025, "quarter"))["pre_assessment"]
    assert [(r.label, r.values["received"]) for r in pre.rows] == [
        ("2025 kv1", 3),
        ("2025 kv2", 2),
        ("2025 kv3", 0),
        ("2025 kv4", 0),
    ]
    assert pre.rows[0].values["median_days"] == 17  # 10 and 24 days


def test_a_unit_manager_scope_has_only_their_units(child_manager, reports, child_unit):
    pre = tables("concern_reports", Scope.for_actor(child_manager), "unit")["pre_assessment"]
    assert [r.key for r in pre.rows] == [str(child_unit.pk)]
    assert pre.total.values["received"] == 4


def _record(case, name, identified, *, born=None, year=None, attended=None, child=None, **kw):
    return ChildRecord.objects.create(
        municipality=case.municipality,
        case=case,
        unit=case.unit,
        parent=case.person,
        child=child,
        first_name=name,
        birth_date=born,
        birth_year=year or born.year,
        identified_on=identified,
        attended_on=attended,
        status="attended" if attended else "identified",
        **kw,
    )


def _step(record, status, on, by):
    ChildRecordStep.objects.create(
        municipality=record.municipality, record=record, status=status, on=on, by=by
    )


@pytest.fixture
def children(municipality, org, worker):
    units = org["units"]
    m = municipality

    def parent_case(name, unit_type):
        return pf.case(pf.person(m, name, "Förälder"), units[unit_type], opened_on=D(2024, 1, 1))

    addiction = parent_case("Ada", UnitType.ADULTS_ADDICTION)
    violence = parent_case("Vera", UnitType.VIOLENCE)
    psychiatry = parent_case("Per", UnitType.SOCIAL_PSYCHIATRY)
    families = parent_case("Fia", UnitType.FAMILIES)
    girl = pf.person(m, "Flicka", "Barn", birth_date=D(2020, 5, 1), sex="female")
    boy = pf.person(m, "Pojke", "Barn", birth_date=D(2007, 8, 1), sex="male")
    c1 = _record(
        addiction, "c1", D(2025, 3, 1), born=D(2020, 5, 1), attended=D(2025, 3, 10), child=girl
    )
    _step(c1, "assessed", D(2025, 4, 1), worker)
    _step(c1, "support_offered", D(2025, 5, 1), worker)
    # 17 on the day identified, 18 on 1 August: counted, in 13-17.
    _record(addiction, "c2", D(2025, 2, 1), born=D(2007, 8, 1), child=boy)
    _record(addiction, "c3", D(2025, 2, 1), born=D(2007, 1, 15))  # 18: not a child
    c4 = _record(violence, "c4", D(2025, 6, 1), year=2015, attended=D(2025, 6, 2))
    _step(c4, "assessed", D(2025, 6, 10), worker)
    _step(c4, "support_offered", D(2025, 6, 11), worker)
    _step(c4, "support_started", D(2025, 6, 20), worker)  # a later status: still offered
    _record(psychiatry, "c5", D(2024, 11, 1), born=D(2015, 1, 1))  # before the period
    _record(addiction, "c6", D(2025, 5, 1), year=2025, expected_month=D(2025, 9, 1))
    _record(psychiatry, "c7", D(2025, 9, 9), born=D(2012, 3, 3), attended=D(2026, 1, 5))
    _record(families, "c8", D(2025, 1, 2), born=D(2019, 1, 1), attended=D(2025, 1, 3))


COUNTS = ("identified", "attended", "assessed", "offered")


@pytest.mark.parametrize("kept", [False, True])
def test_children_by_problem_area_by_hand(scope, children, django_assert_num_queries, kept):
    from kinsight.followup.children_kept import keep_children

    if kept:  # the frequent rollup has kept the counts: read, not counted
        assert keep_children() > 0
    with django_assert_num_queries(1 if kept else 2):  # the kept rows looked for first
        table = tables("children_next_of_kin", scope, "problem_area")["children"]
    assert {r.key: values(table, r.key, *COUNTS) for r in table.rows} == {
        "addiction": (2, 1, 1, 1),
        "violence": (1, 1, 1, 1),
        "mental_health": (1, 0, 0, 0),  # attended after the period's end
        "other": (1, 1, 0, 0),
    }
    assert values(table, TOTAL, *COUNTS, "attended_share") == (5, 3, 2, 2, 0.6)


def test_children_by_age_on_the_day_identified_and_by_sex(scope, children):
    table = tables("children_next_of_kin", scope, "age_band")["children"]
    assert [(r.key, r.values["identified"]) for r in table.rows] == [
        ("0-6", 2),
        ("7-12", 1),
        ("13-17", 2),
    ]
    table = tables("children_next_of_kin", scope, "sex")["children"]
    found = {r.key: r.values["identified"] for r in table.rows}
    assert found == {"female": 1, "male": 1, "other": 0, "unknown": 3}


def test_the_problem_area_of_each_unit_type():
    assert problem_area(UnitType.ADULTS_ADDICTION) == "addiction"
    assert problem_area(UnitType.SOCIAL_PSYCHIATRY) == "mental_health"
    assert problem_area(UnitType.VIOLENCE) == "violence"
    assert problem_area(UnitType.FAMILIES) == "other"


def test_the_minimum_level_reads_the_rollup(
    scope, municipality, worker, open_case, django_assert_num_queries
):
    open_case.opened_on = D(2024, 6, 1)
    open_case.save()
    ff.question(open_case, "yes", by=worker, on=D(2024, 6, 1))
    ff.child_record(open_case, "A", age=8, identified_on=D(2025, 2, 1), attended_on=D(2025, 5, 3))
    ff.child_record(open_case, "B", age=9, identified_on=D(2025, 2, 1))
    call_command("rollup_minimum_level", verbosity=0)
    period = Period.year(2025, "quarter")
    with django_assert_num_queries(1):  # past months: the rollup only
        table = tables("minimum_level", scope, "period", period)["minimum_level"]
    rows = {
        r.label: values(table, r.key, "children", "attended", "attended_share") for r in table.rows
    }
    assert rows == {
        "2025 kv1": (2, 0, 0.0),
        "2025 kv2": (2, 1, 0.5),
        "2025 kv3": (2, 1, 0.5),
        "2025 kv4": (2, 1, 0.5),
    }
    assert table.total is None  # month-end states do not add up
    by_unit = tables("minimum_level", scope, "unit", period)["minimum_level"]
    assert by_unit.total.values["children"] == 2


# Generated rows, recomputed from scratch ------------------------------------------------


@pytest.fixture
def generated(municipality, org, worker):
    rng = random.Random(13)
    units = list(org["units"].values())
    cases = [
        pf.case(pf.person(municipality, f"P{i}", "Gen"), rng.choice(units), opened_on=D(2023, 1, 1))
        for i in range(8)
    ]
    for _i in range(60):
        received = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(730))
        decided = (
            received + datetime.timedelta(days=rng.randrange(30)) if rng.random() < 0.8 else None
        )
        decision = rng.choice(["open_investigation", "no_investigation"]) if decided else ""
        status = "closed" if not decided and rng.random() < 0.1 else "received"
        requested = rng.random() < 0.5
        report(
            rng.choice(units),
            received,
            decided=decided,
            decision=decision,
            status=status,
            reporter=rng.choice(["school", "police", "other", "anonymous"]),
            feedback_requested=requested,
            feedback_due_on=decided + datetime.timedelta(days=7) if requested and decided else None,
            feedback_given_on=decided + datetime.timedelta(days=3)
            if requested and decided and rng.random() < 0.5
            else None,
        )
    for i in range(80):
        case = rng.choice(cases)
        identified = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(730))
        born = identified - datetime.timedelta(days=rng.randrange(20 * 365))
        attended = (
            identified + datetime.timedelta(days=rng.randrange(60)) if rng.random() < 0.6 else None
        )
        record = _record(case, f"g{i}", identified, born=born, attended=attended)
        if attended and rng.random() < 0.5:
            _step(record, "assessed", attended, worker)
            if rng.random() < 0.5:
                _step(record, "support_offered", attended + datetime.timedelta(days=5), worker)


def test_generated_concern_reports_recomputed(scope, generated):
    end = YEAR.end
    kept = [
        r
        for r in ConcernReport.objects.filter(received_on__year=2025)
        if not (r.status == "closed" and not r.pre_assessment_decision)
    ]
    for by in ("unit", "unit_type"):
        pre = tables("concern_reports", scope, by)["pre_assessment"]
        for row in pre.rows:
            mine = [
                r
                for r in kept
                if str(getattr(r.receiving_unit, "pk" if by == "unit" else "unit_type")) == row.key
            ]
            decided = [
                r
                for r in mine
                if r.pre_assessment_decided_on and r.pre_assessment_decided_on <= end
            ]
            in_time = [r for r in decided if r.pre_assessment_decided_on <= r.pre_assessment_due_on]
            assert values(pre, row.key, "received", "decided", "pre_in_time") == (
                len(mine),
                len(decided),
                len(in_time),
            )
    feedback = tables("concern_reports", scope, "period")["feedback"]
    professional = [
        r for r in kept if r.reporter_category in ("school", "police") and r.feedback_due_on
    ]
    given = [r for r in professional if r.feedback_given_on and r.feedback_given_on <= end]
    assert feedback.total.values["feedback_given"] == len(given)


def test_generated_children_recomputed(scope, generated):
    def age(r):
        b, on = r.birth_date, r.identified_on
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    kept = [r for r in ChildRecord.objects.filter(identified_on__year=2025) if 0 <= age(r) < 18]
    table = tables("children_next_of_kin", scope, "age_band")["children"]
    bands = {"0-6": range(0, 7), "7-12": range(7, 13), "13-17": range(13, 18)}
    for key, ages in bands.items():
        assert values(table, key, "identified") == (sum(1 for r in kept if age(r) in ages),)
    assert table.total.values["attended"] == sum(
        1 for r in kept if r.attended_on and r.attended_on <= YEAR.end
    )
    assessed = {s.record_id for s in ChildRecordStep.objects.filter(status="assessed")}
    assert table.total.values["assessed"] == sum(1 for r in kept if r.pk in assessed)
    by_area = tables("children_next_of_kin", scope, "problem_area")["children"]
    for row in by_area.rows:
        mine = [r for r in kept if problem_area(r.unit.unit_type) == row.key]
        assert row.values["identified"] == len(mine)
