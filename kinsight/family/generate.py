"""Synthetic family work for the demo: a few families around open adult cases with
children, joined by the children-and-youth unit (and sometimes economic assistance)
of the same district, with consents in every state (valid, expired, withdrawn, not
given), a meeting with signed minutes and follow-up tasks. A handful of rows: plain
creates and one audit row for the run."""

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Membership, OrgUnit, Role, UnitType
from kinsight.family.models import (
    Consent,
    ConsentForm,
    ConsentPurpose,
    ConsentUnit,
    FamilyMeeting,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    FollowUpTask,
    LinkedCase,
    MeetingNote,
    MeetingParticipant,
    Participant,
)
from kinsight.people import demo_texts
from kinsight.people.models import RelationKind, Relationship

# Texts that fit the family: what the oldest child's age allows (no school for a
# two-year-old), what the children call their parents (no "mamman" for a man).
CONTACT = {  # the oldest child's age band: (the external person at the meeting, task)
    demo_texts.INFANT: ("BVC-sköterska", "Boka tid på BVC tillsammans med föräldern"),
    demo_texts.PRESCHOOL: ("Förskolans pedagog", "Kontakta förskolan om anpassningar"),
    demo_texts.SCHOOL: ("Skolkurator", "Kontakta skolkurator om anpassningar"),
    demo_texts.TEEN: ("Skolkurator", "Kontakta skolkurator om anpassningar"),
}
TASKS = ["Följ upp ekonomin inför nästa möte"]


def _band(kids, today):
    ages = [age for age in (kid.age(today) for kid in kids) if age is not None]
    return demo_texts.age_band(max(ages)) if ages else demo_texts.SCHOOL


def family_tasks(kids, today):
    """Follow-up tasks that fit the children's ages."""
    band = _band(kids, today)
    talks = ["Boka stödsamtal för barnen"] if band != demo_texts.INFANT else []
    return [*talks, CONTACT[band][1], *TASKS]


def meeting_minutes(rng, parents, kids, today):
    """Signed minutes that name the parents as the children call them and mention
    school only when a child goes to school."""
    children = "Barnen" if len(kids) > 1 else "Barnet"
    band = _band(kids, today)
    if rng.random() < 0.5:
        if band == demo_texts.INFANT:
            told = "Föräldrarna har fått stöd i hur barnet får trygg omsorg under behandlingen."
        else:
            told = f"{children} har fått information om förälderns behandling anpassad efter ålder."
        return (
            f"Familjen och enheterna gick igenom läget. {told} Överenskommet: "
            "stödsamtal och föräldrastöd. Nästa möte om sex veckor."
        )
    nouns = [demo_texts.parent_noun(parent.sex) for parent in parents]
    if len(nouns) == 2 and nouns[0] != nouns[1]:
        who = f"{nouns[0].capitalize()} deltar i öppenvården, {nouns[1]} i föräldragrupp."
    else:
        who = f"{nouns[0].capitalize()} deltar i öppenvården."
    if demo_texts.goes_to_school(max((kid.age(today) or 0) for kid in kids)):
        seen = "Skolan rapporterar bättre närvaro."
    elif band == demo_texts.PRESCHOOL:
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


def _staff(municipality, role, unit_id):
    return list(
        Membership.objects.filter(municipality=municipality, role=role, unit_id=unit_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def generate_family(*, municipality, seed=1, families=6, today=None):
    rng = random.Random(seed * 7919 + 11)
    today = today or timezone.localdate()
    units = list(OrgUnit.objects.filter(municipality=municipality, kind="unit"))
    by_district = defaultdict(dict)
    for unit in units:
        by_district[unit.parent_id][unit.unit_type] = unit
    adult_cases = list(
        Case.objects.filter(
            municipality=municipality,
            unit__unit_type__in=ADULT_UNIT_TYPES,
            responsible__isnull=False,
        )
        .exclude(status=CaseStatus.CLOSED)
        .select_related("person", "unit", "responsible")
        .order_by("pk")
    )
    # The addiction unit's cases first (the demo's case worker works there).
    adult_cases.sort(key=lambda c: ADULT_UNIT_TYPES.index(c.unit.unit_type))
    made = defaultdict(int)
    used = set()
    with transaction.atomic():
        for case in adult_cases:
            if made["family_works"] >= families:
                break
            parent = case.person
            if parent.pk in used or not parent.age() or parent.age() < 18:
                continue
            kids = [
                rel.to_person
                for rel in Relationship.objects.filter(
                    from_person=parent, kind=RelationKind.PARENT
                ).select_related("to_person")
                if rel.to_person.is_child and not rel.to_person.protected_identity
            ]
            if not kids:
                continue
            partner = (
                Relationship.objects.filter(from_person=parent, kind=RelationKind.PARTNER)
                .select_related("to_person")
                .first()
            )
            other = partner.to_person if partner and not partner.to_person.is_child else None
            district = by_district[case.unit.parent_id]
            cy_unit = district.get(UnitType.CHILDREN_YOUTH)
            if cy_unit is None:
                continue
            used.update([parent.pk, *(k.pk for k in kids)])
            started = today - datetime.timedelta(days=rng.randint(30, 200))
            work = FamilyWork.objects.create(
                municipality=municipality,
                title=f"Familjeärende {made['family_works'] + 1} – {case.unit.name}",
                started_on=started,
                from_case=case,
                started_by_id=case.responsible_id,
            )
            made["family_works"] += 1
            members = [(parent, FamilyRole.PARENT_1)]
            if other is not None:
                members.append((other, FamilyRole.PARENT_2))
            members += [(kid, FamilyRole.CHILD) for kid in kids]
            for person, role in members:
                FamilyMember.objects.create(
                    municipality=municipality, family_work=work, person=person, role=role
                )
            coordinator = Participant.objects.create(
                municipality=municipality,
                family_work=work,
                unit=case.unit,
                worker_id=case.responsible_id,
                is_coordinator=True,
                joined_on=started,
            )
            LinkedCase.objects.create(
                municipality=municipality,
                family_work=work,
                participant=coordinator,
                case=case,
                linked_by_id=case.responsible_id,
            )
            cy_workers = _staff(municipality, Role.CASE_WORKER, cy_unit.pk)
            cy = Participant.objects.create(
                municipality=municipality,
                family_work=work,
                unit=cy_unit,
                worker_id=cy_workers[0] if cy_workers else None,
                joined_on=started,
            )
            participants = [coordinator, cy]
            for kid in kids:
                kid_case = Case.objects.filter(
                    municipality=municipality, person=kid, unit=cy_unit
                ).first()
                if kid_case is not None:
                    LinkedCase.objects.create(
                        municipality=municipality,
                        family_work=work,
                        participant=cy,
                        case=kid_case,
                        linked_by_id=kid_case.responsible_id or case.responsible_id,
                    )
            econ = district.get(UnitType.ECONOMIC_ASSISTANCE)
            if econ is not None and econ.pk != case.unit_id and rng.random() < 0.5:
                econ_workers = _staff(municipality, Role.CASE_WORKER, econ.pk)
                participants.append(
                    Participant.objects.create(
                        municipality=municipality,
                        family_work=work,
                        unit=econ,
                        worker_id=econ_workers[0] if econ_workers else None,
                        joined_on=started,
                    )
                )
            # Consents: the first family shares fully, the others vary.
            guardian = parent
            for index, (person, _role) in enumerate(members):
                state = (
                    "valid"
                    if made["family_works"] == 1
                    else CONSENT_STATES[(index + made["family_works"]) % len(CONSENT_STATES)]
                )
                if state == "none":
                    continue
                valid_from = started + datetime.timedelta(days=rng.randint(0, 10))
                consent = Consent.objects.create(
                    municipality=municipality,
                    family_work=work,
                    person=person,
                    given_by=guardian if person.is_child else None,
                    purpose=ConsentPurpose.SHARING,
                    all_units=rng.random() < 0.6,
                    form=rng.choice([ConsentForm.WRITTEN, ConsentForm.ORAL]),
                    given_on=valid_from,
                    valid_from=valid_from,
                    valid_to=today - datetime.timedelta(days=3) if state == "expired" else None,
                    withdrawn_on=today - datetime.timedelta(days=2)
                    if state == "withdrawn"
                    else None,
                    withdrawal_reason="Vill inte att fler enheter får veta."
                    if state == "withdrawn"
                    else "",
                    withdrawn_by_id=case.responsible_id if state == "withdrawn" else None,
                    recorded_by_id=case.responsible_id,
                    recorded_unit=case.unit,
                )
                if not consent.all_units:
                    for participant in participants:
                        ConsentUnit.objects.create(
                            municipality=municipality, consent=consent, unit=participant.unit
                        )
                made["consents"] += 1
            held = started + datetime.timedelta(days=rng.randint(7, 25))
            meeting = FamilyMeeting.objects.create(
                municipality=municipality,
                family_work=work,
                unit=case.unit,
                held_on=held,
                place="Familjecentralen",
                agenda="1. Hur har det gått?\n2. Barnens perspektiv\n3. Insatser\n4. Nästa möte",
                created_by_id=case.responsible_id,
            )
            MeetingParticipant.objects.bulk_create(
                [
                    MeetingParticipant(
                        municipality=municipality, meeting=meeting, kind="member", person=p
                    )
                    for p, role in members
                    if role != FamilyRole.CHILD
                ]
                + [
                    MeetingParticipant(
                        municipality=municipality,
                        meeting=meeting,
                        kind="staff",
                        unit=participant.unit,
                        user_id=participant.worker_id,
                    )
                    for participant in participants
                ]
                + [
                    MeetingParticipant(
                        municipality=municipality,
                        meeting=meeting,
                        kind="external",
                        external=CONTACT[_band(kids, today)][0],
                    )
                ]
            )
            signed_at = timezone.make_aware(datetime.datetime.combine(held, datetime.time(15, 30)))
            MeetingNote.objects.create(
                municipality=municipality,
                meeting=meeting,
                author_id=case.responsible_id,
                text=meeting_minutes(
                    rng, [p for p, role in members if role != FamilyRole.CHILD], kids, today
                ),
                created_at=signed_at,
                updated_at=signed_at,
                signed_at=signed_at,
                signed_by_id=case.responsible_id,
            )
            made["meetings"] += 1
            for offset, title in enumerate(rng.sample(family_tasks(kids, today), 2)):
                responsible = participants[offset % len(participants)]
                due = held + datetime.timedelta(days=rng.randint(10, 60))
                done = due < today and rng.random() < 0.5
                FollowUpTask.objects.create(
                    municipality=municipality,
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
                made["tasks"] += 1
        made = dict(made)
        if made:
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                obj=municipality,
                municipality_id=municipality.pk,
                changes={"generated_family": made},
            )
    return {key: made.get(key, 0) for key in ("family_works", "consents", "meetings", "tasks")}
