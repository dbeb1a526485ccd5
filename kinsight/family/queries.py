"""Reads of family work, each starting from visible_to(user, action); reads of
personal data are audited."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.core.notes import link_corrections
from kinsight.family import access
from kinsight.family.models import (
    Consent,
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
from kinsight.people.models import Person, RelationKind, Relationship

WORK_TYPE = "family.familywork"
MEMBER_TYPE = "family.familymember"
LINK_TYPE = "family.linkedcase"
CONSENT_TYPE = "family.consent"
MEETING_TYPE = "family.familymeeting"
NOTE_TYPE = "family.meetingnote"
TASK_TYPE = "family.followuptask"


def _participants_prefetch():
    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("unit", "worker").order_by(
            "-is_coordinator", "pk"
        ),
    )


def family_works(*, actor, include_closed=False):
    """The family works the actor takes part in, with their participants (a list page:
    a fixed number of queries)."""
    works = FamilyWork.objects.visible_to(actor, "view")
    if not include_closed:
        works = works.active()
    return works.prefetch_related(_participants_prefetch()).order_by("-started_on", "-pk")


def audit_list(*, actor, objects, object_type=WORK_TYPE):
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def _getters(rows):
    """The two ways to fetch one row of ``rows()``: ``get`` for a page that shows it
    (404 when the actor may not see it; audited as a read), and ``for_write`` for a
    write that acts on it (404, or 403 when they see it but may not ``action`` it;
    not audited here: the write is). Both through access.rules.get_for."""

    def get(*, actor, pk):
        found = get_for(actor, rows(), pk)
        audit_read(actor=actor, obj=found)
        return found

    def for_write(*, actor, pk, action="change"):
        return get_for(actor, rows(), pk, action)

    return get, for_write


family_work_get, family_work_for_write = _getters(
    lambda: FamilyWork.objects.select_related("from_case")
)


def can_change(*, actor, family_work):
    return FamilyWork.objects.visible_to(actor, "change").filter(pk=family_work.pk).exists()


def members(*, actor, family_work):
    """The members the actor may see (with consent, or their own clients)."""
    found = list(
        FamilyMember.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("person")
        .order_by("ended_on", "role", "pk")
    )
    audit_read_many(actor=actor, objects=found, object_type=MEMBER_TYPE)
    return found


def family_work_overview(*, actor, family_work):
    """Everything the family work page shows, each part narrowed by the access rules
    and audited as one list read per kind."""
    participants = list(
        Participant.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("unit", "worker")
        .order_by("left_on", "-is_coordinator", "pk")
    )
    shown_members = members(actor=actor, family_work=family_work)
    links = list(
        LinkedCase.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("case__person", "case__unit", "case__responsible")
    )
    audit_read_many(actor=actor, objects=links, object_type=LINK_TYPE)
    consents = list(
        Consent.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("person", "given_by", "recorded_by", "recorded_unit")
        .prefetch_related("units")
        .order_by("person__last_name", "person__first_name", "-valid_from", "-pk")
    )
    audit_read_many(actor=actor, objects=consents, object_type=CONSENT_TYPE)
    meetings = list(
        FamilyMeeting.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("unit")
        .order_by("-held_on", "-pk")
    )
    audit_read_many(actor=actor, objects=meetings, object_type=MEETING_TYPE)
    tasks = list(
        FollowUpTask.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("responsible_unit", "responsible")
        .order_by("done_on", "due_on", "pk")
    )
    audit_read_many(actor=actor, objects=tasks, object_type=TASK_TYPE)
    mine = list(access.participations(actor).filter(family_work_id=family_work.pk))
    total_members = FamilyMember.objects.filter(
        family_work=family_work, ended_on__isnull=True
    ).count()
    return {
        "participants": participants,
        "coordinator": next((p for p in participants if p.is_coordinator and p.is_current), None),
        "members": shown_members,
        "hidden_members": max(
            total_members - sum(1 for m in shown_members if m.ended_on is None), 0
        ),
        "linked_cases": links,
        "consents": consents,
        "meetings": meetings,
        "tasks": tasks,
        "my_participants": mine,
        "participates": bool(mine),
        "is_coordinator": any(p.is_coordinator for p in mine),
        "perspectives": family_work.perspectives([m for m in shown_members if m.ended_on is None])
        if len(shown_members) >= total_members
        else None,
    }


def family_works_for_case(*, actor, case):
    """Family works the case is linked to, as the actor may see them."""
    works = list(
        FamilyWork.objects.visible_to(actor, "view")
        .filter(linked_cases__case=case)
        .prefetch_related(_participants_prefetch())
        .distinct()
        .order_by("-started_on", "-pk")
    )
    audit_read_many(actor=actor, objects=works, object_type=WORK_TYPE)
    return works


def family_works_for_person(*, actor, person):
    """Family works where the actor may see the person as a member."""
    visible_members = FamilyMember.objects.visible_to(actor, "view").filter(person=person)
    works = list(
        FamilyWork.objects.visible_to(actor, "view")
        .filter(pk__in=visible_members.values("family_work_id"))
        .prefetch_related(_participants_prefetch())
        .order_by("-started_on", "-pk")
    )
    audit_read_many(actor=actor, objects=works, object_type=WORK_TYPE)
    return works


def suggested_role(case_person, other, link):
    """The family role an other person likely has, seen from the case's person."""
    kind, end = link
    if kind in (RelationKind.PARENT, RelationKind.GUARDIAN):
        # end "to": other is the case person's child; "from": other is a parent.
        return FamilyRole.CHILD if end == "to" else FamilyRole.PARENT_2
    if kind == RelationKind.PARTNER:
        return FamilyRole.PARENT_2
    if kind in (
        RelationKind.LIVES_WITH_FULL,
        RelationKind.LIVES_WITH_PART,
        RelationKind.LIVES_WITH_ALTERNATING,
    ):
        return FamilyRole.CHILD if end == "from" else FamilyRole.PARENT_2
    if kind == RelationKind.SIBLING and case_person.is_child:
        return FamilyRole.CHILD
    return FamilyRole.OTHER


def member_candidates(*, actor, case):
    """[(person, suggested role)] for starting family work from ``case``: the case's
    person and the persons related to them that the actor may see."""
    person = case.person
    today = timezone.localdate()
    relations = (
        Relationship.objects.visible_to(actor, "view")
        .filter(Q(from_person=person) | Q(to_person=person))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("from_person", "to_person")
        .order_by("pk")
    )
    found = {}
    for rel in relations:
        if rel.from_person_id == person.pk:
            other, end = rel.to_person, "to"
        else:
            other, end = rel.from_person, "from"
        found.setdefault(other.pk, (other, suggested_role(person, other, (rel.kind, end))))
    own = FamilyRole.CHILD if person.is_child else FamilyRole.PARENT_1
    candidates = [(person, own)] + list(found.values())
    audit_read_many(actor=actor, objects=[p for p, _r in candidates], object_type="people.person")
    return candidates


def addable_persons(*, actor, family_work):
    """Persons the actor may see who are related to a current member and not yet
    members (for adding a member later)."""
    member_ids = FamilyMember.objects.filter(family_work=family_work).values("person_id")
    current = FamilyMember.objects.visible_to(actor, "view").filter(
        family_work=family_work, ended_on__isnull=True
    )
    related = Relationship.objects.visible_to(actor, "view").filter(
        Q(from_person_id__in=current.values("person_id"))
        | Q(to_person_id__in=current.values("person_id"))
    )
    ids = set(related.values_list("from_person_id", flat=True)) | set(
        related.values_list("to_person_id", flat=True)
    )
    return (
        Person.objects.visible_to(actor, "view")
        .filter(pk__in=ids)
        .exclude(pk__in=member_ids)
        .order_by("last_name", "first_name")
    )


def linkable_cases(*, actor, family_work):
    """The actor's own unit's open cases of current members, not linked yet."""
    units = access.participations(actor).filter(family_work_id=family_work.pk).values("unit_id")
    member_ids = FamilyMember.objects.filter(family_work=family_work, ended_on__isnull=True).values(
        "person_id"
    )
    return (
        Case.objects.visible_to(actor, "view")
        .open()
        .filter(unit_id__in=units, person_id__in=member_ids)
        .exclude(family_links__family_work=family_work)
        .select_related("person", "unit")
        .order_by("person__last_name", "pk")
    )


meeting_get, meeting_for_write = _getters(
    lambda: FamilyMeeting.objects.select_related("family_work", "unit")
)


def meeting_detail(*, actor, meeting):
    participants = list(
        MeetingParticipant.objects.visible_to(actor, "view")
        .filter(meeting=meeting)
        .select_related("person", "unit", "user")
    )
    notes = list(
        MeetingNote.objects.visible_to(actor, "view")
        .filter(meeting=meeting)
        .select_related("author", "signed_by")
        .order_by("created_at", "pk")
    )
    audit_read_many(actor=actor, objects=notes, object_type=NOTE_TYPE)
    tasks = list(
        FollowUpTask.objects.visible_to(actor, "view")
        .filter(meeting=meeting)
        .select_related("responsible_unit", "responsible")
    )
    return {
        "participants": participants,
        "notes": link_corrections(notes),
        "tasks": tasks,
        "can_change": FamilyMeeting.objects.visible_to(actor, "change")
        .filter(pk=meeting.pk)
        .exists(),
    }


note_get, note_for_write = _getters(
    lambda: MeetingNote.objects.select_related("meeting__family_work", "corrects")
)


consent_get, consent_for_write = _getters(
    lambda: Consent.objects.select_related("person", "family_work")
)


task_get, task_for_write = _getters(lambda: FollowUpTask.objects.select_related("family_work"))


def open_tasks(*, actor):
    """Open follow-up tasks the actor (or their unit) is responsible for, by due date
    (for the work queues)."""
    units = access.work_unit_ids(actor)
    return (
        FollowUpTask.objects.visible_to(actor, "view")
        .open()
        .filter(Q(responsible_id=actor.pk) | Q(responsible_unit_id__in=units))
        .select_related("family_work", "responsible_unit", "responsible")
        .order_by("due_on", "pk")
    )
