"""Family work (familjeärenden) started, with consent, with a plan.

Started: family works whose start day is in the period, counted at the unit that
coordinates them (the coordinating participant: one per family work). With consent: a
consent for sharing within the family work (Consent, purpose "sharing") is recorded
and not withdrawn. With a plan: the family plan has at least one goal. Ended: of
those started, the ones closed since (an ended work still counts as started).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kinsight.family.models import Consent, FamilyWorkStatus, Participant
from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.grouping import counted, in_period, key_expression, share, slots
from kinsight.followup.figures.grouping import table as build
from kinsight.followup.tables import Column, Table
from kinsight.interventions.models import PlanGoal

TEXT = _(
    "Familjeärenden som startats under perioden, räknade hos den samordnande enheten. "
    "Med samtycke: ett samtycke till informationsutbyte inom familjeärendet är "
    "registrerat och inte återkallat. Med familjeplan: planen har minst ett mål. "
    "Avslutade: av de startade, de som sedan avslutats."
)


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    coordinators = Participant.objects.filter(
        municipality_id=scope.municipality_id,
        is_coordinator=True,
        unit_id__in=scope.unit_ids,
        **in_period("family_work__started_on", period),
    )
    work = OuterRef("family_work_id")
    consent = Consent.objects.filter(family_work_id=work, purpose="sharing", withdrawn_on=None)
    goals = PlanGoal.objects.filter(plan__family_work_id=work)
    found = counted(
        coordinators,
        key_expression(by, period, date="family_work__started_on", unit="unit"),
        {
            "started": Count("pk"),
            "consent": Count("pk", filter=Q(Exists(consent))),
            "plan": Count("pk", filter=Q(Exists(goals))),
            "ended": Count("pk", filter=Q(family_work__status=FamilyWorkStatus.CLOSED)),
        },
    )
    columns = [
        Column("started", str(_("Startade"))),
        Column("consent", str(_("Med samtycke"))),
        share("consent_share", str(_("Andel med samtycke")), "consent", "started"),
        Column("plan", str(_("Med familjeplan"))),
        share("plan_share", str(_("Andel med familjeplan")), "plan", "started"),
        Column("ended", str(_("Avslutade"))),
    ]
    title = str(_("Familjeärenden"))
    rows = slots(by, scope, period)
    return [build(DEFINITION.key, title, by, columns, rows, found, definition=str(TEXT))]


DEFINITION = register(
    Definition(
        key="family_work",
        title=str(_("Familjeärenden: startade, med samtycke, med plan")),
        text=str(TEXT),
        legal="",
        breakdowns=("period", "unit", "unit_type"),
        compute=compute,
    )
)
