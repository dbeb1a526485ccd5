"""A small known world for the October survey (census 2026-10-31, earlier round
2024-10-31), in two addiction units A (the fixtures' adult unit) and B:

- Anna (f, 41): A, yes since 2024-06-01, expecting; Kim lives with her full time.
- Bo (m, 26; 24 in 2024): A, unknown since 2026-03-01 (not asked in 2024).
- Cecilia (f, 36): A, opened 2026-10-01, never answered: not asked.
- Dan (m, 56): A no since 2023; B (opened 2026-04-01) yes; Lo lives with him alternately.
  A parent in two units: in A as "no", in B as "yes", once in the total as "yes".
- Eva (f, 46): A, answered yes on 2026-11-05, after the census: not asked.
- Ida (f, 51): B, yes; her child lives with someone else: "not".
- Filip (19): A, yes: too young, not counted.
- Gun (f, 66): A, closed 2026-09-30: not counted.
- Hugo: in the children-and-youth unit, unknown: not a surveyed unit type.
"""

import datetime

from kinsight.core.models import NodeKind, OrgUnit, UnitType
from kinsight.detection.models import ChildQuestion, ChildQuestionAnswer
from kinsight.people.models import RelationKind
from tests.followup import factories as ff
from tests.people import factories as pf

CENSUS = datetime.date(2026, 10, 31)
EARLIER = datetime.date(2024, 10, 31)
D = datetime.date


def build(municipality, org, worker):
    a = org["units"][UnitType.ADULTS_ADDICTION]
    b = OrgUnit.objects.create(
        municipality=municipality,
        parent=org["district"],
        kind=NodeKind.UNIT,
        unit_type=UnitType.ADULTS_ADDICTION,
        name="Beroende Söder",
    )

    def adult(name, sex, born, unit, opened, answer=None, on=None, **fields):
        person = pf.person(municipality, name, "Testsson", sex=sex, birth_date=born)
        case = pf.case(person, unit, responsible=worker, opened_on=opened, **fields)
        if answer:
            ff.question(case, answer, by=worker, on=on)
        else:
            ff.question(case, "", by=worker)
        return person, case

    anna, anna_case = adult(
        "Anna", "female", D(1985, 3, 12), a, D(2024, 1, 1), "yes", D(2024, 6, 1)
    )
    ChildQuestion.objects.filter(case=anna_case).update(expecting_child="yes")
    ChildQuestionAnswer.objects.filter(question__case=anna_case).update(expecting_child="yes")
    kim = pf.child(municipality, "Kim", "Testsson", age=8)
    pf.relate(anna, kim, RelationKind.PARENT)
    pf.relate(kim, anna, RelationKind.LIVES_WITH_FULL)
    _bo, bo_case = adult("Bo", "male", D(2000, 1, 1), a, D(2024, 9, 1), "unknown", D(2026, 3, 1))
    _cecilia, cecilia_case = adult("Cecilia", "female", D(1990, 5, 5), a, D(2026, 10, 1))
    dan, _ = adult("Dan", "male", D(1970, 2, 2), a, D(2023, 1, 1), "no", D(2023, 2, 1))
    pf.case(dan, b, responsible=worker, opened_on=D(2026, 4, 1))
    ff.question(dan.cases.get(unit=b), "yes", by=worker, on=D(2026, 5, 1))
    lo = pf.child(municipality, "Lo", "Testsson", age=12)
    pf.relate(dan, lo, RelationKind.PARENT)
    pf.relate(lo, dan, RelationKind.LIVES_WITH_ALTERNATING)
    _eva, eva_case = adult("Eva", "female", D(1980, 8, 8), a, D(2026, 1, 1), "yes", D(2026, 11, 5))
    ida, _ = adult("Ida", "female", D(1975, 4, 4), b, D(2025, 1, 1), "yes", D(2026, 2, 1))
    other = pf.person(municipality, "Per", "Annansson", birth_date=D(1976, 1, 1))
    ida_child = pf.child(municipality, "Mo", "Testsson", age=10)
    pf.relate(ida, ida_child, RelationKind.PARENT)
    pf.relate(ida_child, other, RelationKind.LIVES_WITH_FULL)
    adult("Filip", "male", D(2007, 6, 1), a, D(2026, 6, 1), "yes", D(2026, 6, 2))
    adult(
        "Gun",
        "female",
        D(1960, 1, 1),
        a,
        D(2025, 1, 1),
        "unknown",
        D(2025, 2, 1),
        closed_on=D(2026, 9, 30),
        status="avslutad",
    )
    adult(
        "Hugo",
        "male",
        D(1980, 1, 1),
        org["units"][UnitType.CHILDREN_YOUTH],
        D(2026, 1, 1),
        "unknown",
        D(2026, 2, 1),
    )
    return {
        "a": a,
        "b": b,
        "unknown_cases": [bo_case],
        "not_asked_cases": sorted([cecilia_case, eva_case], key=lambda c: c.pk),
    }
