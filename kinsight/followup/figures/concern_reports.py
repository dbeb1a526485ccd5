"""Concern reports (orosanmälningar): received, and how timely the statutory steps were.

The reports are those received in the period by the scope's units (the receiving
unit), counted in the bucket of the day they came in. A withdrawn report (closed
without a decision after the pre-assessment: registered by mistake or taken back) is
not counted. By the end of the period (or today):

- pre-assessments (förhandsbedömningar) due: decided, or past their due day; in time:
  decided on or before the due day the report's deadline rule set (14 days,
  legal topic "pre-assessment-14-days");
- investigations due: started, and completed or past their due day; in time:
  completed on or before it (four months, "investigation-4-months");
- feedback due: the reporter is a professional who asked for feedback (the feedback
  clock runs) and the clock ended or feedback was given; given: feedback recorded;
- median days from receipt to the pre-assessment decision, of those decided.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.detection.models import ConcernReport, ReporterCategory, ReportStatus
from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.equality import Fields, age_on, key_and_slots, other_label
from kinsight.followup.figures.grouping import Slots, in_period, share, table
from kinsight.followup.tables import TOTAL, Column, Table

FIELDS = Fields(day="received_on", unit="receiving_unit", sex="child__sex", age="age")
PROFESSIONAL = [
    ReporterCategory.SOCIAL_SERVICES,
    ReporterCategory.SCHOOL,
    ReporterCategory.POLICE,
    ReporterCategory.HEALTH_CARE,
    ReporterCategory.PRESCHOOL,
]
TEXT = _(
    "Orosanmälningar som kommit in under perioden till enheten (återtagna, dvs. avslutade "
    "utan beslut efter förhandsbedömning, räknas inte). Förhandsbedömning i tid: beslutad "
    "senast den dag fristen (14 dagar) löpte ut. Utredning i tid: avslutad inom fristen "
    "(fyra månader). Återkoppling: till en yrkesverksam anmälare som begärt den. Median: "
    "dagar från mottagen till beslut efter förhandsbedömning. Läget vid periodens slut."
)


def withdrawn_q() -> Q:
    """A report closed without a decision after the pre-assessment."""
    return Q(status=ReportStatus.CLOSED, pre_assessment_decision="")


def _aggregates(end: datetime.date) -> dict[str, Count]:
    decided = Q(pre_assessment_decided_on__lte=end)
    completed = Q(investigation_completed_on__lte=end)
    given = Q(feedback_given_on__lte=end)
    feedback = Q(reporter_category__in=PROFESSIONAL, feedback_due_on__isnull=False)
    return {
        "received": Count("pk"),
        "decided": Count("pk", filter=decided),
        "pre_due": Count("pk", filter=decided | Q(pre_assessment_due_on__lt=end)),
        "pre_in_time": Count(
            "pk", filter=decided & Q(pre_assessment_decided_on__lte=F("pre_assessment_due_on"))
        ),
        "inv_due": Count(
            "pk",
            filter=Q(investigation_started_on__lte=end)
            & (completed | Q(investigation_due_on__lt=end)),
        ),
        "inv_in_time": Count(
            "pk", filter=completed & Q(investigation_completed_on__lte=F("investigation_due_on"))
        ),
        "feedback_due": Count("pk", filter=feedback & (given | Q(feedback_due_on__lt=end))),
        "feedback_given": Count("pk", filter=feedback & given),
    }


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    n = sum(histogram.values())
    if not n:
        return None
    ordered = sorted(histogram.items())

    def nth(index: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    end = min(period.end, timezone.localdate())
    reports = ConcernReport.objects.filter(
        municipality_id=scope.municipality_id,
        receiving_unit_id__in=scope.unit_ids,
        **in_period("received_on", period),
    ).exclude(withdrawn_q())
    if by == "age_band":
        reports = reports.annotate(
            age=age_on("received_on", "child__birth_date", "child_birth_year")
        )
    key, rows = key_and_slots(by, FIELDS, scope, period)
    days = Case(
        When(
            pre_assessment_decided_on__lte=end,
            then=ExpressionWrapper(
                F("pre_assessment_decided_on") - F("received_on"), output_field=DurationField()
            ),
        ),
        output_field=DurationField(),
    )
    # ONE statement: the counts per row key and days to decision (a histogram, so that
    # the median comes from at most one row per key and number of days).
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    grouped = (
        reports.order_by()
        .annotate(row_key=key, days=days)
        .values("row_key", "days")
        .annotate(**_aggregates(end))
    )
    for row in grouped:
        value = row.pop("row_key")
        name = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
        delta = row.pop("days")
        for column, count in row.items():
            found[name][column] += count
        if delta is not None:
            histograms[name][delta.days] += row["decided"]
    return _tables(by, rows, found, histograms)


def _tables(by: str, rows: Slots, found: Any, histograms: dict[str, dict[int, int]]) -> list[Table]:
    slots = {slot for slot, _label in rows}
    made = [
        table(key, title, by, columns, rows, found, definition=str(TEXT), other=other_label(by))
        for key, title, columns in _layout()
    ]
    for row in made[0].all_rows():
        if row.key == TOTAL:
            keys = list(histograms)
        elif row.key == "other":
            keys = [k for k in histograms if k not in slots]
        else:
            keys = [row.key]
        merged: dict[int, int] = defaultdict(int)
        for k in keys:
            for value, count in histograms[k].items():
                merged[value] += count
        row.values["median_days"] = median(merged)
    return made


def _layout() -> list[tuple[str, str, list[Column]]]:
    return [
        (
            "pre_assessment",
            str(_("Förhandsbedömning")),
            [
                Column("received", str(_("Mottagna anmälningar"))),
                Column("decided", str(_("Beslutade"))),
                Column("pre_due", str(_("Förhandsbedömningar att bedöma"))),
                Column("pre_in_time", str(_("Inom 14 dagar"))),
                share("pre_share", str(_("Andel inom 14 dagar")), "pre_in_time", "pre_due"),
                Column(
                    "median_days",
                    str(_("Median dagar till beslut")),
                    kind="days",
                    depends=("decided",),
                ),
            ],
        ),
        (
            "investigation",
            str(_("Utredning")),
            [
                Column("inv_due", str(_("Utredningar att slutföra"))),
                Column("inv_in_time", str(_("Inom fyra månader"))),
                share("inv_share", str(_("Andel inom fyra månader")), "inv_in_time", "inv_due"),
            ],
        ),
        (
            "feedback",
            str(_("Återkoppling till anmälaren")),
            [
                Column("feedback_due", str(_("Ska få återkoppling"))),
                Column("feedback_given", str(_("Har fått återkoppling"))),
                share(
                    "feedback_share",
                    str(_("Andel med återkoppling")),
                    "feedback_given",
                    "feedback_due",
                ),
            ],
        ),
    ]


DEFINITION = register(
    Definition(
        key="concern_reports",
        title=str(_("Orosanmälningar: förhandsbedömning, utredning och återkoppling i tid")),
        text=str(TEXT),
        legal="pre-assessment-14-days investigation-4-months concern-report",
        breakdowns=FIELDS.breakdowns,
        compute=compute,
        goals={"pre_share": 1.0, "inv_share": 1.0, "feedback_share": 1.0},
    )
)
