"""The October survey's tables, made from a round's counts (kinsight.followup.october
defines and counts the survey, kinsight.followup.october_rounds keeps the rounds).

Counting persons, not cases: a person is counted once per unit (with the most telling
answer of their cases there), and once in the total, sex and age-band tables (with the
most telling answer of all their cases in the scope's units). So a parent with open
cases in two units is in both unit rows and once in the total: the unit rows may add up
to more than the total. Two statements per table set or comparison, whatever the size
of the municipality (the kept round's rows grow with the units, not the persons).
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from kinsight.core.models import UnitType
from kinsight.followup.figures import Scope
from kinsight.followup.october import (
    ANSWERS,
    BANDS,
    DEFAULT_UNIT_TYPES,
    LIVING,
    RANK,
    SEXES,
    UNKNOWN_AGE,
    CountRow,
    band_key,
)
from kinsight.followup.october_rounds import round_counts
from kinsight.followup.tables import TOTAL, Column, Row, Table, with_shares

KEYS = ("adults", *(key for key, _l in ANSWERS), "expecting", *(key for key, _l in LIVING))
Values = dict[str, int]


def _zero() -> Values:
    return dict.fromkeys(KEYS, 0)


def _add(into: Values, rank: int, expecting: int, living: int, persons: int) -> Values:
    into["adults"] += persons
    into[ANSWERS[rank][0]] += persons
    into["expecting"] += persons * expecting
    if rank == RANK["yes"]:
        into[LIVING[living][0]] += persons
    return into


class _Counts:
    """A round's counts in a scope: per unit, and per person by sex and age band."""

    def __init__(self, rows: Iterable[CountRow]) -> None:
        self.units: dict[int, Values] = {}
        self.sexes: dict[str, Values] = {}
        self.bands: dict[str, Values] = {}
        self.total = _zero()
        groups: dict[int, list[CountRow]] = {}
        for row in rows:
            values = self.units.setdefault(row.unit, _zero())
            _add(values, row.rank, row.expecting, row.living, row.persons)
            if row.group:
                groups.setdefault(row.group, []).append(row)
            else:
                self._person(row, row.rank, row.expecting, row.living, row.persons)
        for group in groups.values():
            rank = max(row.rank for row in group)
            expecting = max(row.expecting for row in group)
            living = max(row.living for row in group)
            self._person(group[0], rank, expecting, living, 1)

    def _person(self, row: CountRow, rank: int, expecting: int, living: int, n: int) -> None:
        _add(self.sexes.setdefault(row.sex, _zero()), rank, expecting, living, n)
        _add(self.bands.setdefault(row.band, _zero()), rank, expecting, living, n)
        _add(self.total, rank, expecting, living, n)


def _counts(
    scope: Scope, censuses: Sequence[datetime.date], unit_types: Sequence[str]
) -> dict[datetime.date, _Counts]:
    unit_ids = [unit.pk for unit in scope.units if unit.unit_type in unit_types]
    found = round_counts(scope.municipality_id, censuses, unit_types, unit_ids)
    return {census: _Counts(found.get(census, [])) for census in censuses}


# Tables ---------------------------------------------------------------------------


def _question_columns() -> list[Column]:
    keys = tuple(key for key, _label in reversed(ANSWERS))
    return [
        Column("adults", _("Vuxna 20+"), parts=keys),
        *[Column(key, str(label)) for key, label in reversed(ANSWERS)],
        Column("share_unknown", _("Andel okänt"), "share", depends=("unknown", "adults")),
        Column(
            "share_not_asked", _("Andel ej tillfrågade"), "share", depends=("not_asked", "adults")
        ),
        Column("expecting", _("Väntar barn")),
    ]


def _living_columns() -> list[Column]:
    keys = tuple(key for key, _label in reversed(LIVING))
    return [
        Column("yes", _("Har barn under 18"), parts=keys),
        *[Column(key, str(label)) for key, label in reversed(LIVING)],
    ]


def _table(
    key: str,
    title: str,
    row_label: str,
    rows: Sequence[tuple[str, str, Values]],
    columns: list[Column],
    total: Values,
    definition: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        row_label=row_label,
        columns=columns,
        rows=[Row(k, label, with_shares(values, columns)) for k, label, values in rows],
        total=Row(TOTAL, _("Totalt (personer)"), with_shares(total, columns)),
        definition=definition,
    )


def october_survey(
    *, scope: Scope, census: datetime.date, unit_types: Sequence[str] = DEFAULT_UNIT_TYPES
) -> list[Table]:
    """The survey's tables for ``census``: the questions by unit, by sex and by age
    band; lives-with by unit for those with children."""
    counts = _counts(scope, [census], unit_types)[census]
    zero = _zero()
    units = [unit for unit in scope.units if unit.unit_type in unit_types]
    unit_rows = [(str(u.pk), u.name, counts.units.get(u.pk, zero)) for u in units]
    band_rows = [(band_key(*b), band_key(*b), counts.bands.get(band_key(*b), zero)) for b in BANDS]
    if UNKNOWN_AGE in counts.bands:
        band_rows.append((UNKNOWN_AGE, _("Okänd ålder"), counts.bands[UNKNOWN_AGE]))
    sex_rows = [
        (value or "none", str(label), counts.sexes.get(value, zero)) for value, label in SEXES
    ]
    text = definition_text(census, unit_types)
    specs = [
        ("october_unit", _("Barnfrågan per enhet"), _("Enhet"), unit_rows),
        ("october_sex", _("Barnfrågan per kön"), _("Kön"), sex_rows),
        ("october_age", _("Barnfrågan per åldersgrupp"), _("Åldersgrupp"), band_rows),
    ]
    tables = [_table(*spec, _question_columns(), counts.total, text) for spec in specs]
    living = ("october_living", _("Bor barnen hos föräldern?"), _("Enhet"), unit_rows)
    return [*tables, _table(*living, _living_columns(), counts.total, text)]


def october_compare(
    *,
    scope: Scope,
    first: datetime.date,
    second: datetime.date,
    unit_types: Sequence[str] = DEFAULT_UNIT_TYPES,
) -> Table:
    """The two rounds side by side: per answer the count and share of each, and the
    change in the share in percentage points."""
    counts = _counts(scope, [first, second], unit_types)
    rounds = [counts[first].total, counts[second].total]
    columns = [
        Column("first", first.isoformat()),
        Column("first_share", _("Andel %(date)s") % {"date": first}, "share", depends=("first",)),
        Column("second", second.isoformat()),
        Column(
            "second_share", _("Andel %(date)s") % {"date": second}, "share", depends=("second",)
        ),
        Column("change", _("Förändring (procentenheter)"), "number", depends=("first", "second")),
    ]

    def values(key: str) -> dict[str, Any]:
        found = [total[key] for total in rounds]
        shares = [
            n / total["adults"] if total["adults"] else None
            for n, total in zip(found, rounds, strict=True)
        ]
        change = None
        if shares[0] is not None and shares[1] is not None:
            change = round(100 * (shares[1] - shares[0]), 1)
        return {
            "first": found[0],
            "first_share": shares[0],
            "second": found[1],
            "second_share": shares[1],
            "change": change,
        }

    return Table(
        key="october_compare",
        title=_("Oktoberkartläggningen %(first)s och %(second)s")
        % {"first": first, "second": second},
        row_label=_("Har barn under 18"),
        columns=columns,
        rows=[Row(key, str(label), values(key)) for key, label in reversed(ANSWERS)],
        total=Row(TOTAL, _("Vuxna 20+"), values("adults")),
        definition=definition_text(second, unit_types),
    )


def definition_text(census: datetime.date, unit_types: Sequence[str]) -> str:
    labels = dict(UnitType.choices)
    types = ", ".join(str(labels.get(value, value)) for value in unit_types)
    return _(
        "Vuxna 20 år eller äldre med ett ärende öppet %(census)s i enheter av typen "
        "%(types)s, med barnfrågan som den var besvarad vid dagens slut (svar som gavs "
        "senare räknas inte). En person räknas en gång per enhet och en gång i totalen."
    ) % {"census": census.isoformat(), "types": types}
