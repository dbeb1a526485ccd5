"""Who reaches the network's records, and the reads. The region's staff (the network
leader) reach their region's; in a current member municipality its heads of services
and unit managers read their regions' meetings, material and inventories; everyone else
404. The region's rows hold no personal data: their reads are not audited, except a
shared file's download (services.file_download)."""

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinsight.core.models import Role, User
from kinsight.network.models import (
    Answer,
    Course,
    Enrolment,
    Inventory,
    Meeting,
    MeetingFile,
    Question,
)
from kinsight.regions.models import Member, Region
from kinsight.regions.queries import current_members, region_of

READER_ROLES = (Role.HEAD_OF_SERVICES, Role.UNIT_MANAGER)
Part = TypeVar("Part", MeetingFile, Question, Enrolment)


def is_leader(user: User, region_id: int) -> bool:
    """The user is staff of the region (its network leader)."""
    if user.municipality_id:  # the region's staff have none
        return False
    region = region_of(user)
    return region is not None and region.pk == region_id


def is_member_head(user: User) -> bool:
    """A head of services of a municipality (its member parts: questions, answers)."""
    return bool(user.municipality_id and user.units_with_role(Role.HEAD_OF_SERVICES))


def reader_regions(user: User) -> list[int]:
    """The regions whose network records the user reads (none for most users)."""
    if not (user.is_authenticated and user.is_active):
        return []
    if not user.municipality_id:  # the region's staff have none
        region = region_of(user)
        return [region.pk] if region is not None else []
    if not user.units_with_role(*READER_ROLES):
        return []
    rows = Member.objects.filter(current_members(), municipality_id=user.municipality_id)
    return list(rows.values_list("region_id", flat=True).distinct())


def member_ids(region: Region | int) -> list[int]:
    """The municipalities that are members of the region today."""
    region_id = region if isinstance(region, int) else region.pk
    rows = Member.objects.filter(current_members(), region_id=region_id)
    return sorted(set(rows.values_list("municipality_id", flat=True)))


def meetings(user: User, year: int | None = None) -> QuerySet[Meeting]:
    rows = Meeting.objects.filter(region_id__in=reader_regions(user)).select_related("region")
    return rows.filter(day__year=year) if year else rows


def meeting(user: User, pk: Any) -> Meeting:
    """One meeting with its attendance, files (without their bytes) and questions."""
    rows = meetings(user).prefetch_related(
        Prefetch("attendances", to_attr="invited"),
        "attendances__municipality",
        Prefetch("files", queryset=MeetingFile.objects.defer("data"), to_attr="shared"),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("municipality", "asked_by", "answered_by"),
            to_attr="asked",
        ),
    )
    return get_object_or_404(rows, pk=pk)


def region_part(user: User, model: type[Part], pk: Any, via: str, *related: str) -> Part:
    """A row that belongs to a record of one of the user's regions through ``via`` (a
    file or a question through its meeting, an enrolment through its course), with that
    record (and ``related``); 404 otherwise. One rule for every such row."""
    rows = model.objects.select_related(via, *related)
    return get_object_or_404(rows, pk=pk, **{f"{via}__region_id__in": reader_regions(user)})


def shared_file(user: User, pk: Any) -> MeetingFile:
    """A file shared at a meeting of one of the user's regions (404 otherwise)."""
    return region_part(user, MeetingFile, pk, "meeting")


def next_meeting(user: User) -> Meeting | None:
    return meetings(user).filter(day__gte=timezone.localdate()).first()


def inventories(user: User) -> QuerySet[Inventory]:
    return Inventory.objects.filter(region_id__in=reader_regions(user)).select_related("region")


def inventory(user: User, pk: Any) -> Inventory:
    return get_object_or_404(inventories(user), pk=pk)


def members_part(user: User, region_id: int, rows: QuerySet[Any]) -> list[Any]:
    """The members' parts of a region's record (answers, enrolments): the leader reads
    every member's, a member only its own municipality's. Said once for both."""
    if not is_leader(user, region_id):
        rows = rows.filter(municipality_id=user.municipality_id or 0)
    return list(rows)


def answers(user: User, found: Inventory) -> list[Answer]:
    rows = found.answers.select_related("municipality", "answered_by")
    return members_part(user, found.region_id, rows)


def courses(user: User) -> QuerySet[Course]:
    return Course.objects.filter(region_id__in=reader_regions(user)).select_related("region")


@dataclass
class AreaSummary:
    """One area of the compilation: each member's answer (None: not answered) and the
    total number of staff the answers name."""

    area: str
    rows: list[tuple[str, Answer | None]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(answer.staff_count for _name, answer in self.rows if answer)

    @property
    def answered(self) -> int:
        return sum(1 for _name, answer in self.rows if answer)


def member_names(region_id: int) -> dict[int, str]:
    rows = Member.objects.filter(current_members(), region_id=region_id)
    found = rows.select_related("municipality").order_by("municipality__name")
    return {m.municipality_id: m.municipality.name for m in found}


def compilation(found: Inventory, given: list[Answer]) -> list[AreaSummary]:
    """Per area and member (today's members, and any that answered and left)."""
    names = member_names(found.region_id)
    for answer in given:
        names.setdefault(answer.municipality_id, answer.municipality.name)
    by_key = {(a.area, a.municipality_id): a for a in given}
    return [
        AreaSummary(area, [(name, by_key.get((area, pk))) for pk, name in names.items()])
        for area in found.areas
    ]


def member_status(found: Inventory, given: list[Answer]) -> list[tuple[str, int]]:
    """Per member the number of areas answered (of ``len(found.areas)``)."""
    names = member_names(found.region_id)
    counts = dict.fromkeys(names, 0)
    for answer in given:
        if answer.municipality_id in counts:
            counts[answer.municipality_id] += 1
    return [(names[pk], counts[pk]) for pk in names]


def course_rows(user: User) -> QuerySet[Course]:
    """The offer with each course's number enrolled (``enrolled``) and whether it is
    below its minimum before its decision date (``below``)."""
    today = timezone.localdate()
    below = Q(enrolled__lt=F("minimum"), decision_on__gte=today)
    rows = courses(user).annotate(enrolled=Count("enrolments"))
    rows = rows.annotate(below=ExpressionWrapper(below, output_field=BooleanField()))
    return rows.order_by("starts_on", "title", "pk")


def course(user: User, pk: Any) -> Course:
    return get_object_or_404(course_rows(user), pk=pk)


def enrolments(user: User, found: Course) -> list[Enrolment]:
    rows = found.enrolments.select_related("participant", "municipality")
    return members_part(user, found.region_id, rows)


def own_staff(user: User) -> QuerySet[User]:
    """The head of services' colleagues to enrol (active staff of the municipality)."""
    rows = User.objects.filter(municipality_id=user.municipality_id or 0, is_active=True)
    return rows.order_by("last_name", "first_name")


def trainings(user: User, pk: Any) -> tuple[User, list[Enrolment]]:
    """A staff member's courses: for themselves, and for a head of services of their
    municipality (404 otherwise)."""
    if not user.municipality_id:
        raise Http404
    person = User.objects.filter(pk=pk, municipality_id=user.municipality_id).first()
    if person is None or not (person.pk == user.pk or is_member_head(user)):
        raise Http404
    rows = Enrolment.objects.filter(municipality_id=user.municipality_id, participant=person)
    return person, list(rows.select_related("course", "course__region"))
