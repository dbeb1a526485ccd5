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
from django.db.models import CharField, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
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


def kept_found(scope: Scope, period: Period, by: str, end: datetime.date) -> Found | None:
    """The figure's counts by ``by`` from the kept rows, or None when they are not fresh
    (the caller counts live). One statement, summed in the database by unit, month, sex
    and age band, so what comes back grows with the units and months, not the children."""
    from kinsight.followup.queries import _fresh

    last = month_start(end)
    rows = ChildRecordCount.objects.filter(
        municipality_id=scope.municipality_id,
        unit_id__in=scope.unit_ids,
        month__gte=period.start,
        month__lte=period.end,
    )
    band = When_(
        When(age__lt=7, then=Value("0-6")),
        When(age__lt=13, then=Value("7-12")),
        default=Value("13-17"),
        output_field=CharField(),
    )
    sums = {name: Sum("records", filter=Q(**{f"{name}__lte": last})) for name in DONE}
    summed = list(
        rows.annotate(band=band)
        .values("unit_id", "month", "sex", "band")
        .annotate(identified=Sum("records"), computed=Min("computed_at"), **sums)
    )
    if not summed or not _fresh(min(row["computed"] for row in summed)):
        return None
    types = {unit.pk: str(unit.unit_type) for unit in scope.units}
    keys: dict[str, Any] = {
        "period": lambda r: _bucket(r["month"], period.step),
        "unit": lambda r: str(r["unit_id"]),
        "unit_type": lambda r: types[r["unit_id"]],
        "sex": lambda r: r["sex"],
        "age_band": lambda r: r["band"],
        "problem_area": lambda r: problem_area(types[r["unit_id"]]),
    }
    found: Found = defaultdict(lambda: dict.fromkeys(("identified", *DONE), 0))
    for row in summed:
        counts = found[keys[by](row)]
        for name in ("identified", *DONE):
            counts[name] += row[name] or 0
    return dict(found)
