"""The minimum level (miniminivå) as tables: children of parents with an open case,
attended, the share attended; parents whose child question is unknown or unanswered.

A figure of the state at the end of a month, read from the rollup
(``MinimumLevelMonth``, kept by ``services.minimum_level_rollup``; the running month
live) through ``queries.monthly_by_unit``, never recomputed here. By period: each
bucket's last month (a quarter is its last month; the running month as of today). By
unit and unit type: the last month of the period. The definitions are those of
kinsight.followup.minimum_level.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.figures.grouping import share, slots, table
from kinsight.followup.minimum_level import Figures, month_start
from kinsight.followup.models import MinimumLevelMonth
from kinsight.followup.tables import Column, Table

TEXT = _(
    "Barn till föräldrar med öppet ärende i enheten vid månadens slut, under 18 år, och "
    "hur många av dem som uppmärksammats (föräldern har fått samtal om barnets situation "
    "och barnet information, eller det inte är tillämpligt). Föräldrar med okänt svar "
    "eller utan svar på barnfrågan. Per period: läget vid periodens sista månad; per enhet "
    "och enhetstyp: vid den valda periodens sista månad."
)


def _values(figures: Figures) -> dict[str, int]:
    return {
        "children": figures.children,
        "attended": figures.attended,
        "not_attended": figures.not_attended,
        "unknown_parents": figures.unknown_parents,
        "unanswered_parents": figures.unanswered_parents,
    }


def _sum(figures: list[Figures]) -> Figures:
    total = Figures()
    for one in figures:
        total.add(one)
    return total


def compute(scope: Scope, period: Period, by: str) -> list[Table]:
    from kinsight.followup.queries import monthly_by_unit

    today = timezone.localdate()
    this_month = month_start(today)
    buckets = [(start, min(month_start(last), this_month)) for start, last, _l in period.buckets()]
    buckets = [(start, month) for start, month in buckets if start <= this_month]
    last = min(month_start(period.end), this_month)
    months = sorted({month for _start, month in buckets} | {last})
    rows = MinimumLevelMonth.objects.filter(municipality_id=scope.municipality_id)
    per_month, _live, _kept = monthly_by_unit(
        rows, scope.municipality_id, scope.unit_ids, months, today
    )
    found: dict[str, dict[str, int]] = {}
    if by == "period":
        for start, month in buckets:
            found[start.isoformat()] = _values(_sum(list(per_month[month].values())))
        shown = [slot for slot in slots(by, scope, period) if slot[0] in found]
    elif by == "unit":
        for unit_id, figures in per_month[last].items():
            found[str(unit_id)] = _values(figures)
        shown = slots(by, scope, period)
    elif by == "unit_type":
        types = {unit.pk: unit.unit_type for unit in scope.units}
        for unit_id, figures in per_month[last].items():
            found.setdefault(types[unit_id], _values(Figures()))
            for key, value in _values(figures).items():
                found[types[unit_id]][key] += value
        shown = slots(by, scope, period)
    else:
        raise ValueError(by)
    made = table("minimum_level", str(_("Miniminivån")), by, _columns(), shown, found)
    made.definition = str(TEXT)
    if by == "period":
        made.total = None  # a state at month ends: the months do not add up
    return [made]


def _columns() -> list[Column]:
    return [
        Column("children", str(_("Barn")), parts=("attended", "not_attended")),
        Column("attended", str(_("Uppmärksammade"))),
        Column("not_attended", str(_("Ej uppmärksammade"))),
        share("attended_share", str(_("Andel uppmärksammade")), "attended", "children"),
        Column("unknown_parents", str(_("Föräldrar med okänt svar"))),
        Column("unanswered_parents", str(_("Föräldrar utan svar"))),
    ]


DEFINITION = register(
    Definition(
        key="minimum_level",
        title=str(_("Miniminivån: barn som anhöriga som uppmärksammats")),
        text=str(TEXT),
        legal="support-next-of-kin",
        breakdowns=("period", "unit", "unit_type"),
        compute=compute,
        goals={"attended_share": 1.0},
    )
)
