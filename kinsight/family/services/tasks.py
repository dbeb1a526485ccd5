"""Follow-up tasks (decisions and follow-ups with a due date and a responsible unit)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, update_audited
from kinsight.family.models import FamilyMeeting, FamilyWork, FollowUpTask, Participant
from kinsight.family.rules import refuse_closed
from kinsight.family.services.common import my_participant, worker_errors

TASK_FIELDS = [
    "family_work",
    "meeting",
    "title",
    "decision",
    "due_on",
    "responsible_unit",
    "responsible",
    "done_on",
    "outcome",
]


def task_create(
    *,
    actor: User,
    family_work: FamilyWork,
    title: str,
    due_on: datetime.date | None,
    responsible_unit: OrgUnit,
    responsible: User | None = None,
    decision: str = "",
    meeting: FamilyMeeting | None = None,
) -> FollowUpTask:
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    my_participant(actor, family_work)
    refuse_closed(family_work)
    if meeting is not None:
        require(FamilyMeeting.objects.visible_to(actor, "view"), meeting)
        if meeting.family_work_id != family_work.pk:
            raise PermissionDenied
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Skriv vad som ska göras.")
    if due_on is None:
        errors["due_on"] = _("Ange när uppgiften ska vara klar.")
    if not Participant.objects.filter(
        family_work=family_work, unit=responsible_unit, left_on__isnull=True
    ).exists():
        errors["responsible_unit"] = _("Välj en enhet som deltar i familjeärendet.")
    else:
        errors.update(worker_errors(responsible_unit, responsible, field="responsible"))
    if errors or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        return create_audited(
            actor,
            FollowUpTask,
            TASK_FIELDS,
            family_work=family_work,
            meeting=meeting,
            title=title.strip(),
            decision=decision or "",
            due_on=due_on,
            responsible_unit=responsible_unit,
            responsible=responsible,
            created_by=actor,
        )


def task_complete(
    *,
    actor: User,
    task: FollowUpTask,
    expected_version: int | None,
    outcome: str = "",
    done_on: datetime.date | None = None,
) -> FollowUpTask:
    require(FollowUpTask.objects.visible_to(actor, "change"), task)
    if task.done_on is not None:
        raise ValidationError(_("Uppgiften är redan klar."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("En uppgift kan inte bli klar i framtiden.")})
    with transaction.atomic():
        return update_audited(
            actor,
            task,
            {"done_on": done_on, "done_by": actor, "outcome": outcome or ""},
            expected_version=expected_version,
            audited=["done_on", "done_by"],
        )
