"""Words for the demo generators' invented texts that must fit the person: a child's
age band (no school for a two-year-old) and what a child calls a parent (no "mamma"
for a man). Synthetic data only; used by the family and assessment generators."""

from kinsight.people.models import Sex

INFANT, PRESCHOOL, SCHOOL, TEEN, ADULT = "infant", "preschool", "school", "teen", "adult"
SCHOOL_START_AGE = 6


def age_band(age):
    """infant (0–2), preschool (3–5), school (6–12), teen (13–17), adult; unknown: school."""
    if age is None:
        return SCHOOL
    if age < 3:
        return INFANT
    if age < SCHOOL_START_AGE:
        return PRESCHOOL
    if age < 13:
        return SCHOOL
    return TEEN if age < 18 else ADULT


def goes_to_school(age):
    return age is not None and SCHOOL_START_AGE <= age < 20


def parent_word(sex):
    """What a child calls this parent: mamma, pappa, or (sex not recorded) a word that
    fits anyone."""
    return {Sex.FEMALE: "mamma", Sex.MALE: "pappa"}.get(sex, "min förälder")


def parent_noun(sex):
    """The parent in the third person, definite: mamman, pappan, föräldern."""
    return {Sex.FEMALE: "mamman", Sex.MALE: "pappan"}.get(sex, "föräldern")
