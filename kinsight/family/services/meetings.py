"""Family meetings (familjemöten) with their participants, and their minutes: a
signed note (kinsight.core.notes) as a journal note is."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.services import audit_updated
from kinsight.core.models import User
from kinsight.core.note_services import NoteTexts, NoteWrites
from kinsight.core.services import create_audited, save_changes
from kinsight.family import access
from kinsight.family.models import (
    FamilyMeeting,
    FamilyMember,
    FamilyWork,
    MeetingNote,
    MeetingParticipant,
    MeetingParticipantKind,
    Participant,
)
from kinsight.family.rules import refuse_closed
from kinsight.family.services.common import my_participant
from kinsight.people.models import Person

MEETING_FIELDS = ["family_work", "unit", "held_on", "place", "agenda", "created_by"]


def _staff_units(
    family_work: FamilyWork, staff: list[User], errors: dict[str, str]
) -> dict[int, int]:
    """{user id: the participating unit each staff member takes part for}; an error
    when one works in none."""
    units = set(
        Participant.objects.filter(family_work=family_work, left_on__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    found = {}
    for user in staff:
        unit_id = next((u for u in user.units_with_role(*access.WORK_ROLES) if u in units), None)
        if unit_id is None:
            errors["staff"] = _("%(name)s arbetar inte i någon deltagande enhet.") % {"name": user}
            break
        found[user.pk] = unit_id
    return found


def _check_meeting(
    family_work: FamilyWork,
    held_on: datetime.date | None,
    members: list[Person],
    errors: dict[str, str],
) -> None:
    member_ids = set(
        FamilyMember.objects.filter(family_work=family_work, ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    if any(person.pk not in member_ids for person in members):
        errors["members"] = _("Välj bara personer som ingår i familjen.")
    if held_on is None:
        errors["held_on"] = _("Ange datum för mötet.")
    elif held_on < family_work.started_on:
        errors["held_on"] = _("Mötet kan inte vara före familjeärendet startade.")


def meeting_create(
    *,
    actor: User,
    family_work: FamilyWork,
    held_on: datetime.date | None,
    place: str = "",
    agenda: str = "",
    members: Iterable[Person] = (),
    staff: Iterable[User] = (),
    externals: Iterable[str] = (),
) -> FamilyMeeting:
    """A meeting held by the actor's participating unit. ``members``: Persons of the
    family; ``staff``: Users of participating units; ``externals``: text lines."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    participant = my_participant(actor, family_work)
    refuse_closed(family_work)
    members, staff = list(members), list(staff)
    externals = [line.strip() for line in externals if line and line.strip()]
    errors: dict[str, str] = {}
    _check_meeting(family_work, held_on, members, errors)
    staff_units = _staff_units(family_work, staff, errors)
    if errors or held_on is None:
        raise ValidationError(errors)
    municipality_id = municipality_id_of(actor)
    kind = MeetingParticipantKind
    rows: list[dict[str, Any]] = [
        *({"kind": kind.MEMBER, "person": person} for person in members),
        *({"kind": kind.STAFF, "unit_id": staff_units[user.pk], "user": user} for user in staff),
        *({"kind": kind.EXTERNAL, "external": line[:200]} for line in externals),
    ]
    with transaction.atomic():
        meeting = create_audited(
            actor,
            FamilyMeeting,
            MEETING_FIELDS,
            extra={
                "members": [p.pk for p in members],
                "staff": [u.pk for u in staff],
                "externals": len(externals),
            },
            family_work=family_work,
            unit=participant.unit,
            held_on=held_on,
            place=place or "",
            agenda=agenda or "",
            created_by=actor,
        )
        MeetingParticipant.objects.bulk_create(
            MeetingParticipant(municipality_id=municipality_id, meeting=meeting, **row)
            for row in rows
        )
        return meeting


def meeting_update(
    *,
    actor: User,
    meeting: FamilyMeeting,
    expected_version: int | None,
    held_on: datetime.date,
    place: str,
    agenda: str,
) -> FamilyMeeting:
    require(FamilyMeeting.objects.visible_to(actor, "change"), meeting)
    refuse_closed(meeting.family_work)
    if held_on < meeting.family_work.started_on:
        raise ValidationError({"held_on": _("Mötet kan inte vara före familjeärendet startade.")})
    with transaction.atomic():
        changes = save_changes(
            meeting,
            {"held_on": held_on, "place": place or "", "agenda": agenda or ""},
            expected_version=expected_version,
        )
        if "agenda" in changes:  # its length, not its text
            changes["agenda"] = [len(text) for text in changes["agenda"]]
        return audit_updated(actor, meeting, changes)


MINUTES_TEXTS = NoteTexts(
    signed=gettext_lazy(
        "Protokollet är signerat och kan inte ändras. Din text finns kvar i rutan: "
        "skriv en rättelse i stället."
    ),
    empty=gettext_lazy("Ett tomt protokoll kan inte signeras. Skriv texten."),
    not_correctable=gettext_lazy("Bara ett signerat protokoll från samma möte kan rättas."),
)
MINUTES = NoteWrites(MeetingNote, MINUTES_TEXTS)


def minutes_create(
    *, actor: User, meeting: FamilyMeeting, text: str = "", corrects: MeetingNote | None = None
) -> MeetingNote:
    """A new draft of minutes (a correction when ``corrects`` is a signed note)."""
    require(FamilyMeeting.objects.visible_to(actor, "change"), meeting)
    return MINUTES.create(actor=actor, parent=meeting, text=text, corrects=corrects)


# Save (and autosave) a draft (only the author, only while unsigned), sign, discard.
minutes_save = MINUTES.save_draft
minutes_sign = MINUTES.sign
minutes_discard = MINUTES.discard
