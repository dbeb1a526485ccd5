"""The figures (nyckeltal) of the follow-up: one definition each, computed by one query,
returned as tables (kinsight.followup.tables) that the page, the CSV, the Excel workbook,
the annual report and the API all use.

A definition is registered here by its module (``register``). ``compute(scope, period,
by)`` returns the definition's tables for the units of ``scope`` over ``period``,
broken down ``by`` one of the dimensions the definition lists in ``breakdowns``:

- ``period``: one row per month, quarter or year of the period (the trend);
- ``unit``, ``unit_type``: one row per unit or unit type of the scope;
- ``sex``, ``age_band``, ``problem_area``: the equality breakdowns, where they apply.

Every table has a total row when its rows add up. Scope is always what the actor may
see (``Scope.for_actor``): a unit manager their units, a head of services their subtree.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.utils.translation import gettext_lazy as _

from kinsight.core.models import OrgUnit, User
from kinsight.followup.minimum_level import add_months, month_end, month_start
from kinsight.followup.tables import Table

STEPS = {"month": 1, "quarter": 3, "year": 12}
BREAKDOWNS = {
    "period": _("Period"),
    "unit": _("Enhet"),
    "unit_type": _("Enhetstyp"),
    "sex": _("Kön"),
    "age_band": _("Åldersgrupp"),
    "problem_area": _("Förälderns problemområde"),
}


@dataclass(frozen=True)
class Period:
    """From the first day of ``first``'s month to the last day of ``last``'s month, in
    steps of a month, a quarter or a year (quarters and years start in Jan/Apr/Jul/Oct
    and January)."""

    first: datetime.date
    last: datetime.date
    step: str = "month"

    @classmethod
    def year(cls, year: int, step: str = "month") -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), step)

    @property
    def start(self) -> datetime.date:
        return month_start(self.first)

    @property
    def end(self) -> datetime.date:
        return month_end(self.last)

    def buckets(self) -> list[tuple[datetime.date, datetime.date, str]]:
        """(first day, last day, label) of each step, oldest first."""
        months = STEPS[self.step]
        start = month_start(self.first)
        start = start.replace(month=(start.month - 1) // months * months + 1)
        found = []
        while start <= self.end:
            last = month_end(add_months(start, months - 1))
            found.append((start, last, self._label(start)))
            start = add_months(start, months)
        return found

    def _label(self, start: datetime.date) -> str:
        if self.step == "year":
            return str(start.year)
        if self.step == "quarter":
            return f"{start.year} kv{(start.month - 1) // 3 + 1}"
        return f"{start:%Y-%m}"


@dataclass(frozen=True)
class Scope:
    """The units whose figures are asked for, all of them ones the actor may see."""

    municipality_id: int
    units: tuple[OrgUnit, ...]
    label: str

    @property
    def unit_ids(self) -> list[int]:
        return [unit.pk for unit in self.units]

    @classmethod
    def for_actor(
        cls, actor: User, *, unit: OrgUnit | None = None, unit_type: str = "", label: str = ""
    ) -> "Scope":
        from kinsight.followup.queries import scope_units

        units = scope_units(actor, unit=unit, unit_type=unit_type)
        return cls(actor.municipality_id or 0, tuple(units), label or str(unit or ""))


@dataclass(frozen=True)
class Definition:
    key: str
    title: str
    text: str  # the definition, in words, for the appendix and the help text
    legal: str  # the legal reference, if any
    breakdowns: tuple[str, ...]
    compute: Callable[[Scope, Period, str], list[Table]]
    # The goal of a share column (column key: 0..1), drawn as a line on the chart.
    goals: dict[str, float] = field(default_factory=dict)


REGISTRY: dict[str, Definition] = {}


def register(definition: Definition) -> Definition:
    REGISTRY[definition.key] = definition
    return definition


# The modules that register definitions, imported when the app is ready (each helper of a
# new definition adds its module here).
MODULES: list[str] = [
    "kinsight.followup.figures.minimum_level",
    "kinsight.followup.figures.concern_reports",
    "kinsight.followup.figures.children_next_of_kin",
    "kinsight.followup.figures.october",
    "kinsight.followup.figures.young_carers",
    "kinsight.followup.figures.family_work",
    "kinsight.followup.figures.interventions",
    "kinsight.followup.figures.support_groups",
]


def load() -> None:
    for name in MODULES:
        import_module(name)
