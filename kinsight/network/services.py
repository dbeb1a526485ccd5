"""The network's writes, each taking the acting user and writing its audit rows in the
same transaction. The region has no audit chain: a write to the region's own records
(a meeting, its minutes, a file, an inventory, a course) is recorded in the chain of
every current member (they share the record), a member's part (its attendance, its
question, its answer) in that member's chain, and a download in the downloader's
municipality's chain (the network leader's: every member's)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import Municipality, User
from kinsight.network import files
from kinsight.network.models import Attendance, Meeting, MeetingFile, Question
from kinsight.network.queries import is_leader, is_member_head, member_ids, reader_regions
from kinsight.regions.models import Region
from kinsight.regions.queries import region_of


def audit_shared(
    *, actor: User, action: str, obj: models.Model, region_id: int, changes: dict[str, Any]
) -> None:
    """One row per chain that shares ``obj``: the actor's municipality's, or (for the
    region's staff) every current member's."""
    chains = [actor.municipality_id] if actor.municipality_id else member_ids(region_id)
    for municipality_id in chains:
        audit_record(
            actor=actor, action=action, obj=obj, municipality_id=municipality_id, changes=changes
        )


def audit_shared_create(
    actor: User, obj: models.Model, region_id: int, values: dict[str, Any]
) -> None:
    """The creation of a record of the region's own (a meeting, a file, an inventory, a
    course): each field as [None, value], in every chain that shares it. One helper so
    that every create of the network audits the same way."""
    changes = {name: [None, value] for name, value in values.items()}
    audit_shared(
        actor=actor, action=AuditAction.CREATE, obj=obj, region_id=region_id, changes=changes
    )


def leader_of(actor: User, region_id: int | None = None) -> Region:
    """The actor's region as its network leader (403 otherwise, or for another region)."""
    region = region_of(actor)
    if region is None or (region_id is not None and region.pk != region_id):
        raise PermissionDenied
    return region


def _times(starts_at: datetime.time, ends_at: datetime.time, place: str, link: str) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjar.")})
    if not (place.strip() or link.strip()):
        raise ValidationError({"place": _("Ange en plats eller en länk till mötet.")})


MEETING_FIELDS = ["title", "day", "starts_at", "ends_at", "place", "link", "agenda"]


def meeting_plan(*, actor: User, **values: Any) -> Meeting:
    """The network leader adds a meeting to the calendar; every current member is
    invited."""
    region = leader_of(actor)
    _times(values["starts_at"], values["ends_at"], values["place"], values["link"])
    with transaction.atomic():
        meeting = Meeting.objects.create(region=region, created_by=actor, **values)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, municipality_id=pk) for pk in member_ids(region)
        )
        audited = {name: str(values[name]) for name in MEETING_FIELDS}
        audit_shared_create(actor, meeting, region.pk, audited)
    return meeting


def _update(actor: User, meeting: Meeting, values: dict[str, Any]) -> Meeting:
    changes = {
        name: [str(getattr(meeting, name)), str(value)]
        for name, value in values.items()
        if getattr(meeting, name) != value
    }
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(**values)
        if changes:
            audit_shared(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=meeting,
                region_id=meeting.region_id,
                changes=changes,
            )
    meeting.refresh_from_db()
    return meeting


def meeting_change(*, actor: User, meeting: Meeting, **values: Any) -> Meeting:
    """The network leader changes the meeting's time, place or agenda."""
    leader_of(actor, meeting.region_id)
    _times(values["starts_at"], values["ends_at"], values["place"], values["link"])
    return _update(actor, meeting, values)


def minutes_write(*, actor: User, meeting: Meeting, minutes: str, minutes_writer: str) -> Meeting:
    """The network leader writes the minutes, naming who wrote them."""
    leader_of(actor, meeting.region_id)
    if not minutes.strip():
        raise ValidationError({"minutes": _("Skriv minnesanteckningarna.")})
    if not minutes_writer.strip():
        raise ValidationError({"minutes_writer": _("Ange vem som skrev anteckningarna.")})
    values = {"minutes": minutes.strip(), "minutes_writer": minutes_writer.strip()}
    return _update(actor, meeting, values)


def attendance_record(
    *, actor: User, meeting: Meeting, municipality: Municipality, attendees: str
) -> Attendance:
    """The network leader records who came from an invited member (names as text)."""
    leader_of(actor, meeting.region_id)
    found = Attendance.objects.filter(meeting=meeting, municipality=municipality).first()
    if found is None:
        raise ValidationError({"municipality": _("Kommunen är inte inbjuden till mötet.")})
    with transaction.atomic():
        Attendance.objects.filter(pk=found.pk).update(attendees=attendees.strip())
        changes = {"attendees": [found.attendees, attendees.strip()]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, changes=changes)
    found.refresh_from_db()
    return found


def file_add(*, actor: User, meeting: Meeting, file: UploadedFile) -> MeetingFile:
    """The network leader shares a file at the meeting (checked: kind, content, size)."""
    leader_of(actor, meeting.region_id)
    size = file.size or 0
    if size > files.max_bytes():  # refused before it is read
        files.checked(file.name or "", size, b"")
    data = file.read()
    kind = files.checked(file.name or "", len(data), data)
    name = (file.name or "fil").replace("/", "_").replace("\\", "_")[-200:]
    with transaction.atomic():
        shared = MeetingFile.objects.create(
            meeting=meeting,
            name=name,
            content_type=kind.content_type,
            size=len(data),
            data=data,
            uploaded_by=actor,
        )
        audited = {"name": name, "size": len(data), "meeting": meeting.pk}
        audit_shared_create(actor, shared, meeting.region_id, audited)
    return shared


def file_download(*, actor: User, shared: MeetingFile) -> None:
    """Record a download of a shared file (before it is sent: no row, no file)."""
    region_id = shared.meeting.region_id
    if region_id not in reader_regions(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit_shared(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=shared,
            region_id=region_id,
            changes={"name": shared.name, "meeting": shared.meeting_id},
        )


def question_ask(*, actor: User, meeting: Meeting, text: str) -> Question:
    """A member's head of services raises a question at the meeting."""
    if not is_member_head(actor) or meeting.region_id not in reader_regions(actor):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Skriv frågan.")})
    with transaction.atomic():
        question = Question.objects.create(
            meeting=meeting,
            municipality_id=actor.municipality_id or 0,  # a head: has one
            text=text.strip(),
            asked_by=actor,
        )
        changes = {"text": [None, question.text], "meeting": [None, meeting.pk]}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=question, changes=changes)
    return question


def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    """Another member's head of services, or the network leader, answers."""
    region_id = question.meeting.region_id
    leader = is_leader(actor, region_id)
    other_member = (
        is_member_head(actor)
        and actor.municipality_id != question.municipality_id
        and region_id in reader_regions(actor)
    )
    if not (leader or other_member):
        raise PermissionDenied
    if question.answered_at is not None:
        raise ValidationError(_("Frågan är redan besvarad."))
    if not answer.strip():
        raise ValidationError({"answer": _("Skriv svaret.")})
    now = timezone.now()
    with transaction.atomic():
        done = Question.objects.filter(pk=question.pk, answered_at__isnull=True).update(
            answer=answer.strip(), answered_by=actor, answered_at=now
        )
        if not done:
            raise ValidationError(_("Frågan är redan besvarad."))
        changes = {"answer": [None, answer.strip()]}
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=question,
            municipality_id=question.municipality_id,
            changes=changes,
        )
    question.refresh_from_db()
    return question
