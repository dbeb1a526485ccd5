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

A round (a census date and a set of unit types) is counted here from the cases, in one
statement (``count_round``), into counts per unit that hold no personal data
(``CountRow``); kinsight.followup.october_rounds keeps them, and
kinsight.followup.october_tables makes the tables from them.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db.models import Case as When_
from django.db.models import Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy

from kinsight.cases.models import Case
from kinsight.core.models import UnitType
from kinsight.followup.figures import Scope
from kinsight.followup.minimum_level import _years_before, adult_on_q, answer_on, open_on_q
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


# Counting a round -----------------------------------------------------------------------


class CountRow(NamedTuple):
    """Persons of a unit with one combination of the survey's dimensions. ``group`` 0:
    persons counted in this unit only; n > 0: the one person of group n, who has open
    surveyed cases in several units (a row per unit)."""

    unit: int
    sex: str
    band: str
    rank: int
    expecting: int
    living: int
    group: int
    persons: int


def _persons(cases: QuerySet[Case], census: datetime.date) -> QuerySet[Any]:
    """One row per unit and person with the most telling answer of their cases there,
    expecting and living, sex and age band."""
    return (
        cases.order_by()
        .values(g_person=F("person_id"), g_unit=F("unit_id"))
        .annotate(
            a_rank=Max(_rank(census)),
            a_expecting=Max(_expecting(census)),
            a_living=Max(_living(census)),
            g_sex=Max("person__sex"),
            g_band=Max(_band(census)),
        )
    )


def count_round(
    municipality_id: int, census: datetime.date, unit_types: Sequence[str]
) -> list[CountRow]:
    """The survey counted from the cases (one statement): every unit of ``unit_types``
    in the municipality, persons in one unit summed, persons in several units kept as
    numbered groups (so that any scope counts them once)."""
    cases = Case.objects.filter(
        municipality_id=municipality_id, unit__unit_type__in=list(unit_types)
    ).filter(open_on_q(census), adult_on_q(census, years=MIN_AGE))
    by_person: dict[int, list[tuple[int, str, str, int, int, int]]] = defaultdict(list)
    for row in _persons(cases, census):
        by_person[row["g_person"]].append(
            (
                row["g_unit"],
                row["g_sex"] or "",
                row["g_band"],
                row["a_rank"],
                row["a_expecting"],
                row["a_living"],
            )
        )
    single: Counter[tuple[int, str, str, int, int, int]] = Counter()
    groups: list[CountRow] = []
    number = 0  # the groups are numbered 1, 2, … in the round: not the person
    for person in sorted(by_person):
        units = by_person[person]
        if len(units) == 1:
            single[units[0]] += 1
            continue
        number += 1
        groups.extend(CountRow(*values, number, 1) for values in sorted(units))
    return [CountRow(*values, 0, n) for values, n in sorted(single.items())] + groups
