"""Children as next of kin (kinsight.followup.figures.children_next_of_kin), kept so
that the figure reads rows that grow with the units and months, not the children.

The frequent rollup (``rollup_minimum_level --running``, every five minutes) counts the
municipality's child records afresh into ChildRecordCount: per unit, month identified,
sex and age then, and the months of the first attended, assessed and offered-support
dates. The figure reads them while they are younger than KINSIGHT_RUNNING_MONTH_MINUTES
and counts live otherwise (before the first run, or when the timer stops). Done by the
end of a period is counted by month: done in the period's last month or before. For a
period running to today that is "by the end of this month": a date entered ahead of
today in this month counts already (the live count waits for the day).
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Case as When_
from django.db.models import CharField, F, Min, OuterRef, QuerySet, Subquery, Value, When
from django.db.models import Count as CountOf
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kinsight.core.models import Municipality
from kinsight.detection.models import ChildRecord, ChildRecordStep
from kinsight.followup.children_models import ChildRecordCount
from kinsight.followup.figures import STEPS as PERIOD_STEPS
from kinsight.followup.figures import Period, Scope
from kinsight.followup.figures.equality import age_on, problem_area
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


def keep_children(*, municipality: Municipality | None = None) -> int:
    """Count every municipality's child records afresh into ChildRecordCount (one
    statement and one transaction each). Returns the rows written."""
    from kinsight.followup.figures.children_next_of_kin import STEPS

    sex = When_(
        When(child__sex__in=Sex.values, then=F("child__sex")),
        default=Value("unknown"),
        output_field=CharField(),
    )
    written = 0
    for m in [municipality] if municipality else list(Municipality.objects.all()):
        rows = (
            children_records(m.pk)
            .order_by()
            .values(  # type: ignore[misc]  # "age" is the queryset's annotation
                "unit_id",
                "age",
                month=TruncMonth("identified_on"),
                sex_key=sex,
                attended_month=TruncMonth("attended_on"),
                assessed_month=TruncMonth(_first_step(STEPS["assessed"])),
                offered_month=TruncMonth(_first_step(STEPS["offered"])),
            )
            .annotate(records=CountOf("pk"))
        )
        now = timezone.now()
        kept = [
            ChildRecordCount(
                municipality=m,
                unit_id=row["unit_id"],
                month=row["month"],
                sex=row["sex_key"],
                age=row["age"],
                attended=row["attended_month"],
                assessed=row["assessed_month"],
                offered=row["offered_month"],
                records=row["records"],
                computed_at=now,
            )
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


def _band(age: int) -> str:
    return "0-6" if age < 7 else "7-12" if age < 13 else "13-17"


def kept_found(scope: Scope, period: Period, by: str, end: datetime.date) -> Found | None:
    """The figure's counts by ``by`` from the kept rows (one statement), or None when
    they are not fresh (the caller counts live)."""
    from kinsight.followup.queries import _fresh

    rows = ChildRecordCount.objects.filter(
        municipality_id=scope.municipality_id,
        unit_id__in=scope.unit_ids,
        month__gte=period.start,
        month__lte=period.end,
    ).values_list("unit_id", "month", "sex", "age", *DONE, "records", "computed_at")
    found_rows = list(rows)
    if not found_rows or not _fresh(min(row[-1] for row in found_rows)):
        return None
    types = {unit.pk: str(unit.unit_type) for unit in scope.units}
    last = month_start(end)
    keys: dict[str, Any] = {
        "period": lambda r: _bucket(r[1], period.step),
        "unit": lambda r: str(r[0]),
        "unit_type": lambda r: types[r[0]],
        "sex": lambda r: r[2],
        "age_band": lambda r: _band(r[3]),
        "problem_area": lambda r: problem_area(types[r[0]]),
    }
    found: Found = defaultdict(lambda: dict.fromkeys(("identified", *DONE), 0))
    for row in found_rows:
        counts = found[keys[by](row)]
        counts["identified"] += row[7]
        for name, done in zip(DONE, row[4:7], strict=True):
            if done is not None and done <= last:
                counts[name] += row[7]
    return dict(found)
