"""The equality breakdowns of the figures (sex, age band, parent's problem area), as
database expressions and rows, beside the common ones of
kinsight.followup.figures.grouping (period, unit, unit type).

``key_and_slots(by, ...)`` gives, for any breakdown, the expression a definition's
one grouped query groups by and the rows (key, label) its table shows.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Expression, F, IntegerField, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import UnitType
from kinsight.followup.figures import Period, Scope
from kinsight.followup.figures.grouping import Slots, key_expression, slots
from kinsight.people.models import Sex

# The parent's problem area, from the unit type of the parent's case (docs/concepts.md).
PROBLEM_AREAS = {
    "addiction": _("Missbruk och beroende"),
    "mental_health": _("Psykisk ohälsa"),
    "violence": _("Våld"),
    "other": _("Annat"),
}
AREA_OF_UNIT_TYPE = {
    str(UnitType.ADULTS_ADDICTION): "addiction",
    str(UnitType.SOCIAL_PSYCHIATRY): "mental_health",
    str(UnitType.VIOLENCE): "violence",
}
AGE_BANDS = {"0-6": _("0–6 år"), "7-12": _("7–12 år"), "13-17": _("13–17 år")}


def problem_area(unit_type: str) -> str:
    """The parent's problem area of a case in a unit of ``unit_type``: addiction units
    give missbruk, social psychiatry psykisk ohälsa, violence våld, the rest annat."""
    return AREA_OF_UNIT_TYPE.get(str(unit_type), "other")


def problem_area_expression(unit_type_field: str) -> Expression:
    """``problem_area`` in the database."""
    whens = [
        When(**{unit_type_field: unit_type}, then=Value(problem_area(unit_type)))
        for unit_type in AREA_OF_UNIT_TYPE
    ]
    return Case(*whens, default=Value("other"), output_field=CharField())


def age_on(day: str, birth_date: str, birth_year: str) -> Expression:
    """Whole years on the date in field ``day``: from the birth date when known, else
    the year of ``day`` minus the birth year (the records keep an approximate age)."""
    before_birthday = LessThan(
        ExtractMonth(day) * 100 + ExtractDay(day),
        ExtractMonth(birth_date) * 100 + ExtractDay(birth_date),
    )
    by_date = (
        ExtractYear(day)
        - ExtractYear(birth_date)
        - Case(When(before_birthday, then=Value(1)), default=Value(0))
    )
    return Case(
        When(**{f"{birth_date}__isnull": False}, then=by_date),
        default=ExtractYear(day) - F(birth_year),
        output_field=IntegerField(),
    )


def age_band_expression(age: str) -> Expression:
    """The band (0-6, 7-12, 13-17) of the age in annotation ``age``; "" outside them."""
    return Case(
        When(LessThan(F(age), 0), then=Value("")),
        When(LessThan(F(age), 7), then=Value("0-6")),
        When(LessThan(F(age), 13), then=Value("7-12")),
        When(LessThan(F(age), 18), then=Value("13-17")),
        default=Value(""),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Fields:
    """Where a definition's rows keep what the breakdowns group by."""

    day: str  # the date that puts a row in a period bucket
    unit: str  # the unit the row counts in (a foreign key to OrgUnit)
    sex: str = ""  # the path to the person's sex
    age: str = ""  # an annotation with the age (age_on) on ``day``
    problem_area: bool = False  # whether the parent's problem area applies

    @property
    def breakdowns(self) -> tuple[str, ...]:
        found = ["period", "unit", "unit_type"]
        found += ["sex"] if self.sex else []
        found += ["age_band"] if self.age else []
        found += ["problem_area"] if self.problem_area else []
        return tuple(found)


# The same words as the October survey's rows (kinsight.followup.october).
UNKNOWN_LABELS = {"sex": _("Kön ej angivet"), "age": _("Okänd ålder")}


def key_and_slots(
    by: str, fields: Fields, scope: Scope, period: Period
) -> tuple[Expression, Slots]:
    """The grouping expression of breakdown ``by`` and the rows its table shows (an
    unknown age, when found, is added by grouping.table as "other": other_label)."""
    if by == "sex":  # Sex has "other" (annat): the unknown is a row of its own
        known = When(**{f"{fields.sex}__in": Sex.values}, then=F(fields.sex))
        key = Case(known, default=Value("unknown"), output_field=CharField())
        sexes = [(str(value), str(label)) for value, label in Sex.choices]
        return key, [*sexes, ("unknown", str(UNKNOWN_LABELS["sex"]))]
    if by == "age_band":
        return age_band_expression(fields.age), [(k, str(v)) for k, v in AGE_BANDS.items()]
    if by == "problem_area":
        area = problem_area_expression(f"{fields.unit}__unit_type")
        return area, [(k, str(v)) for k, v in PROBLEM_AREAS.items()]
    unit = f"{fields.unit}_id" if by == "unit" else fields.unit
    return key_expression(by, period, date=fields.day, unit=unit), slots(by, scope, period)


def other_label(by: str) -> str:
    """The label of the row grouping.table adds for keys outside the slots: only an
    unknown age (sex and problem area have every key as a slot; "other" is one)."""
    return str(UNKNOWN_LABELS["age"]) if by == "age_band" else ""
