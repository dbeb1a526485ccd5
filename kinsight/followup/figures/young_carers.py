"""Young carers (unga omsorgsgivare) and child interpreting (barntolkning): flags
recorded on children as next of kin, and how many were acted on.

Recorded: a flag of the kind noted in the period (ChildFlag.noted_on), on a child
record of a unit of the scope (the unit of the parent's case). Acted on: the child
record, on or after the day the flag was noted, had support offered, started or
completed or was referred (a ChildRecordStep), or a concern report was made from it.
A flag ended later still counts in the period it was noted.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kinsight.detection.models import ChildFlag, ChildRecordStep, ConcernReport, FlagKind
from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.equality import Fields, age_on, key_and_slots, other_label
from kinsight.followup.figures.grouping import counted, in_period, share, table
from kinsight.followup.tables import Column, Table

ACTED_STEPS = ("support_offered", "support_started", "support_completed", "referred")
KINDS = {"young_carer": FlagKind.YOUNG_CARER, "interpreting": FlagKind.CHILD_INTERPRETER}
FIELDS = Fields(day="noted_on", unit="record__unit", sex="record__child__sex", age="age")
TEXT = _(
    "Markeringar ”ung omsorgsgivare” och ”barntolkning” på barn som anhöriga, noterade "
    "under perioden, på enheten för förälderns ärende. Åtgärdad: barnet har, samma dag "
    "som markeringen eller senare, fått stöd erbjudet, påbörjat eller avslutat, "
    "hänvisats, eller fått en orosanmälan gjord. Ålder när markeringen noterades."
)


def acted_on() -> Q:
    steps = ChildRecordStep.objects.filter(
        record_id=OuterRef("record_id"), status__in=ACTED_STEPS, on__gte=OuterRef("noted_on")
    )
    reports = ConcernReport.objects.filter(
        child_record_id=OuterRef("record_id"), received_on__gte=OuterRef("noted_on")
    )
    return Q(Exists(steps)) | Q(Exists(reports))


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    flags = ChildFlag.objects.filter(
        municipality_id=scope.municipality_id,
        record__unit_id__in=scope.unit_ids,
        kind__in=list(KINDS.values()),
        **in_period("noted_on", period),
    )
    aggregates = {}
    for name, kind in KINDS.items():
        aggregates[name] = Count("pk", filter=Q(kind=kind))
        aggregates[f"{name}_acted"] = Count("pk", filter=Q(kind=kind) & acted_on())
    flags = flags.annotate(age=age_on("noted_on", "record__birth_date", "record__birth_year"))
    key, rows = key_and_slots(by, FIELDS, scope, period)
    columns = [
        Column("young_carer", str(_("Unga omsorgsgivare"))),
        Column("young_carer_acted", str(_("– åtgärdade"))),
        share("young_carer_share", str(_("Andel åtgärdade")), "young_carer_acted", "young_carer"),
        Column("interpreting", str(_("Barntolkning"))),
        Column("interpreting_acted", str(_("– åtgärdade"))),
        share(
            "interpreting_share", str(_("Andel åtgärdade")), "interpreting_acted", "interpreting"
        ),
    ]
    found = counted(flags, key, aggregates)
    title = str(_("Unga omsorgsgivare och barntolkning"))
    return [
        table(
            DEFINITION.key,
            title,
            by,
            columns,
            rows,
            found,
            definition=str(TEXT),
            other=other_label(by),
        )
    ]


DEFINITION = register(
    Definition(
        key="young_carers_interpreting",
        title=str(_("Unga omsorgsgivare och barntolkning")),
        text=str(TEXT),
        legal="",
        breakdowns=FIELDS.breakdowns,
        compute=compute,
    )
)
