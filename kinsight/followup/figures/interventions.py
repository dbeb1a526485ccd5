"""Interventions given (insatser), by type and provider, and placements by kind.

An intervention is given when a family plan's intervention starts in the period
(PlanIntervention.start_on), counted at its responsible unit; its type is the target
group of the catalogue's intervention (child, parent, couple, family) and its provider
the catalogue's provider kind (own unit, another unit of the municipality, external).
A placement is counted when it starts in the period, at its responsible unit, by kind.
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.grouping import counted, in_period, key_expression, slots, table
from kinsight.followup.tables import Column, Table
from kinsight.interventions.models import (
    Placement,
    PlacementKind,
    PlanIntervention,
    ProviderKind,
    Target,
)

TEXT = _(
    "Insatser i familjeplaner som startat under perioden, hos den ansvariga enheten, "
    "efter insatsens målgrupp (typ) och utförare enligt insatskatalogen (egen enhet, "
    "annan enhet i kommunen, extern utförare). Placeringar som startat under perioden, "
    "hos den ansvariga enheten, efter placeringsform."
)


def _columns(choices: type[ProviderKind] | type[PlacementKind], field: str) -> tuple:
    columns = [Column(str(v), str(label)) for v, label in choices.choices]
    parts = tuple(c.key for c in columns)
    columns.append(Column("total", str(_("Totalt")), parts=parts))
    aggregates = {str(v): Count("pk", filter=Q(**{field: v})) for v in choices.values}
    return columns, aggregates | {"total": Count("pk")}


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    common = {"municipality_id": scope.municipality_id, "responsible_unit_id__in": scope.unit_ids}
    given = PlanIntervention.objects.filter(**common, **in_period("start_on", period))
    placed = Placement.objects.filter(**common, **in_period("start_on", period))
    key = key_expression(by, period, date="start_on", unit="responsible_unit")
    providers, by_provider = _columns(ProviderKind, "intervention__provider_kind")
    kinds, by_kind = _columns(PlacementKind, "kind")
    rows = slots(by, scope, period)
    types = [(str(v), str(label)) for v, label in Target.choices]
    text = str(TEXT)
    return [
        table(
            "interventions",
            str(_("Insatser efter utförare")),
            by,
            providers,
            rows,
            counted(given, key, by_provider),
            definition=text,
        ),
        table(
            "interventions_by_type",
            str(_("Insatser efter typ och utförare")),
            str(_("Målgrupp")),
            providers,
            types,
            counted(given, F("intervention__target"), by_provider),
            definition=text,
        ),
        table(
            "placements",
            str(_("Placeringar efter form")),
            by,
            kinds,
            rows,
            counted(placed, key, by_kind),
            definition=text,
        ),
    ]


DEFINITION = register(
    Definition(
        key="interventions",
        title=str(_("Insatser efter typ och utförare")),
        text=str(TEXT),
        legal="",
        breakdowns=("period", "unit", "unit_type"),
        compute=compute,
    )
)
