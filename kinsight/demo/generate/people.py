"""Synthetic persons, families and cases for a generated municipality.

Everything is invented and marked ``is_synthetic``; identifiers are valid (Luhn, real
dates) so that the checks run on them. Households: couples and single parents with
children, couples without children, single adults; a separated parent elsewhere for
some children (alternating or part-time living). Some protected identities, some
persons without identifiers. Their cases and notes come from cases.py. Streamed:
households are made a batch at a time and each batch (persons, their relationships,
cases and notes) is written and committed before the next is made (bulk.py: COPY on
PostgreSQL, bulk_create on SQLite), so memory holds one batch and the progress bar
moves per batch. Households draw from one random stream and cases from another, so
the output for a seed does not depend on the batch size. Audit rows are not written
for generated data (nobody read or wrote it).
"""

import datetime
import random
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.db import transaction
from django.utils import timezone

from kinsight.cases.models import Case, JournalNote
from kinsight.demo.generate import bulk
from kinsight.demo.generate.cases import Cases
from kinsight.demo.generate.names import FEMALE, LAST, MALE, STREETS
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person, RelationKind, Relationship, Sex, normalise_name

BATCH = 5000


@cache
def _search_name(first, last):
    return normalise_name(f"{first} {last}")


def _used_key(identifier):
    """A compact key for the set of identifiers taken (an int for the numeric ones)."""
    return int(identifier) if identifier.isdigit() else identifier


def _birth_year(person):
    return person["birth_date"].year if person["birth_date"] else person["approximate_birth_year"]


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
    cases = Cases(municipality, random.Random(seed * 7919 + 23), today, maker.now)
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
