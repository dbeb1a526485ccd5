"""The steps of a child record (identified → attended → …), each dated, by the actor."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.validation import today
from kinsight.detection.access import WORK_ROLES
from kinsight.detection.models import (
    SUPPORT_STEPS,
    ChildInformation,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
)
from kinsight.detection.services.child_records import STEP_FIELDS


def _actor_unit(actor: User, record: ChildRecord) -> int | None:
    units = actor.units_with_role(*WORK_ROLES)
    if record.unit_id in units:
        return record.unit_id
    report = (
        ConcernReport.objects.filter(child_record=record, receiving_unit_id__in=units)
        .order_by("-received_on")
        .first()
    )
    return report.receiving_unit_id if report else None


def _check_child_information(
    errors: dict[str, str],
    status: str,
    parent_talked_with: bool,
    information: str,
    reason: str,
) -> tuple[str, str]:
    """Validate the two parts of "attended"; returns the information and reason to
    store (a reason only with "not applicable")."""
    information, reason = information or "", (reason or "").strip()
    if information and information not in ChildInformation.values:
        errors["child_information"] = _("Välj om barnet har fått information.")
    if len(reason) > 300:
        errors["child_information_reason"] = _("Skriv högst 300 tecken om varför.")
    if information == ChildInformation.NOT_APPLICABLE and not reason:
        errors["child_information_reason"] = _(
            "Skriv varför information till barnet inte är tillämplig, t.ex. att barnet är "
            "nyfött eller inte fött än."
        )
    if status == ChildStatus.ATTENDED:
        if not parent_talked_with:
            errors["parent_talked_with"] = _(
                "Uppmärksammat betyder att du har pratat med föräldern om barnets situation "
                "och att barnet har fått information anpassad efter ålder. Bekräfta samtalet, "
                "eller vänta med steget."
            )
        if not information:
            errors["child_information"] = _(
                "Uppmärksammat räknas först när barnet också har fått information anpassad "
                "efter ålder. Ange det, eller ej tillämpligt med skäl (t.ex. ett spädbarn)."
            )
    if information != ChildInformation.NOT_APPLICABLE:
        reason = ""
    return information, reason


def child_record_step(
    *,
    actor: User,
    record: ChildRecord,
    status: str,
    expected_version: int | None,
    on: datetime.date | None = None,
    note: str = "",
    parent_talked_with: bool = False,
    child_information: str = "",
    child_information_reason: str = "",
) -> ChildRecordStep:
    """Move the child to the next step of the lifecycle (dated, by the actor).
    Attended (uppmärksammat) needs both parts: the parent talked with about the child,
    and the child given age-appropriate information, or that marked not applicable
    with a reason (an infant, a child not yet born)."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    stored = ChildRecord._base_manager.get(pk=record.pk)
    on = on or today()
    errors: dict[str, str] = {}
    allowed = stored.next_statuses()
    if status not in allowed:
        if not allowed:
            errors["status"] = _("Barnet har inget nästa steg: inget ytterligare behov.")
        else:
            errors["status"] = _("Från %(current)s kan barnet gå till: %(allowed)s.") % {
                "current": stored.get_status_display().lower(),
                "allowed": ", ".join(str(ChildStatus(s).label).lower() for s in allowed),
            }
    if on > today():
        errors["on"] = _("Datumet kan inte ligga i framtiden.")
    elif on < stored.status_changed_on:
        errors["on"] = _("Datumet kan inte vara före förra steget (%(day)s).") % {
            "day": stored.status_changed_on
        }
    child_information, child_information_reason = _check_child_information(
        errors, status, parent_talked_with, child_information, child_information_reason
    )
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("Skriv högst 500 tecken i den korta anteckningen.")
    if errors:
        raise ValidationError(errors)
    values = {"status": status, "status_changed_on": on}
    if record.attended_on is None:
        values["attended_on"] = on
    return _save_step(
        actor,
        record,
        stored,
        values,
        expected_version,
        unit_id=_actor_unit(actor, record),
        note=note,
        parent_talked_with=bool(parent_talked_with),
        child_information=child_information,
        child_information_reason=child_information_reason,
    )


def _save_step(
    actor: User,
    record: ChildRecord,
    stored: ChildRecord,
    values: dict[str, Any],
    expected_version: int | None,
    **step: Any,
) -> ChildRecordStep:
    with transaction.atomic():
        update_audited(
            actor,
            record,
            values,
            expected_version=expected_version,
            audited=["status", "attended_on", "status_changed_on"],
            stored=stored,
        )
        return create_audited(
            actor,
            ChildRecordStep,
            STEP_FIELDS,
            record=record,
            status=values["status"],
            on=values["status_changed_on"],
            by=actor,
            **step,
        )


def child_record_support_step(
    *, actor: User, record: ChildRecord, status: str, on: datetime.date, note: str = ""
) -> ChildRecordStep | None:
    """The step a support group gives the record: offered, started or completed
    (SUPPORT_STEPS), taken for the group's leader, who does not see the record. The
    caller (the groups service) has checked that the actor leads the cycle whose
    participant is linked to ``record``. Taken only when the lifecycle allows it
    (otherwise None); dated ``on``, or the day of the record's last step if later."""
    if status not in SUPPORT_STEPS:
        raise ValueError(f"not a support step: {status}")
    stored = ChildRecord._base_manager.select_for_update().get(pk=record.pk)
    if status not in stored.next_statuses():
        return None
    day = max(on, stored.status_changed_on)
    values = {"status": status, "status_changed_on": day}
    return _save_step(actor, stored, stored, values, stored.version, note=note.strip()[:500])
