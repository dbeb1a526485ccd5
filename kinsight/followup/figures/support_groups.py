"""Support groups (stödgrupper): reach and effect, from the groups app.

Scope: the groups are held per district (Cycle.district), not per unit; a scope
covers the cycles held in the districts its units belong to (or in one of its units).
A head of services of the administration thus sees every district's groups; a unit
manager those of the unit's district. Reach: participants of cycles starting in the
period who took part (kinsight.groups.queries.reached: the waiting list not counted),
anonymous ones counted. Effect: per instrument, before against after
(kinsight.groups.queries.effect_of): participants with both measurements, the mean
change with its 95 % interval and the share reliably improved; below the minimum
number of pairs only the counts. No groups in the scope: empty tables that say so.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Count, Expression, F, Q
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.models import Instrument
from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.equality import Fields, key_and_slots, other_label
from kinsight.followup.figures.grouping import Slots, counted, table
from kinsight.followup.tables import Column, Row, Table
from kinsight.groups.effect import IMPROVED
from kinsight.groups.models import AgeBand, Measurement, Point, TargetGroup
from kinsight.groups.queries import effect_of, reach_rows, reached

TEXT = _(
    "Deltagare i stödgrupper som startat under perioden i områdena där enheterna ligger "
    "(väntelistan räknas inte), anonyma deltagare medräknade, efter utförare, område och "
    "målgrupp. Effekt per instrument: deltagare med mätning både före och efter, "
    "medelförändringen med 95 % konfidensintervall och andelen med tillförlitlig "
    "förbättring; under minsta antal par visas bara antal."
)
FIELDS = Fields(day="cycle__start_on", unit="cycle__district", sex="sex")
NO_DATA = _("Det finns inga stödgrupper med deltagare i urvalet under perioden.")
NO_EFFECT = _("Det finns inga mätningar före och efter i urvalet under perioden.")


def participants(scope: Scope, period: Period):
    districts = {unit.parent_id for unit in scope.units} | set(scope.unit_ids)
    return reached(scope.municipality_id, period.start, period.end).filter(
        cycle__district_id__in=districts
    )


def _reach(scope: Scope, period: Period, by: str) -> Table:
    if by == "age_band":  # the groups' own bands, as the participant is recorded
        key: Expression | F = F("age_band")
        rows = [(str(v), str(label)) for v, label in AgeBand.choices]
    else:
        key, rows = key_and_slots(by, FIELDS, scope, period)
    columns = [
        Column("participants", str(_("Deltagare"))),
        Column("anonymous", str(_("– anonyma"))),
        Column("completed", str(_("Fullföljt"))),
        Column("dropped", str(_("Avbrutit"))),
    ]
    found = counted(
        participants(scope, period),
        key,
        {
            "participants": Count("pk"),
            "anonymous": Count("pk", filter=Q(person__isnull=True)),
            "completed": Count("pk", filter=Q(status="completed")),
            "dropped": Count("pk", filter=Q(status="dropped")),
        },
    )
    title = str(_("Stödgrupper: deltagare"))
    made = table("support_groups_reach", title, by, columns, rows, found, other=other_label(by))
    return _noted(made, NO_DATA if not found else "")


def _by_provider(scope: Scope, period: Period) -> Table:
    found: Slots = []
    values: dict[str, dict[str, int]] = {}
    for row in reach_rows(participants(scope, period)):
        label = " – ".join(
            str(row[k] or "") for k in ("cycle__programme__provider__name", "cycle__district__name")
        )
        key = f"{len(found)}"
        target = TargetGroup(row["cycle__programme__target_group"]).label
        found.append((key, f"{label} – {target}"))
        values[key] = {"participants": row["total"], "anonymous": row["anonymous"]}
    columns = [
        Column("participants", str(_("Deltagare"))),
        Column("anonymous", str(_("– anonyma"))),
    ]
    made = table(
        "support_groups_providers",
        str(_("Stödgrupper: deltagare per utförare, område och målgrupp")),
        str(_("Utförare – område – målgrupp")),
        columns,
        found,
        values,
    )
    return _noted(made, NO_DATA if not found else "")


def _effect(scope: Scope, period: Period) -> Table:
    rows = Measurement.objects.filter(
        participant__in=participants(scope, period), point__in=[Point.BEFORE, Point.AFTER]
    ).values_list(
        "instrument_id",
        "participant_id",
        "point",
        "total_score",
        "answers",
        "participant__person_id",
    )
    by_instrument: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for instrument_id, *measured in rows:
        by_instrument[instrument_id].append(tuple(measured))
    instruments = Instrument.objects.in_bulk(list(by_instrument)) if by_instrument else {}
    columns = [
        Column("measured_before", str(_("Mätta före"))),
        Column("pairs", str(_("Före och efter"))),
        Column("anonymous_pairs", str(_("– anonyma"))),
        Column("change", str(_("Medelförändring")), kind="number", depends=("pairs",)),
        Column("change_low", str(_("95 % KI, nedre")), kind="number", depends=("pairs",)),
        Column("change_high", str(_("95 % KI, övre")), kind="number", depends=("pairs",)),
        Column("improved", str(_("Andel förbättrade")), kind="share", depends=("pairs",)),
    ]
    made = Table(
        key="support_groups_effect",
        title=str(_("Stödgrupper: effekt före–efter")),
        row_label=str(_("Instrument")),
        columns=columns,
        rows=[],
        definition=str(TEXT),
    )
    for pk in sorted(by_instrument, key=lambda pk: str(instruments[pk])):
        report = effect_of(instruments[pk], Point.AFTER, by_instrument[pk])
        values: dict[str, int | float | None] = {
            "measured_before": report.measured_before,
            "pairs": report.pairs,
            "anonymous_pairs": report.anonymous_pairs,
        }
        if report.effect is not None:
            change = report.effect.change
            values |= {"change": change.estimate, "change_low": change.low}
            values["change_high"] = change.high
        if report.reliable is not None and report.pairs:
            values["improved"] = report.reliable.count(IMPROVED) / report.pairs
        made.rows.append(Row(str(pk), str(instruments[pk]), values))
    return _noted(made, NO_EFFECT if not by_instrument else "")


def _noted(made: Table, note: Any) -> Table:
    """A table with nothing to show says so in its definition (never an error)."""
    if note:
        made.definition = f"{note} {TEXT}"
    else:
        made.definition = str(TEXT)
    return made


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    return [_reach(scope, period, by), _by_provider(scope, period), _effect(scope, period)]


DEFINITION = register(
    Definition(
        key="support_groups",
        title=str(_("Stödgrupper: räckvidd och effekt")),
        text=str(TEXT),
        legal="",
        breakdowns=("period", "age_band", "sex"),
        compute=compute,
    )
)
