"""Children as next of kin, kept (kinsight.followup.children_kept): the kept rows grow
with the units, months and cells, not with the children, and a step counts from the
month it was done."""

import datetime

import pytest

from kinsight.core.models import UnitType
from kinsight.detection.models import ChildRecord, ChildRecordStep
from kinsight.followup.children_kept import keep_children
from kinsight.followup.children_models import ChildRecordCount
from kinsight.followup.figures import REGISTRY, Period, Scope
from tests.people import factories as pf

D = datetime.date


def _children(case, count, *, identified, attended, assessed_on, by):
    for index in range(count):
        record = ChildRecord.objects.create(
            municipality=case.municipality,
            case=case,
            unit=case.unit,
            parent=case.person,
            first_name=f"Barn {index}",
            birth_date=D(2018, 1, 1 + index),
            birth_year=2018,
            identified_on=identified,
            attended_on=attended,
            status="attended",
        )
        ChildRecordStep.objects.create(
            municipality=case.municipality, record=record, status="assessed", on=assessed_on, by=by
        )


@pytest.fixture
def case(municipality, org):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    return pf.case(pf.person(municipality, "Ada", "Förälder"), unit, opened_on=D(2024, 1, 1))


def test_the_kept_rows_do_not_grow_with_the_children(case, worker):
    _children(
        case,
        12,
        identified=D(2025, 3, 2),
        attended=D(2025, 3, 9),
        assessed_on=D(2025, 4, 1),
        by=worker,
    )
    # One cell (unit, March, sex unknown, 7-12): identified, attended in March,
    # assessed in April. Twelve children, three rows.
    assert keep_children() == 3
    kept = {(r.step, r.done, r.records) for r in ChildRecordCount.objects.all()}
    assert kept == {
        ("identified", None, 12),
        ("attended", D(2025, 3, 1), 12),
        ("assessed", D(2025, 4, 1), 12),
    }


def test_a_step_counts_from_the_month_it_was_done(case, worker, head, django_assert_num_queries):
    _children(
        case,
        2,
        identified=D(2025, 3, 2),
        attended=D(2025, 3, 9),
        assessed_on=D(2025, 4, 1),
        by=worker,
    )
    keep_children()
    scope = Scope.for_actor(head)
    compute = REGISTRY["children_next_of_kin"].compute
    march = Period(D(2025, 3, 1), D(2025, 3, 31), "month")
    spring = Period(D(2025, 3, 1), D(2025, 4, 30), "month")
    for period, assessed in ((march, 0), (spring, 2)):
        with django_assert_num_queries(1):  # the kept rows, summed: no live count
            (table,) = compute(scope, period, "sex")
        row = table.total
        assert (row.values["identified"], row.values["attended"], row.values["assessed"]) == (
            2,
            2,
            assessed,
        )
