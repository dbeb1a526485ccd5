"""Synthetic persons, families and cases for a generated municipality.

Everything is invented and marked ``is_synthetic``; identifiers are valid (Luhn, real
dates) so that the checks run on them. Households: couples and single parents with
children, couples without children, single adults; a separated parent elsewhere for
some children (alternating or part-time living). Cases in all 8 unit types over the
last three years, statuses by age. Some protected identities, some persons without
identifiers. Streamed: households are made a batch at a time and each batch (persons,
their relationships, cases and notes) is written and committed before the next is
made (bulk.py: COPY on PostgreSQL, bulk_create on SQLite), so memory holds
one batch and the progress bar moves per batch. Households draw from one random
stream and cases from another, so the output for a seed does not depend on the batch
size. Audit rows are not written for generated data (nobody read or wrote it).
"""

import datetime
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.db import transaction
from django.utils import timezone

from kinsight.cases.models import TRANSITIONS, Case, CaseStatus, JournalNote, LegalReference
from kinsight.core.models import Membership, Role, UnitType
from kinsight.demo.generate import bulk
from kinsight.demo.generate.names import FEMALE, LAST, MALE, STREETS
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person, RelationKind, Relationship, Sex, normalise_name

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
BATCH = 5000
# Legal references a generated case may name.
CASE_TOPICS = ("documentation", "pre-assessment-14-days", "investigation-4-months")


@cache
def _search_name(first, last):
    return normalise_name(f"{first} {last}")


def _used_key(identifier):
    """A compact key for the set of identifiers taken (an int for the numeric ones)."""
    return int(identifier) if identifier.isdigit() else identifier


def _birth_year(person):
    return person["birth_date"].year if person["birth_date"] else person["approximate_birth_year"]


def _age(person, today):
    born = person["birth_date"]
    if born:
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return today.year - person["approximate_birth_year"]


class _Maker:
    """Person rows (dicts for bulk.write) of the current batch; ``made``
    counts every person made so far."""

    def __init__(self, municipality, rng, today):
        self.municipality_id = municipality.pk
        self.rng = rng
        self.today = today
        self.used = {
            _used_key(identifier)
            for identifier in Person.objects.filter(municipality=municipality)
            .exclude(identifier="")
            .values_list("identifier", flat=True)
            .iterator()
        }
        self.persons = []
        self.made = 0
        self.now = timezone.now()

    def birth(self, min_age, max_age):
        days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 364)
        return self.today - datetime.timedelta(days=days)

    def person(self, *, sex, birth, last_name, protected=False, child=False):
        rng = self.rng
        first = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
        roll = rng.random()
        kind = IdentifierKind.PERSONNUMMER
        if roll < (0.03 if child else 0.005):
            kind = IdentifierKind.NONE
        elif roll < 0.02 and not child:
            kind = IdentifierKind.SAMORDNINGSNUMMER
        elif roll < 0.025 and not child:
            kind = IdentifierKind.RESERVE
        identifier = ""
        if kind in (IdentifierKind.PERSONNUMMER, IdentifierKind.SAMORDNINGSNUMMER):
            coordination = kind == IdentifierKind.SAMORDNINGSNUMMER
            odd = sex == Sex.MALE
            for _attempt in range(50):
                serial = rng.randrange(1, 999)
                if (serial % 10) % 2 != odd:
                    serial = serial + 1 if serial < 998 else serial - 1
                identifier = synthetic_national(birth, serial, coordination=coordination)
                if int(identifier) not in self.used:
                    break
            else:  # pragma: no cover - a crowded birth date
                kind, identifier = IdentifierKind.NONE, ""
        elif kind == IdentifierKind.RESERVE:
            while True:
                identifier = (
                    f"{birth:%Y%m%d}{rng.choice('ABCDEFGHJKLMNPRSTUVXYZ')}{rng.randrange(1000):03d}"
                )
                if identifier not in self.used:
                    break
        if identifier:
            self.used.add(_used_key(identifier))
        protected_address = protected or rng.random() < 0.6
        person = {
            "municipality_id": self.municipality_id,
            "identifier_kind": kind,
            "identifier": identifier,
            "birth_date": birth if kind != IdentifierKind.NONE else None,
            "approximate_birth_year": birth.year if kind == IdentifierKind.NONE else None,
            "first_name": first,
            "last_name": last_name if not (kind == IdentifierKind.NONE and child) else "",
            "sex": sex,
            "protected_identity": protected,
            "street_address": f"{rng.choice(STREETS)} {rng.randint(1, 80)}"
            if protected_address
            else "",
            "postal_code": f"{rng.randint(100, 989)} {rng.randint(10, 99)}"
            if protected_address
            else "",
            "city": "Demostad" if protected_address else "",
            "is_synthetic": True,
            "search_name": _search_name(first, last_name),
            "created_at": self.now,
        }
        self.persons.append(person)
        self.made += 1
        return person


def _households(maker, until):
    """Households until ``until`` persons are made in all: their persons in
    ``maker.persons`` and (from, to, kind, valid_from) tuples returned."""
    rng = maker.rng
    relations = []
    while maker.made < until:
        protected = rng.random() < 0.005
        last = rng.choice(LAST)
        roll = rng.random()
        adults = []
        if roll < 0.50:  # a couple
            a = maker.person(
                sex=Sex.FEMALE, birth=maker.birth(22, 80), last_name=last, protected=protected
            )
            b_last = last if rng.random() < 0.6 else rng.choice(LAST)
            age_a = maker.today.year - a["birth_date"].year if a["birth_date"] else 40
            b = maker.person(
                sex=Sex.MALE if rng.random() < 0.92 else Sex.FEMALE,
                birth=maker.birth(max(20, age_a - 6), min(85, age_a + 6)),
                last_name=b_last,
                protected=protected,
            )
            since = maker.today - datetime.timedelta(days=rng.randint(200, 8000))
            relations.append((a, b, RelationKind.PARTNER, since))
            adults = [a, b]
        else:  # a single adult
            sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
            adults = [
                maker.person(
                    sex=sex, birth=maker.birth(20, 85), last_name=last, protected=protected
                )
            ]
        youngest_adult = min(maker.today.year - _birth_year(p) for p in adults)
        has_children = youngest_adult < 55 and rng.random() < (0.6 if len(adults) == 2 else 0.35)
        if not has_children:
            continue
        children = []
        for _n in range(rng.choice([1, 1, 2, 2, 2, 3, 4])):
            max_age = min(17, max(0, youngest_adult - 18))
            birth = maker.birth(0, max_age)
            sex = Sex.FEMALE if rng.random() < 0.49 else Sex.MALE
            children.append(
                maker.person(sex=sex, birth=birth, last_name=last, protected=protected, child=True)
            )
        other_parent = None
        if len(adults) == 1 and rng.random() < 0.6:
            # The other parent lives elsewhere; the children live there part of the time.
            other_sex = Sex.MALE if adults[0]["sex"] == Sex.FEMALE else Sex.FEMALE
            other_parent = maker.person(
                sex=other_sex, birth=maker.birth(25, 55), last_name=rng.choice(LAST)
            )
        for child in children:
            born = child["birth_date"] or datetime.date(child["approximate_birth_year"], 7, 1)
            for parent in adults[: 2 if len(adults) == 2 and rng.random() < 0.85 else 1]:
                relations.append((parent, child, RelationKind.PARENT, born))
                relations.append((parent, child, RelationKind.GUARDIAN, born))
                relations.append(
                    (
                        child,
                        parent,
                        RelationKind.LIVES_WITH_FULL
                        if other_parent is None
                        else RelationKind.LIVES_WITH_ALTERNATING,
                        born,
                    )
                )
            if other_parent is not None:
                relations.append((other_parent, child, RelationKind.PARENT, born))
                if rng.random() < 0.7:
                    relations.append((other_parent, child, RelationKind.GUARDIAN, born))
                kind = rng.choice(
                    [RelationKind.LIVES_WITH_ALTERNATING, RelationKind.LIVES_WITH_PART]
                )
                relations.append((child, other_parent, kind, born))
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                relations.append((first, second, RelationKind.SIBLING, None))
        if len(adults) == 1 and rng.random() < 0.05:
            lodger = maker.person(
                sex=Sex.MALE, birth=maker.birth(18, 30), last_name=rng.choice(LAST)
            )
            relations.append((lodger, adults[0], RelationKind.HOUSEHOLD, None))
    return relations


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


class _Cases:
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


def _relationships(maker, relations):
    return [
        {
            "municipality_id": maker.municipality_id,
            "from_person_id": a["id"],
            "to_person_id": b["id"],
            "kind": kind,
            "valid_from": since,
            "created_at": maker.now,
        }
        for a, b, kind, since in relations
    ]


def generate_people(*, municipality, persons, seed=1, today=None, progress=None):
    """Persons with families, relationships, cases and a few signed notes, written a
    batch of households at a time, each batch in its own transaction. The next batch
    of households is made in a second thread while the database takes this one (it
    touches no connection), so Python and the database work at the same time."""
    today = today or timezone.localdate()
    maker = _Maker(municipality, random.Random(seed * 7919 + 17), today)
    cases = _Cases(municipality, random.Random(seed * 7919 + 23), today, maker.now)
    made = dict.fromkeys(("persons", "relationships", "cases", "notes"), 0)

    def households():
        if maker.made >= persons:
            return [], []
        relations = _households(maker, min(persons, maker.made + BATCH))
        batch, maker.persons = maker.persons, []
        return batch, relations

    with bulk.stage(progress, "personer", persons) as bar, ThreadPoolExecutor(1) as pool:
        next_batch = pool.submit(households)
        while True:
            batch, relations = next_batch.result()
            if not batch:
                break
            next_batch = pool.submit(households)
            with transaction.atomic():
                bulk.write(Person, batch)
                bulk.write(Relationship, _relationships(maker, relations))
                batch_cases = bulk.write(Case, cases.for_persons(batch))
                batch_notes = bulk.write(JournalNote, cases.notes(batch_cases))
            bar.update(len(batch))
            made["persons"] += len(batch)
            made["relationships"] += len(relations)
            made["cases"] += len(batch_cases)
            made["notes"] += len(batch_notes)
    bulk.analyze(Person, Relationship, Case, JournalNote)
    return made


# Transitions used above must stay valid in the status flow.
assert all(PATH[i + 1] in TRANSITIONS[PATH[i]] for i in range(len(PATH) - 1))
