"""Reads of family work, each starting from visible_to(user, action); reads of
personal data are audited."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Protocol, TypedDict, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from kinsight.access.lists import audited_list, visible_list
from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.core.models import User
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
    Perspective,
)
from kinsight.people.models import Person, RelationKind, Relationship

WORK_TYPE = "family.familywork"
MEMBER_TYPE = "family.familymember"
LINK_TYPE = "family.linkedcase"
CONSENT_TYPE = "family.consent"
MEETING_TYPE = "family.familymeeting"
NOTE_TYPE = "family.meetingnote"
TASK_TYPE = "family.followuptask"

_M = TypeVar("_M", bound=Model)
_M_co = TypeVar("_M_co", bound=Model, covariant=True)


class Getter(Protocol[_M_co]):
    """A row for a page that shows it (``_getters``)."""

    def __call__(self, *, actor: User, pk: int) -> _M_co: ...


class WriteGetter(Protocol[_M_co]):
    """A row for a write that acts on it (``_getters``)."""

    def __call__(self, *, actor: User, pk: int, action: str = "change") -> _M_co: ...


def _participants_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("unit", "worker").order_by(
            "-is_coordinator", "pk"
        ),
    )


def family_works(*, actor: User, include_closed: bool = False) -> QuerySet[FamilyWork]:
    """The family works the actor takes part in, with their participants (a list page:
    a fixed number of queries)."""
    works = FamilyWork.objects.visible_to(actor, "view")
    if not include_closed:
        works = works.active()
    return works.prefetch_related(_participants_prefetch()).order_by("-started_on", "-pk")


def audit_list(
    *, actor: User, objects: Iterable[Model], object_type: str = WORK_TYPE
) -> AuditEntry | None:
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def _getters(
    rows: Callable[[], TenantQuerySet[_M, _M]],
) -> tuple[Getter[_M], WriteGetter[_M]]:
    """The two ways to fetch one row of ``rows()``: ``get`` for a page that shows it
    (404 when the actor may not see it; audited as a read), and ``for_write`` for a
    write that acts on it (404, or 403 when they see it but may not ``action`` it;
    not audited here: the write is). Both through access.rules.get_for."""

    def get(*, actor: User, pk: int) -> _M:
        found = get_for(actor, rows(), pk)
        audit_read(actor=actor, obj=found)
        return found

    def for_write(*, actor: User, pk: int, action: str = "change") -> _M:
        return get_for(actor, rows(), pk, action)

    return get, for_write


def _work_rows() -> TenantQuerySet[FamilyWork, FamilyWork]:
    return FamilyWork.objects.select_related("from_case")


family_work_get, family_work_for_write = _getters(_work_rows)


def can_change(*, actor: User, family_work: FamilyWork) -> bool:
    return FamilyWork.objects.visible_to(actor, "change").filter(pk=family_work.pk).exists()


def members(*, actor: User, family_work: FamilyWork) -> list[FamilyMember]:
    """The members the actor may see (with consent, or their own clients)."""
    return audited_list(
        actor,
        FamilyMember,
        family_work=family_work,
        related=("person",),
        order=("ended_on", "role", "pk"),
    )


class FamilyWorkOverview(TypedDict):
    """What the family work page shows (``family_work_overview``)."""

    participants: list[Participant]
    coordinator: Participant | None
    members: list[FamilyMember]
    hidden_members: int
    linked_cases: list[LinkedCase]
    consents: list[Consent]
    meetings: list[FamilyMeeting]
    tasks: list[FollowUpTask]
    my_participants: list[Participant]
    participates: bool
    is_coordinator: bool
    perspectives: list[Perspective] | None


def family_work_overview(*, actor: User, family_work: FamilyWork) -> FamilyWorkOverview:
    """Everything the family work page shows, each part narrowed by the access rules
    and audited as one list read per kind."""
    of_work = partial(audited_list, actor, family_work=family_work)
    participants = visible_list(
        actor,
        Participant,
        family_work=family_work,
        related=("unit", "worker"),
        order=("left_on", "-is_coordinator", "pk"),
    )
    shown_members = members(actor=actor, family_work=family_work)
    links = of_work(LinkedCase, related=("case__person", "case__unit", "case__responsible"))
    consents = of_work(
        Consent,
        related=("person", "given_by", "recorded_by", "recorded_unit"),
        prefetch=("units",),
        order=("person__last_name", "person__first_name", "-valid_from", "-pk"),
    )
    # Meetings and tasks in their models' order (newest meeting first, open tasks first).
    meetings = of_work(FamilyMeeting, related=("unit",))
    tasks = of_work(FollowUpTask, related=("responsible_unit", "responsible"))
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


def family_works_for_case(*, actor: User, case: Case) -> list[FamilyWork]:
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


def family_works_for_person(*, actor: User, person: Person) -> list[FamilyWork]:
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


def suggested_role(case_person: Person, other: Person, link: tuple[str, str]) -> str:
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


def member_candidates(*, actor: User, case: Case) -> list[tuple[Person, str]]:
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
    found: dict[int, tuple[Person, str]] = {}
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


def addable_persons(*, actor: User, family_work: FamilyWork) -> QuerySet[Person]:
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


def linkable_cases(*, actor: User, family_work: FamilyWork) -> QuerySet[Case]:
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


def _meeting_rows() -> TenantQuerySet[FamilyMeeting, FamilyMeeting]:
    return FamilyMeeting.objects.select_related("family_work", "unit")


meeting_get, meeting_for_write = _getters(_meeting_rows)


class MeetingDetail(TypedDict):
    """What the meeting page shows (``meeting_detail``)."""

    participants: list[MeetingParticipant]
    notes: list[MeetingNote]
    tasks: list[FollowUpTask]
    can_change: bool


def meeting_detail(*, actor: User, meeting: FamilyMeeting) -> MeetingDetail:
    participants = visible_list(
        actor, MeetingParticipant, meeting=meeting, related=("person", "unit", "user")
    )
    notes = audited_list(actor, MeetingNote, meeting=meeting, related=("author", "signed_by"))
    tasks = visible_list(
        actor, FollowUpTask, meeting=meeting, related=("responsible_unit", "responsible")
    )
    return {
        "participants": participants,
        "notes": link_corrections(notes),
        "tasks": tasks,
        "can_change": FamilyMeeting.objects.visible_to(actor, "change")
        .filter(pk=meeting.pk)
        .exists(),
    }


def _note_rows() -> TenantQuerySet[MeetingNote, MeetingNote]:
    return MeetingNote.objects.select_related("meeting__family_work", "corrects")


def _consent_rows() -> TenantQuerySet[Consent, Consent]:
    return Consent.objects.select_related("person", "family_work")


def _task_rows() -> TenantQuerySet[FollowUpTask, FollowUpTask]:
    return FollowUpTask.objects.select_related("family_work")


note_get, note_for_write = _getters(_note_rows)
consent_get, consent_for_write = _getters(_consent_rows)
task_get, task_for_write = _getters(_task_rows)


def open_tasks(*, actor: User) -> QuerySet[FollowUpTask]:
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
