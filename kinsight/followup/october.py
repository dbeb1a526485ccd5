"""The October survey (oktoberkartläggningen), derived from the data instead of typed.

On a census date, every adult 20 or older (on that date; or of unknown age) with a case
open on the date (``open_on_q``) in a unit of the chosen unit types (default: adult
addiction) is counted with the survey's questions, as the child question stood at the
end of the census date (``answer_on``: an answer given later does not count):

- has children under 18: yes / no / unknown / not asked (no answer by then);
- expecting a child: the answer "yes" to the expected-child question by then;
- lives with them (for those who answered yes): "full" when a child under 18 on the
  census date lives with them full time (people.Relationship LIVES_WITH_FULL from the
  child to the parent, valid on the date), else "part" (part time or alternating), else
  "not" (no child recorded as living with them: the children live elsewhere).

Counting persons, not cases: a person is counted once per unit (with the most telling
answer of their cases there: yes, then no, then unknown, then not asked), and once in
the total, sex and age-band tables (with the most telling answer of all their cases in
the scope). So a parent with open cases in two units is in both unit rows and once in
the total: the unit rows may add up to more than the total.

The counting is done in the database: one statement for the unit rows and one for the
persons (sex x age band, giving the total), whatever the number of cases.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Case as When_
from django.db.models import Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.cases.models import Case
from kinsight.core.models import UnitType
from kinsight.followup.figures import Scope
from kinsight.followup.minimum_level import _years_before, adult_on_q, answer_on, open_on_q
from kinsight.followup.tables import TOTAL, Column, Row, Table
from kinsight.people.models import RelationKind, Relationship, Sex

DEFAULT_UNIT_TYPES = (UnitType.ADULTS_ADDICTION.value,)
MIN_AGE = 20
# (key, label) in the order of the table; the rank is the index: the higher, the
# more telling the answer (a person's answer over several cases is the highest).
ANSWERS = (
    ("not_asked", gettext_lazy("Ej tillfrågad")),
    ("unknown", gettext_lazy("Okänt")),
    ("no", gettext_lazy("Nej")),
    ("yes", gettext_lazy("Ja")),
)
RANK = {key: rank for rank, (key, _label) in enumerate(ANSWERS)}
# Not yet asked and unknown: the answers the survey is there to fix (the drill-down).
TO_FIX = ("unknown", "not_asked")
LIVING = (
    ("not_living", gettext_lazy("Bor inte hos föräldern")),
    ("part", gettext_lazy("Deltid eller växelvis")),
    ("full", gettext_lazy("Heltid")),
)
BANDS = ((20, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))
UNKNOWN_AGE = "unknown"
SEXES = (*Sex.choices, ("", gettext_lazy("Kön ej angivet")))


def last_october(today: datetime.date) -> datetime.date:
    """The last 31 October on or before ``today``."""
    this_year = datetime.date(today.year, 10, 31)
    return this_year if this_year <= today else this_year.replace(year=today.year - 1)


def band_key(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


# The expressions, per case ------------------------------------------------------------


def _rank(census: datetime.date) -> When_:
    answer = answer_on(census)
    whens = [When(Exact(answer, Value(key)), then=Value(RANK[key])) for key in ("yes", "no")]
    whens.append(When(Exact(answer, Value("unknown")), then=Value(RANK["unknown"])))
    return When_(*whens, default=Value(RANK["not_asked"]), output_field=IntegerField())


def _expecting(census: datetime.date) -> When_:
    answer = answer_on(census, field="expecting_child")
    return When_(
        When(Exact(answer, Value("yes")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _lives_with(census: datetime.date, kinds: Iterable[str]) -> Exists:
    """A child under 18 on ``census`` lives with the case's person by one of ``kinds``."""
    adult = _years_before(census, 18)
    child = Q(from_person__birth_date__gt=adult, from_person__birth_date__lte=census) | Q(
        from_person__birth_date__isnull=True,
        from_person__approximate_birth_year__gt=census.year - 18,
    )
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=census)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=census)
    )
    return Exists(
        Relationship.objects.filter(
            to_person_id=OuterRef("person_id"), kind__in=list(kinds)
        ).filter(child, valid)
    )


def _living(census: datetime.date) -> When_:
    part = (RelationKind.LIVES_WITH_PART, RelationKind.LIVES_WITH_ALTERNATING)
    return When_(
        When(_lives_with(census, [RelationKind.LIVES_WITH_FULL]), then=Value(2)),
        When(_lives_with(census, part), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _band(census: datetime.date) -> When_:
    """The age band on ``census`` (the cases are already of persons 20+)."""
    by_date = [
        When(person__birth_date__gt=_years_before(census, high + 1), then=Value(band_key(lo, high)))
        for lo, high in BANDS
        if high is not None
    ]
    by_year = [
        When(
            person__birth_date__isnull=True,
            person__approximate_birth_year__gt=census.year - high - 1,
            then=Value(band_key(lo, high)),
        )
        for lo, high in BANDS
        if high is not None
    ]
    oldest = band_key(*BANDS[-1])
    return When_(
        *by_date,
        When(person__birth_date__isnull=False, then=Value(oldest)),
        *by_year,
        When(person__approximate_birth_year__isnull=False, then=Value(oldest)),
        default=Value(UNKNOWN_AGE),
    )


def surveyed_cases(
    scope: Scope, census: datetime.date, unit_types: Sequence[str]
) -> QuerySet[Case]:
    """The cases the survey counts: open on ``census``, of adults 20+ then, in the
    scope's units of ``unit_types``. No access check: the caller's scope is."""
    unit_ids = [unit.pk for unit in scope.units if unit.unit_type in unit_types]
    return Case.objects.filter(municipality_id=scope.municipality_id, unit_id__in=unit_ids).filter(
        open_on_q(census), adult_on_q(census, years=MIN_AGE)
    )


def cases_to_fix(cases: QuerySet[Case], census: datetime.date, answer: str) -> QuerySet[Case]:
    """Of ``cases``, those whose child question was ``answer`` (unknown / not_asked)
    at the end of ``census``: the cases behind those counts."""
    return cases.alias(answer_rank=_rank(census)).filter(answer_rank=RANK[answer])


# Counting -----------------------------------------------------------------------------

SUMS = {
    "adults": "COUNT(*)",
    **{key: f"SUM(CASE WHEN a_rank = {RANK[key]} THEN 1 ELSE 0 END)" for key, _l in ANSWERS},
    "expecting": "SUM(a_expecting)",
    **{
        key: f"SUM(CASE WHEN a_rank = {RANK['yes']} AND a_living = {value} THEN 1 ELSE 0 END)"
        for value, (key, _l) in enumerate(LIVING)
    },
}


def _counted(inner: QuerySet[Any], keys: Sequence[str]) -> dict[tuple[Any, ...], dict[str, int]]:
    """One statement: the per-person rows of ``inner`` (one row per person, or per
    unit and person) summed by ``keys``."""
    sql, params = inner.query.sql_with_params()
    sums = ", ".join(f"{expression} AS {key}" for key, expression in SUMS.items())
    grouped = f" GROUP BY {', '.join(keys)}" if keys else ""
    # Only our own names and expressions are formatted in; the values are parameters.
    statement = f"SELECT {''.join(k + ', ' for k in keys)}{sums} FROM ({sql}) AS persons{grouped}"  # noqa: S608
    with connections[inner.db].cursor() as cursor:
        cursor.execute(statement, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    found = {}
    for row in rows:
        values = dict(zip(names, row, strict=True))
        group = tuple(values.pop(key) for key in keys)
        found[group] = {k: int(v or 0) for k, v in values.items()}
    return found


def _persons(cases: QuerySet[Case], census: datetime.date, *keys: str) -> QuerySet[Any]:
    """One row per person (and unit when ``keys`` has g_unit) with the most telling
    answer of their cases, expecting and living, sex and age band."""
    group = {"g_person": F("person_id")}
    if "g_unit" in keys:
        group["g_unit"] = F("unit_id")
    return (
        cases.order_by()
        .values(**group)
        .annotate(
            a_rank=Max(_rank(census)),
            a_expecting=Max(_expecting(census)),
            a_living=Max(_living(census)),
            g_sex=Max("person__sex"),
            g_band=Max(_band(census)),
        )
    )


def _add(into: dict[str, int], values: dict[str, int]) -> dict[str, int]:
    for key, value in values.items():
        into[key] = into.get(key, 0) + value
    return into


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


def _with_shares(values: dict[str, Any], columns: Sequence[Column]) -> dict[str, Any]:
    values = dict(values)
    for column in columns:
        if column.kind == "share":
            part, whole = (values.get(key) or 0 for key in column.depends)
            values[column.key] = part / whole if whole else None
    return values


def _table(
    key: str,
    title: str,
    row_label: str,
    rows: Sequence[tuple[str, str, dict[str, int]]],
    columns: list[Column],
    total: dict[str, int],
    definition: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        row_label=row_label,
        columns=columns,
        rows=[Row(k, label, _with_shares(values, columns)) for k, label, values in rows],
        total=Row(TOTAL, _("Totalt (personer)"), _with_shares(total, columns)),
        definition=definition,
    )


def october_survey(
    *, scope: Scope, census: datetime.date, unit_types: Sequence[str] = DEFAULT_UNIT_TYPES
) -> list[Table]:
    """The survey's tables for ``census``: the questions by unit, by sex and by age
    band; lives-with by unit for those with children (two statements)."""
    cases = surveyed_cases(scope, census, unit_types)
    per_unit = _counted(_persons(cases, census, "g_unit"), ["g_unit"])
    per_person = _counted(_persons(cases, census), ["g_sex", "g_band"])
    by_sex: dict[str, dict[str, int]] = {}
    by_band: dict[str, dict[str, int]] = {}
    total: dict[str, int] = dict.fromkeys(SUMS, 0)
    for (sex, band), values in per_person.items():
        _add(by_sex.setdefault(sex or "", {}), values)
        _add(by_band.setdefault(band, {}), values)
        _add(total, values)
    units = [unit for unit in scope.units if unit.unit_type in unit_types]
    zero = dict.fromkeys(SUMS, 0)
    unit_rows = [(str(u.pk), u.name, per_unit.get((u.pk,), zero)) for u in units]
    bands = [band_key(*band) for band in BANDS]
    band_rows = [(b, b, by_band.get(b, zero)) for b in bands]
    if UNKNOWN_AGE in by_band:
        band_rows.append((UNKNOWN_AGE, _("Okänd ålder"), by_band[UNKNOWN_AGE]))
    sex_rows = [(value or "none", str(label), by_sex.get(value, zero)) for value, label in SEXES]
    text = definition_text(census, unit_types)
    specs = [
        ("october_unit", _("Barnfrågan per enhet"), _("Enhet"), unit_rows),
        ("october_sex", _("Barnfrågan per kön"), _("Kön"), sex_rows),
        ("october_age", _("Barnfrågan per åldersgrupp"), _("Åldersgrupp"), band_rows),
    ]
    tables = [_table(*spec, _question_columns(), total, text) for spec in specs]
    living = ("october_living", _("Bor barnen hos föräldern?"), _("Enhet"), unit_rows)
    return [*tables, _table(*living, _living_columns(), total, text)]


def october_compare(
    *,
    scope: Scope,
    first: datetime.date,
    second: datetime.date,
    unit_types: Sequence[str] = DEFAULT_UNIT_TYPES,
) -> Table:
    """The two rounds side by side: per answer the count and share of each, and the
    change in the share in percentage points (one statement per round)."""
    rounds = []
    for census in (first, second):
        found = _counted(_persons(surveyed_cases(scope, census, unit_types), census), [])
        rounds.append(found.get((), dict.fromkeys(SUMS, 0)))
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
        counts = [found[key] for found in rounds]
        shares = [
            n / found["adults"] if found["adults"] else None
            for n, found in zip(counts, rounds, strict=True)
        ]
        change = None
        if shares[0] is not None and shares[1] is not None:
            change = round(100 * (shares[1] - shares[0]), 1)
        return {
            "first": counts[0],
            "first_share": shares[0],
            "second": counts[1],
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
