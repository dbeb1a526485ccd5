"""Synthetic family work for the demo: a few families around open adult cases with
children, joined by the children-and-youth unit (and sometimes economic assistance)
of the same district, with consents in every state (valid, expired, withdrawn, not
given), a meeting with signed minutes and follow-up tasks. Six in the demo, one per
1,000 persons at scale: built a chunk of candidate cases at a time and written with
bulk.write, one audit row for the run."""

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Membership, OrgUnit, Role, UnitType
from kinsight.demo.generate import bulk, texts
from kinsight.family import models as family
from kinsight.people.models import RelationKind, Relationship

# Texts that fit the family: what the oldest child's age allows (no school for a
# two-year-old), what the children call their parents (no "mamman" for a man).
CONTACT = {  # the oldest child's age band: (the external person at the meeting, task)
    texts.INFANT: ("BVC-sköterska", "Boka tid på BVC tillsammans med föräldern"),
    texts.PRESCHOOL: ("Förskolans pedagog", "Kontakta förskolan om anpassningar"),
    texts.SCHOOL: ("Skolkurator", "Kontakta skolkurator om anpassningar"),
    texts.TEEN: ("Skolkurator", "Kontakta skolkurator om anpassningar"),
}
TASKS = ["Följ upp ekonomin inför nästa möte"]


def _band(kids, today):
    ages = [age for age in (kid.age(today) for kid in kids) if age is not None]
    return texts.age_band(max(ages)) if ages else texts.SCHOOL


def family_tasks(kids, today):
    """Follow-up tasks that fit the children's ages."""
    band = _band(kids, today)
    talks = ["Boka stödsamtal för barnen"] if band != texts.INFANT else []
    return [*talks, CONTACT[band][1], *TASKS]


def meeting_minutes(rng, parents, kids, today):
    """Signed minutes that name the parents as the children call them and mention
    school only when a child goes to school."""
    children = "Barnen" if len(kids) > 1 else "Barnet"
    band = _band(kids, today)
    if rng.random() < 0.5:
        if band == texts.INFANT:
            told = "Föräldrarna har fått stöd i hur barnet får trygg omsorg under behandlingen."
        else:
            told = f"{children} har fått information om förälderns behandling anpassad efter ålder."
        return (
            f"Familjen och enheterna gick igenom läget. {told} Överenskommet: "
            "stödsamtal och föräldrastöd. Nästa möte om sex veckor."
        )
    nouns = [texts.parent_noun(parent.sex) for parent in parents]
    if len(nouns) == 2 and nouns[0] != nouns[1]:
        who = f"{nouns[0].capitalize()} deltar i öppenvården, {nouns[1]} i föräldragrupp."
    else:
        who = f"{nouns[0].capitalize()} deltar i öppenvården."
    if texts.goes_to_school(max((kid.age(today) or 0) for kid in kids)):
        seen = "Skolan rapporterar bättre närvaro."
    elif band == texts.PRESCHOOL:
        seen = "Förskolan beskriver ett lugnare barn."
    else:
        seen = "BVC ser att barnet växer och utvecklas som det ska."
    return f"Uppföljning av planen. {who} {seen} Familjen vill fortsätta med familjesamtal."


ADULT_UNIT_TYPES = [
    UnitType.ADULTS_ADDICTION,
    UnitType.SOCIAL_PSYCHIATRY,
    UnitType.VIOLENCE,
    UnitType.ECONOMIC_ASSISTANCE,
]
CONSENT_STATES = ["valid", "valid", "expired", "withdrawn", "none"]


PER_FAMILY_WORK = 1000  # persons per family work in a large municipality
CHUNK = 500  # candidate cases looked at together


def families_for(persons):
    """Family works in a municipality of ``persons`` persons: the demo's 6, or one per
    PER_FAMILY_WORK persons."""
    return max(6, persons // PER_FAMILY_WORK)


class _Rows:
    """Everything one chunk of families makes, written together in dependency order."""

    ORDER = [
        ("works", family.FamilyWork),
        ("members", family.FamilyMember),
        ("participants", family.Participant),
        ("linked", family.LinkedCase),
        ("consents", family.Consent),
        ("consent_units", family.ConsentUnit),
        ("meetings", family.FamilyMeeting),
        ("meeting_participants", family.MeetingParticipant),
        ("notes", family.MeetingNote),
        ("tasks", family.FollowUpTask),
    ]

    def __init__(self):
        for name, _model in self.ORDER:
            setattr(self, name, [])

    def write(self):
        with transaction.atomic():
            for name, model in self.ORDER:
                bulk.write(model, getattr(self, name))
        return {
            "family_works": len(self.works),
            "consents": len(self.consents),
            "meetings": len(self.meetings),
            "tasks": len(self.tasks),
        }


class _Context:
    """The municipality's units by district and case workers by unit."""

    def __init__(self, municipality, today):
        self.municipality, self.today = municipality, today
        self.by_district = defaultdict(dict)
        for unit in OrgUnit.objects.filter(municipality=municipality, kind="unit"):
            self.by_district[unit.parent_id][unit.unit_type] = unit
        self.workers = defaultdict(list)
        for unit_id, user_id in (
            Membership.objects.filter(municipality=municipality, role=Role.CASE_WORKER)
            .order_by("user_id")
            .values_list("unit_id", "user_id")
        ):
            self.workers[unit_id].append(user_id)

    def candidates(self):
        """Open adult cases with a responsible worker, a chunk at a time: the
        addiction unit's first (the demo's case worker works there), then by pk."""
        for unit_type in ADULT_UNIT_TYPES:
            cases = (
                Case.objects.filter(
                    municipality=self.municipality,
                    unit__unit_type=unit_type,
                    responsible__isnull=False,
                )
                .exclude(status=CaseStatus.CLOSED)
                .select_related("person", "unit")
            )
            last = 0
            while chunk := list(cases.filter(pk__gt=last).order_by("pk")[:CHUNK]):
                yield chunk
                last = chunk[-1].pk

    def relatives(self, parent_ids, kind):
        """parent id → the persons ``kind`` relationships from it lead to, in order."""
        found = defaultdict(list)
        for rel in (
            Relationship.objects.filter(
                municipality=self.municipality, kind=kind, from_person_id__in=parent_ids
            )
            .select_related("to_person")
            .order_by("pk")
        ):
            found[rel.from_person_id].append(rel.to_person)
        return found

    def child_cases(self, kids):
        """(person id, unit id) → the latest case of each child in a unit."""
        found = {}
        for case in Case.objects.filter(
            municipality=self.municipality, person_id__in=[kid.pk for kid in kids]
        ).order_by("-opened_on", "-pk"):
            found.setdefault((case.person_id, case.unit_id), case)
        return found


def generate_family(*, municipality, seed=1, families=6, today=None, progress=None):
    """``families`` family works around open adult cases with children, a chunk of
    candidate cases at a time (each chunk written and committed on its own)."""
    rng = random.Random(seed * 7919 + 11)
    ctx = _Context(municipality, today or timezone.localdate())
    made, used = defaultdict(int), set()
    with bulk.stage(progress, "familjeärenden", families) as bar:
        for chunk in ctx.candidates():
            if made["family_works"] >= families:
                break
            parent_ids = {case.person_id for case in chunk}
            kids_of = ctx.relatives(parent_ids, RelationKind.PARENT)
            partners = ctx.relatives(parent_ids, RelationKind.PARTNER)
            kid_cases = ctx.child_cases([kid for kids in kids_of.values() for kid in kids])
            rows = _Rows()
            for case in chunk:
                if made["family_works"] + len(rows.works) >= families:
                    break
                parent = case.person
                if parent.pk in used or not parent.age() or parent.age() < 18:
                    continue
                kids = [k for k in kids_of[parent.pk] if k.is_child and not k.protected_identity]
                partner = (partners.get(parent.pk) or [None])[0]
                other = partner if partner and not partner.is_child else None
                cy_unit = ctx.by_district[case.unit.parent_id].get(UnitType.CHILDREN_YOUTH)
                if not kids or cy_unit is None:
                    continue
                used.update([parent.pk, *(k.pk for k in kids)])
                number = made["family_works"] + len(rows.works) + 1
                _family(ctx, rng, rows, case, kids, other, number, kid_cases)
            written = rows.write()
            for key, value in written.items():
                made[key] += value
            bar.update(written["family_works"])
    made = dict(made)
    if made:
        with transaction.atomic():
            bulk.audit_run(municipality, {"generated_family": made})
    return {key: made.get(key, 0) for key in ("family_works", "consents", "meetings", "tasks")}


def _family(ctx, rng, rows, case, kids, other, number, kid_cases):
    """One family work around ``case``'s person: members, participating units and
    linked cases, consents, a meeting with signed minutes and follow-up tasks."""
    m, today, parent = ctx.municipality, ctx.today, case.person
    district = ctx.by_district[case.unit.parent_id]
    cy_unit = district[UnitType.CHILDREN_YOUTH]
    started = today - datetime.timedelta(days=rng.randint(30, 200))
    work = family.FamilyWork(
        municipality=m,
        title=f"Familjeärende {number} – {case.unit.name}",
        started_on=started,
        from_case=case,
        started_by_id=case.responsible_id,
    )
    rows.works.append(work)
    members = [(parent, family.FamilyRole.PARENT_1)]
    if other is not None:
        members.append((other, family.FamilyRole.PARENT_2))
    members += [(kid, family.FamilyRole.CHILD) for kid in kids]
    common = {"municipality": m, "family_work": work}
    rows.members += [family.FamilyMember(**common, person=p, role=role) for p, role in members]

    def join(unit, worker_id, **fields):
        participant = family.Participant(
            **common, unit=unit, worker_id=worker_id, joined_on=started, **fields
        )
        rows.participants.append(participant)
        return participant

    coordinator = join(case.unit, case.responsible_id, is_coordinator=True)
    rows.linked.append(
        family.LinkedCase(
            **common, participant=coordinator, case=case, linked_by_id=case.responsible_id
        )
    )
    cy = join(cy_unit, (ctx.workers.get(cy_unit.pk) or [None])[0])
    participants = [coordinator, cy]
    for kid in kids:
        kid_case = kid_cases.get((kid.pk, cy_unit.pk))
        if kid_case is not None:
            by = kid_case.responsible_id or case.responsible_id
            rows.linked.append(
                family.LinkedCase(**common, participant=cy, case=kid_case, linked_by_id=by)
            )
    econ = district.get(UnitType.ECONOMIC_ASSISTANCE)
    # The second family always has economic assistance, and it has left again (an edge
    # of the access grants: a unit that left keeps no grant); the random draw first, so
    # the stream of every other family stays the same.
    if econ is not None and econ.pk != case.unit_id and (rng.random() < 0.5 or number == 2):
        left_on = today - datetime.timedelta(days=1) if number == 2 else None
        participants.append(join(econ, (ctx.workers.get(econ.pk) or [None])[0], left_on=left_on))
    _consents(rng, rows, case, work, members, participants, number, today)
    _meeting(rng, rows, case, work, members, participants, kids, today)


def _consents(rng, rows, case, work, members, participants, number, today):
    """The first family shares fully, the others vary (valid, expired, withdrawn, none)."""
    guardian = members[0][0]
    for index, (person, _role) in enumerate(members):
        state = "valid" if number == 1 else CONSENT_STATES[(index + number) % len(CONSENT_STATES)]
        if state == "none":
            continue
        valid_from = work.started_on + datetime.timedelta(days=rng.randint(0, 10))
        withdrawn = state == "withdrawn"
        consent = family.Consent(
            municipality=work.municipality,
            family_work=work,
            person=person,
            given_by=guardian if person.is_child else None,
            purpose=family.ConsentPurpose.SHARING,
            all_units=rng.random() < 0.6,
            form=rng.choice([family.ConsentForm.WRITTEN, family.ConsentForm.ORAL]),
            given_on=valid_from,
            valid_from=valid_from,
            valid_to=today - datetime.timedelta(days=3) if state == "expired" else None,
            withdrawn_on=today - datetime.timedelta(days=2) if withdrawn else None,
            withdrawal_reason="Vill inte att fler enheter får veta." if withdrawn else "",
            withdrawn_by_id=case.responsible_id if withdrawn else None,
            recorded_by_id=case.responsible_id,
            recorded_unit=case.unit,
        )
        rows.consents.append(consent)
        if not consent.all_units:
            rows.consent_units += [
                family.ConsentUnit(municipality=work.municipality, consent=consent, unit=p.unit)
                for p in participants
            ]


def _meeting(rng, rows, case, work, members, participants, kids, today):
    """A family meeting with its participants, signed minutes and two follow-up tasks."""
    m = work.municipality
    held = work.started_on + datetime.timedelta(days=rng.randint(7, 25))
    meeting = family.FamilyMeeting(
        municipality=m,
        family_work=work,
        unit=case.unit,
        held_on=held,
        place="Familjecentralen",
        agenda="1. Hur har det gått?\n2. Barnens perspektiv\n3. Insatser\n4. Nästa möte",
        created_by_id=case.responsible_id,
    )
    rows.meetings.append(meeting)
    common = {"municipality": m, "meeting": meeting}
    adults = [p for p, role in members if role != family.FamilyRole.CHILD]
    rows.meeting_participants += [
        *(family.MeetingParticipant(**common, kind="member", person=p) for p in adults),
        *(
            family.MeetingParticipant(**common, kind="staff", unit=p.unit, user_id=p.worker_id)
            for p in participants
        ),
        family.MeetingParticipant(
            **common, kind="external", external=CONTACT[_band(kids, today)][0]
        ),
    ]
    signed_at = timezone.make_aware(datetime.datetime.combine(held, datetime.time(15, 30)))
    rows.notes.append(
        family.MeetingNote(
            **common,
            author_id=case.responsible_id,
            text=meeting_minutes(rng, adults, kids, today),
            created_at=signed_at,
            updated_at=signed_at,
            signed_at=signed_at,
            signed_by_id=case.responsible_id,
        )
    )
    for offset, title in enumerate(rng.sample(family_tasks(kids, today), 2)):
        responsible = participants[offset % len(participants)]
        due = held + datetime.timedelta(days=rng.randint(10, 60))
        done = due < today and rng.random() < 0.5
        rows.tasks.append(
            family.FollowUpTask(
                municipality=m,
                family_work=work,
                meeting=meeting,
                title=title,
                due_on=due,
                responsible_unit=responsible.unit,
                responsible_id=responsible.worker_id,
                done_on=due if done else None,
                done_by_id=responsible.worker_id if done else None,
                created_by_id=case.responsible_id,
            )
        )
