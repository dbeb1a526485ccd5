"""Children as next of kin (kinsight.followup.figures.children_next_of_kin), kept so
that the figure sums a few hundred rows in the database instead of counting the
children.

The frequent rollup (``rollup_minimum_level --running``, every five minutes) counts the
municipality's child records afresh into ChildRecordCount: per unit, month identified,
sex and age band then, the records identified and, per step (attended, assessed,
offered support), those done in each month. The figure sums them in the database by
what it breaks down by, while they are younger than KINSIGHT_RUNNING_MONTH_MINUTES, and
counts live otherwise (before the first run, or when the timer stops). Done by the end
of a period is counted by month: done in the period's last month or before. For a
period running to today that is "by the end of this month": a date entered ahead of
today in this month counts already (the live count waits for the day).
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kinsight.core.models import Municipality
from kinsight.detection.models import ChildRecord, ChildRecordStep
from kinsight.followup.children_models import ChildRecordCount
from kinsight.followup.figures import STEPS as PERIOD_STEPS
from kinsight.followup.figures import Period, Scope
from kinsight.followup.figures.equality import age_band_expression, age_on, problem_area
from kinsight.followup.minimum_level import month_start
from kinsight.people.models import Sex

DONE = ("attended", "assessed", "offered")
Found = dict[str, dict[str, int]]


def children_records(municipality_id: int) -> QuerySet[ChildRecord]:
    """The child records the figure counts (born and under 18 when identified)."""
    return (
        ChildRecord.objects.filter(municipality_id=municipality_id)
        .exclude(expected_month__isnull=False, birth_date__isnull=True)
        .exclude(birth_date__gt=F("identified_on"))
        .annotate(age=age_on("identified_on", "birth_date", "birth_year"))
        .filter(age__lt=18, age__gte=0)
    )


def _first_step(status: str) -> Subquery:
    steps = ChildRecordStep.objects.filter(record_id=OuterRef("pk"), status=status)
    return Subquery(steps.order_by().values("record_id").annotate(first=Min("on")).values("first"))


def _done_months() -> dict[str, Any]:
    """The month each step was first done, per record (null: not yet)."""
    from kinsight.followup.figures.children_next_of_kin import STEPS

    first = {name: TruncMonth(_first_step(status)) for name, status in STEPS.items()}
    return {"attended": TruncMonth("attended_on"), **first}


def _counted(municipality_id: int) -> list[tuple[str, Any]]:
    """(step, the counts of one statement) per step: identified, then each done."""
    sex = Case(
        When(child__sex__in=Sex.values, then=F("child__sex")),
        default=Value("unknown"),
        output_field=CharField(),
    )
    records = children_records(municipality_id).annotate(
        kept_month=TruncMonth("identified_on"), kept_sex=sex, kept_band=age_band_expression("age")
    )
    group = ("unit_id", "kept_month", "kept_sex", "kept_band")
    counted = [("identified", records.order_by().values(*group).annotate(records=Count("pk")))]
    for step, month in _done_months().items():
        done = records.annotate(done=month).filter(done__isnull=False)
        counted.append((step, done.order_by().values(*group, "done").annotate(records=Count("pk"))))
    return counted


def keep_children(*, municipality: Municipality | None = None) -> int:
    """Count every municipality's child records afresh into ChildRecordCount (a
    statement per step and one transaction each). Returns the rows written."""
    written = 0
    for m in [municipality] if municipality else list(Municipality.objects.all()):
        now = timezone.now()
        kept = [
            ChildRecordCount(
                municipality=m,
                unit_id=row["unit_id"],
                month=row["kept_month"],
                sex=row["kept_sex"],
                band=row["kept_band"],
                step=step,
                done=row.get("done"),
                records=row["records"],
                computed_at=now,
            )
            for step, rows in _counted(m.pk)
            for row in rows
        ]
        with transaction.atomic():
            ChildRecordCount.objects.filter(municipality=m).delete()
            ChildRecordCount.objects.bulk_create(kept, batch_size=1000)
        written += len(kept)
    return written


def _bucket(month: datetime.date, step: str) -> str:
    months = PERIOD_STEPS[step]
    return month.replace(month=(month.month - 1) // months * months + 1).isoformat()


# The kept column each breakdown sums by (unit type and problem area: by unit).
COLUMN = {"period": "month", "sex": "sex", "age_band": "band"}


def kept_found(scope: Scope, period: Period, by: str, end: datetime.date) -> Found | None:
    """The figure's counts by ``by`` from the kept rows, or None when they are not fresh
    (the caller counts live). One statement, summed in the database by the breakdown's
    column and step, so what comes back is a row per unit (or month, sex, band) and step."""
    from kinsight.followup.queries import _fresh

    column = COLUMN.get(by, "unit_id")
    summed = list(
        ChildRecordCount.objects.filter(
            Q(done__isnull=True) | Q(done__lte=month_start(end)),
            municipality_id=scope.municipality_id,
            unit_id__in=scope.unit_ids,
            month__gte=period.start,
            month__lte=period.end,
        )
        .values(column, "step")
        .annotate(records=Sum("records"), computed=Min("computed_at"))
    )
    if not summed or not _fresh(min(row["computed"] for row in summed)):
        return None
    types = {unit.pk: str(unit.unit_type) for unit in scope.units}
    keys: dict[str, Any] = {
        "period": lambda month: _bucket(month, period.step),
        "unit": str,
        "unit_type": lambda unit_id: types[unit_id],
        "problem_area": lambda unit_id: problem_area(types[unit_id]),
    }
    key = keys.get(by, str)
    found: Found = defaultdict(lambda: dict.fromkeys(("identified", *DONE), 0))
    for row in summed:
        found[key(row[column])][row["step"]] += row["records"]
    return dict(found)
