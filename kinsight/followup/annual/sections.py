"""What an annual report holds: one section per registered figure definition
(kinsight.followup.figures.REGISTRY) in the order of ``ORDER`` (definitions it does not
name follow by key), each with the head of services' text, the trend by month and the
year by unit, every table published (small counts hidden, kinsight.followup.tables).

Each definition costs the statements its ``compute`` costs (a fixed number), so the
report costs a fixed number per definition whatever the size of the municipality.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from kinsight.access.roles import ids_under
from kinsight.core.models import OrgUnit, User
from kinsight.followup import figures
from kinsight.followup.figures import Definition, Period, Scope
from kinsight.followup.queries import scope_units
from kinsight.followup.tables import Table

# The sections' order in the report; keys not listed follow in the order of their keys.
ORDER = [
    "minimum_level",
    "children_next_of_kin",
    "young_carers_interpreting",
    "concern_reports",
    "october",
    "family_work",
    "interventions",
    "support_groups",
]


@dataclass
class Section:
    key: str
    title: str
    definition: str
    legal: str
    text: str = ""  # the head of services' text for the year and scope
    trend: list[Table] = field(default_factory=list)  # by month
    by_unit: list[Table] = field(default_factory=list)  # the year by unit

    @property
    def tables(self) -> list[Table]:
        return [*self.trend, *self.by_unit]


def definitions() -> list[Definition]:
    """The registered definitions in the report's order."""
    known = [figures.REGISTRY[key] for key in ORDER if key in figures.REGISTRY]
    rest = [figures.REGISTRY[key] for key in sorted(figures.REGISTRY) if key not in ORDER]
    return known + rest


def scope_of(actor: User, node: OrgUnit) -> Scope:
    """The units under ``node`` (itself included) whose figures ``actor`` may see: one
    query for the small organisation tree, one for the units."""
    under = ids_under(node)
    units = [unit for unit in scope_units(actor) if unit.pk in under]
    return Scope(actor.municipality_id or 0, tuple(units), node.name)


def section(definition: Definition, scope: Scope, year: int, text: str = "") -> Section:
    """One definition's section, its tables published."""
    found = Section(definition.key, definition.title, definition.text, definition.legal, text)
    if "period" in definition.breakdowns:
        tables = definition.compute(scope, Period.year(year, "month"), "period")
        found.trend = [table.published() for table in tables]
    if "unit" in definition.breakdowns:
        tables = definition.compute(scope, Period.year(year, "year"), "unit")
        found.by_unit = [table.published() for table in tables]
    return found


def sections(
    scope: Scope,
    year: int,
    texts: dict[str, str],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[Section]:
    """Every section of the report; ``progress(done, total)`` after each."""
    chosen = definitions()
    found = []
    for index, definition in enumerate(chosen, start=1):
        found.append(section(definition, scope, year, texts.get(definition.key, "")))
        progress(index, len(chosen))
    return found
