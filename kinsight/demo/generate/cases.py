"""Cases for generated persons, in all 8 unit types over the last three years,
statuses by age, and a few signed journal notes; drawn from a random stream of their
own (kinsight.demo.generate.people writes them with each batch of persons)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from kinsight.cases.models import TRANSITIONS, CaseStatus, LegalReference
from kinsight.core.models import Membership, Role, UnitType

# Adult cases: unit type and its weight; children's cases go to the child units.
ADULT_UNIT_WEIGHTS = [
    (UnitType.ECONOMIC_ASSISTANCE, 30),
    (UnitType.ADULTS_ADDICTION, 20),
    (UnitType.SOCIAL_PSYCHIATRY, 15),
    (UnitType.DISABILITY, 10),
    (UnitType.VIOLENCE, 10),
    (UnitType.FAMILIES, 8),
    (UnitType.FAMILY_LAW, 7),
]
CHILD_UNIT_WEIGHTS = [
    (UnitType.CHILDREN_YOUTH, 80),
    (UnitType.DISABILITY, 10),
    (UnitType.FAMILIES, 10),
]
SUBJECTS = {
    UnitType.CHILDREN_YOUTH: ["Orosanmälan", "Ansökan om stöd", "Förhandsbedömning efter anmälan"],
    UnitType.FAMILIES: ["Ansökan om familjebehandling", "Föräldrastöd"],
    UnitType.ADULTS_ADDICTION: ["Ansökan om behandling", "Anmälan om missbruk", "Öppenvård"],
    UnitType.FAMILY_LAW: ["Vårdnad, boende och umgänge", "Faderskap"],
    UnitType.ECONOMIC_ASSISTANCE: ["Ansökan om ekonomiskt bistånd", "Försörjningsstöd"],
    UnitType.DISABILITY: ["Ansökan om insats enligt LSS", "Ansökan om ledsagning"],
    UnitType.SOCIAL_PSYCHIATRY: ["Ansökan om boendestöd", "Sysselsättning"],
    UnitType.VIOLENCE: ["Skyddat boende", "Stöd efter våld i nära relation"],
}
PATH = [
    CaseStatus.ACTUALISATION,
    CaseStatus.PRE_ASSESSMENT,
    CaseStatus.INVESTIGATION,
    CaseStatus.DECISION,
    CaseStatus.INTERVENTION,
    CaseStatus.FOLLOW_UP,
]
# Legal references a generated case may name.
CASE_TOPICS = ("documentation", "pre-assessment-14-days", "investigation-4-months")


def _age(person, today):
    born = person["birth_date"]
    if born:
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return today.year - person["approximate_birth_year"]


def _status_for(opened, today, rng):
    """A plausible status for a case opened on ``opened``: older cases have gone further."""
    age = (today - opened).days
    if age > 540 and rng.random() < 0.8:
        return CaseStatus.CLOSED
    steps = min(len(PATH) - 1, int(age / 60 * rng.random()) + (1 if age > 14 else 0))
    status = PATH[steps]
    if age > 120 and rng.random() < 0.3:
        return CaseStatus.CLOSED
    return status


class Cases:
    """Cases (and a few signed notes) for persons as they are written, drawn from a
    random stream of their own."""

    def __init__(self, municipality, rng, today, now):
        self.municipality_id, self.rng, self.today, self.now = municipality.pk, rng, today, now
        self.units_by_type = defaultdict(list)
        self.workers_by_unit = defaultdict(list)
        for unit_id, unit_type, user_id, role in (
            Membership.objects.filter(municipality=municipality, unit__kind="unit")
            .values_list("unit_id", "unit__unit_type", "user_id", "role")
            .order_by("unit_id", "pk")
        ):
            if unit_id not in self.units_by_type[unit_type]:
                self.units_by_type[unit_type].append(unit_id)
            if role == Role.CASE_WORKER:
                self.workers_by_unit[unit_id].append(user_id)
        self.refs = [r for r in LegalReference.objects.order_by("pk") if r.topic in CASE_TOPICS]
        self.adult = tuple(zip(*ADULT_UNIT_WEIGHTS, strict=True))
        self.child = tuple(zip(*CHILD_UNIT_WEIGHTS, strict=True))

    def for_persons(self, persons):
        rng, cases = self.rng, []
        if not self.units_by_type:
            return cases
        for person in persons:
            is_child = _age(person, self.today) < 18
            if rng.random() >= (0.08 if is_child else 0.12):
                continue
            for _n in range(1 if rng.random() < 0.85 else 2):
                types, weights = self.child if is_child else self.adult
                unit_type = rng.choices(types, weights)[0]
                if self.units_by_type.get(unit_type):
                    cases.append(self.case(person["id"], unit_type))
        return cases

    def case(self, person_id, unit_type):
        rng, today = self.rng, self.today
        unit_id = rng.choice(self.units_by_type[unit_type])
        opened = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        status = _status_for(opened, today, rng)
        workers = self.workers_by_unit.get(unit_id) or [None]
        valid = [r for r in self.refs if r.is_valid_on(opened)]
        return {
            "municipality_id": self.municipality_id,
            "person_id": person_id,
            "unit_id": unit_id,
            "status": status,
            "responsible_id": rng.choice(workers) if rng.random() < 0.93 else None,
            "legal_basis_id": rng.choice(valid).pk if valid else None,
            "subject": rng.choice(SUBJECTS[unit_type]),
            "opened_on": opened,
            "closed_on": (
                min(today, opened + datetime.timedelta(days=rng.randint(14, 500)))
                if status == CaseStatus.CLOSED
                else None
            ),
            "status_changed_at": self.now,
            "created_at": self.now,
        }

    def notes(self, cases):
        rng, notes = self.rng, []
        for case in cases:
            if case["responsible_id"] is None or rng.random() > 0.3:
                continue
            at = timezone.make_aware(
                datetime.datetime.combine(
                    case["opened_on"], datetime.time(rng.randint(8, 16), rng.randint(0, 59))
                )
            )
            notes.append(
                {
                    "municipality_id": self.municipality_id,
                    "case_id": case["id"],
                    "author_id": case["responsible_id"],
                    "unit_id": case["unit_id"],
                    "text": "Påhittad anteckning: första kontakt, personen informerad.",
                    "created_at": at,
                    "updated_at": at,
                    "signed_at": at,
                    "signed_by_id": case["responsible_id"],
                }
            )
        return notes


# Transitions used above must stay valid in the status flow.
assert all(PATH[i + 1] in TRANSITIONS[PATH[i]] for i in range(len(PATH) - 1))
