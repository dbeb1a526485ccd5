"""Children as next of kin (barn som anhöriga): identified, attended, assessed, offered
support.

The children are the child records (``detection.ChildRecord``) identified in the period
in the scope's units (the unit of the parent's case), born and under 18 on the day they
were identified (a child who turns 18 later stays in the band of that day; expected
children are counted in the minimum level instead). Of them, by the end of the period
(or today): attended (``attended_on``), assessed (a step "Bedömt"), offered support (a
step "Stöd erbjudet"). The steps are counted by their existence, so a later status (stöd
påbörjat, avslutat, hänvisat) does not take a child out of what was done before.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.detection.models import ChildRecordStep
from kinsight.followup.children_kept import children_records, kept_found
from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.equality import Fields, key_and_slots, other_label
from kinsight.followup.figures.grouping import counted, in_period, share, table
from kinsight.followup.tables import Column, Table

FIELDS = Fields(day="identified_on", unit="unit", sex="child__sex", age="age", problem_area=True)
# The steps counted by their existence (ChildStatus values).
STEPS = {"assessed": "assessed", "offered": "support_offered"}
TEXT = _(
    "Barn som identifierats som anhöriga under perioden: barn till en förälder med ärende "
    "i enheten, födda och under 18 år den dag de identifierades (väntade barn räknas i "
    "miniminivån). Av dem: uppmärksammade, bedömda (steget Bedömt) och erbjudna stöd "
    "(steget Stöd erbjudet) vid periodens slut. Åldern räknas den dag barnet "
    "identifierades. Förälderns problemområde följer enhetstypen för förälderns ärende."
)


def _step(status: str, end: datetime.date) -> Q:
    steps = ChildRecordStep.objects.filter(record_id=OuterRef("pk"), status=status, on__lte=end)
    return Q(Exists(steps))


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    end = min(period.end, timezone.localdate())
    records = children_records(scope.municipality_id).filter(
        unit_id__in=scope.unit_ids, **in_period("identified_on", period)
    )
    key, rows = key_and_slots(by, FIELDS, scope, period)
    aggregates = {
        "identified": Count("pk"),
        "attended": Count("pk", filter=Q(attended_on__lte=end)),
        **{name: Count("pk", filter=_step(status, end)) for name, status in STEPS.items()},
    }
    columns = [
        Column("identified", str(_("Identifierade barn"))),
        Column("attended", str(_("Uppmärksammade"))),
        share("attended_share", str(_("Andel uppmärksammade")), "attended", "identified"),
        Column("assessed", str(_("Bedömda"))),
        Column("offered", str(_("Erbjudna stöd"))),
        share("offered_share", str(_("Andel erbjudna stöd")), "offered", "identified"),
    ]
    # The kept counts while fresh (kinsight.followup.children_kept), else live.
    found = kept_found(scope, period, by, end)
    if found is None:
        found = counted(records, key, aggregates)
    title = str(_("Barn som anhöriga"))
    return [
        table(
            "children", title, by, columns, rows, found, definition=str(TEXT), other=other_label(by)
        )
    ]


DEFINITION = register(
    Definition(
        key="children_next_of_kin",
        title=str(_("Barn som anhöriga: identifierade, uppmärksammade, bedömda, erbjudna stöd")),
        text=str(TEXT),
        legal="support-next-of-kin",
        breakdowns=FIELDS.breakdowns,
        compute=compute,
        goals={"attended_share": 1.0},
    )
)
