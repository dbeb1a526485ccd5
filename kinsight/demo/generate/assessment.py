"""Synthetic assessments for the demo: for every active family work, each participating
unit writes the parts natural to it (an adult unit: the parents for their own part and
the family; the children-and-youth unit: each child and each parent in relation to the
child; others: the family), with a few protective factors from the catalogue and an
AUDIT result on the adult unit's parent part. Built a chunk of works at a time and
written with bulk.write, one audit row for the run; run after
kinsight.demo.generate.family."""

import random

from django.db import transaction
from django.utils import timezone

from kinsight.assessment.models import (
    Assessment,
    AssessmentPart,
    Instrument,
    InstrumentResult,
    ProtectiveFactor,
)
from kinsight.assessment.services import instrument_score
from kinsight.core.models import UnitType
from kinsight.demo.generate import bulk, texts
from kinsight.family.models import FamilyRole, FamilyWork, PerspectiveKind

# Texts per perspective: (needs, risk factors, the child's words).
TEXTS = {
    PerspectiveKind.PARENT: (
        "Behandling i öppenvården och stöd i föräldraskapet.",
        "Återfall under det senaste året; ensam med barnen på vardagar.",
        "",
    ),
    PerspectiveKind.COUPLE: (
        "Parsamtal; gemensam planering av vardagen.",
        "Konflikter om pengar och alkohol.",
        "",
    ),
    PerspectiveKind.FAMILY: (
        "Praktiskt stöd i hemmet och familjesamtal.",
        "Ekonomisk stress och trångboddhet.",
        "",
    ),
}
# The child's own part and a parent's in relation to the child, by the child's age band
# (an infant has no words of its own and no school); {parent}: what the child calls the
# parent (mamma, pappa).
CHILD_TEXTS = {
    texts.INFANT: (
        "Trygg och förutsägbar omsorg varje dag; barnomsorg som avlastning.",
        "Förälderns mående påverkar omsorgen om barnet.",
        "",
    ),
    texts.PRESCHOOL: (
        "Förskola varje dag och vuxna som förklarar på ett sätt som passar åldern.",
        "Otrygghet hemma; har svårt att sätta ord på hur det är.",
        "Jag vill att {parent} ska vara glad.",
    ),
    texts.SCHOOL: (
        "Behöver information om förälderns svårigheter och någon att prata med.",
        "Tar stort ansvar hemma; risk för skolfrånvaro.",
        "Jag vill att det ska vara lugnt hemma och att {parent} mår bra.",
    ),
    texts.TEEN: (
        "Någon att prata med utanför familjen och stöd i skolarbetet.",
        "Tar stort ansvar hemma; hög skolfrånvaro.",
        "Jag vill kunna träffa kompisar utan att oroa mig för {parent}.",
    ),
}
PARENT_CHILD_TEXTS = {
    texts.INFANT: (
        "Stöd i samspelet med barnet och i att se barnets behov.",
        "Oförutsägbar vardag för barnet när föräldern mår sämre.",
        "",
    ),
    texts.PRESCHOOL: (
        "Stöd att prata med barnet om sjukdomen på ett sätt som passar åldern.",
        "Oförutsägbar vardag för barnet när föräldern mår sämre.",
        "Det är roligt när vi leker tillsammans.",
    ),
    texts.SCHOOL: (
        "Stöd att prata med barnet om sjukdomen på ett sätt som passar åldern.",
        "Oförutsägbar vardag för barnet när föräldern mår sämre.",
        "Det är roligt när vi spelar spel tillsammans.",
    ),
    texts.TEEN: (
        "Stöd att prata med barnet om sjukdomen och om vad som händer framåt.",
        "Barnet tar ansvar för föräldern när föräldern mår sämre.",
        "Vi pratar mer med varandra nu än förut.",
    ),
}


def part_texts(kind, persons, parent, today=None):
    """(needs, risk factors, child's words) that fit the perspective's persons: the
    child's age and what the child calls ``parent`` (for the child's own part, the
    family's first parent; for a parent in relation to a child, that parent)."""
    if kind == PerspectiveKind.CHILD:
        table, child = CHILD_TEXTS, persons[0]
    elif kind == PerspectiveKind.PARENT_CHILD:
        table, (parent, child) = PARENT_CHILD_TEXTS, persons
    else:
        return TEXTS[kind]
    band = texts.age_band(child.age(today))
    needs, risks, words = table.get(band, table[texts.TEEN])
    word = texts.parent_word(parent.sex if parent else "")
    return needs, risks, words.format(parent=word)


def _first_parent(work):
    parents = [
        m for m in work.members.all() if m.role in (FamilyRole.PARENT_1, FamilyRole.PARENT_2)
    ]
    return min(parents, key=lambda m: (m.role, m.pk)).person if parents else None


ADULT_TYPES = {
    UnitType.ADULTS_ADDICTION,
    UnitType.SOCIAL_PSYCHIATRY,
    UnitType.VIOLENCE,
}
CHILD_TYPES = {UnitType.CHILDREN_YOUTH, UnitType.FAMILIES}


def _kinds_for(unit_type):
    if unit_type in ADULT_TYPES:
        return {PerspectiveKind.PARENT, PerspectiveKind.COUPLE, PerspectiveKind.FAMILY}
    if unit_type in CHILD_TYPES:
        return {PerspectiveKind.CHILD, PerspectiveKind.PARENT_CHILD}
    return {PerspectiveKind.FAMILY}


CHUNK = 200  # family works per chunk


AUDIT_PROFILES = 25  # distinct sets of AUDIT answers per sex, each scored once


class _Catalogue:
    """The shared catalogue rows every part draws from: protective factors, AUDIT, and
    AUDIT answer profiles already scored (scoring reads the instrument: three queries)."""

    def __init__(self):
        self.factors = list(ProtectiveFactor.objects.filter(municipality=None, is_active=True))
        self.audit = Instrument.objects.filter(municipality=None, code="audit").first()
        self.items = (
            list(self.audit.items.prefetch_related("options").order_by("number"))
            if self.audit
            else []
        )
        self.profiles = {}

    def audit_answers(self, rng, sex):
        """(answers as stored, total, cut-off label) of one of AUDIT_PROFILES profiles."""
        key = (sex, rng.randrange(AUDIT_PROFILES))
        if key not in self.profiles:
            answers = {
                str(item.number): rng.choice([o.score for o in item.options.all()])
                for item in self.items
            }
            self.profiles[key] = instrument_score(instrument=self.audit, answers=answers, sex=sex)
        return self.profiles[key]


class _Rows:
    def __init__(self):
        self.assessments, self.parts, self.links, self.results = [], [], [], []

    def write(self):
        link = AssessmentPart.protective_factors.through
        with transaction.atomic():
            bulk.write(Assessment, self.assessments)
            bulk.write(AssessmentPart, [part for part, _factors in self.parts])
            bulk.write(
                link,
                [
                    link(assessmentpart_id=part.pk, protectivefactor_id=factor.pk)
                    for part, factors in self.parts
                    for factor in factors
                ],
            )
            bulk.write(InstrumentResult, self.results)
        return {
            "assessments": len(self.assessments),
            "parts": len(self.parts),
            "results": len(self.results),
        }


def generate_assessment(*, municipality, seed=1, progress=None):
    """An assessment for every active family work that has none, a chunk of works at
    a time (each written and committed on its own), and one audit row for the run."""
    rng = random.Random(seed)
    catalogue = _Catalogue()
    made = {"assessments": 0, "parts": 0, "results": 0}
    now = timezone.now()
    works = (
        FamilyWork.objects.filter(municipality=municipality, status="active", assessment=None)
        .prefetch_related("members__person", "participants__unit", "participants__worker")
        .select_related("started_by")
    )
    with bulk.stage(progress, "bedömningar", works.count()) as bar:
        last = 0
        while chunk := list(works.filter(pk__gt=last).order_by("pk")[:CHUNK]):
            rows = _Rows()
            for work in chunk:
                _assess(rng, catalogue, rows, work, now)
            for key, value in rows.write().items():
                made[key] += value
            bar.update(len(chunk))
            last = chunk[-1].pk
    with transaction.atomic():
        bulk.audit_run(
            municipality,
            {"generated": made, "seed": seed},
            object_type="assessment.assessment",
            object_id="*",
        )
    return made


def _assess(rng, catalogue, rows, work, now):
    """The parts each participating unit writes for ``work``."""
    participants = [p for p in work.participants.all() if p.left_on is None]
    if not participants:
        return
    parent = _first_parent(work)
    m = work.municipality_id
    assessment = Assessment(municipality_id=m, family_work=work, started_by=work.started_by)
    rows.assessments.append(assessment)
    for perspective in work.perspectives():
        for participant in participants:
            if perspective.kind not in _kinds_for(participant.unit.unit_type):
                continue
            author = participant.worker or work.started_by
            persons = list(perspective.persons)
            needs, risks, words = part_texts(perspective.kind, persons, parent)
            part = AssessmentPart(
                municipality_id=m,
                assessment=assessment,
                family_work=work,
                perspective=perspective.key,
                kind=perspective.kind,
                person=persons[0] if persons else None,
                other_person=persons[1] if len(persons) > 1 else None,
                unit=participant.unit,
                needs=needs,
                risk_factors=risks,
                child_words=words,
                family_view="Familjen vill ha stöd men är orolig för vad det innebär.",
                created_by=author,
                updated_by=author,
                updated_at=now,
            )
            factors = rng.sample(catalogue.factors, k=min(2, len(catalogue.factors)))
            rows.parts.append((part, factors))
            adult = participant.unit.unit_type in ADULT_TYPES
            if catalogue.audit and adult and perspective.kind == PerspectiveKind.PARENT:
                rows.results.append(_audit_result(rng, catalogue, part, persons[0], author))


def _audit_result(rng, catalogue, part, person, author):
    """An AUDIT result on a parent's own part."""
    sex = person.sex if person.sex in ("female", "male") else "male"
    stored, total, label = catalogue.audit_answers(rng, sex)
    return InstrumentResult(
        municipality_id=part.municipality_id,
        part=part,
        instrument=catalogue.audit,
        sex=sex,
        answers=dict(stored),
        total_score=total,
        cutoff_label=label,
        created_by=author,
    )
