"""Applications from the open group list (egen ansökan): anyone sends one without an
account; the cycle's leaders accept it (an anonymous participant on the waiting list,
intake "self") or decline it. Each step is audited; the public one has no actor."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.services import audit_created, audit_updated
from kinsight.core.models import User
from kinsight.groups.models import (
    ApplicationStatus,
    Cycle,
    GroupApplication,
    GroupParticipant,
    Intake,
)
from kinsight.groups.queries_applications import public_cycles
from kinsight.groups.queries_settings import group_settings
from kinsight.groups.services.cycles import participant_add
from kinsight.groups.services.offers import lock_cycle, locked_open_cycle

# Audited without the name, contact or message: the log says that an application came,
# not who wrote what.
APPLICATION_FIELDS = ["cycle", "age_band", "sex", "status"]


def application_submit(
    *,
    cycle: Cycle,
    name: str,
    contact: str,
    age_band: str,
    sex: str = "",
    message: str = "",
) -> GroupApplication:
    """An application to ``cycle`` from the open list (no actor): refused unless the
    municipality shows the list and the cycle is offered on it with a free place."""
    with transaction.atomic():
        lock_cycle(cycle)
        offered = group_settings(cycle.municipality_id).public_list and (
            public_cycles(cycle.municipality_id).filter(pk=cycle.pk).exists()
        )
        if not offered:
            raise ValidationError(_("Gruppen tar inte emot anmälningar just nu."))
        application = GroupApplication(
            municipality_id=cycle.municipality_id,
            cycle=cycle,
            name=name.strip(),
            contact=contact.strip(),
            age_band=age_band,
            sex=sex,
            message=message.strip(),
        )
        application.full_clean()
        application.save()
        return audit_created(None, application, APPLICATION_FIELDS)


def _handle(
    actor: User, application: GroupApplication, status: str, **values: Any
) -> GroupApplication:
    """Mark a new application handled; refused when someone already handled it (the
    state is the version: only a new one changes)."""
    handled = {"handled_by": actor, "handled_at": timezone.now(), **values}
    changed = GroupApplication.objects.filter(
        pk=application.pk, status=ApplicationStatus.NEW
    ).update(status=status, **handled)
    if not changed:
        raise ValidationError({"status": _("Intresseanmälan är redan hanterad. Ladda om sidan.")})
    application.status = status
    for name, value in handled.items():
        setattr(application, name, value)
    changes: dict[str, Any] = {"status": [ApplicationStatus.NEW, status]}
    if "participant" in values:
        changes["participant"] = [None, values["participant"].pk]
    return audit_updated(actor, application, changes)


def application_accept(*, actor: User, application: GroupApplication) -> GroupParticipant:
    """Take the applicant in: an anonymous participant on the waiting list (intake
    self, age band and sex from the application, the cycle's district), linked to the
    application. A cycle that is full or has ended refuses."""
    require(GroupApplication.objects.visible_to(actor, "change"), application)
    cycle = application.cycle
    with transaction.atomic():
        found = locked_open_cycle(cycle, cycle.municipality_id)
        if application.status != ApplicationStatus.NEW:
            raise ValidationError(
                {"status": _("Intresseanmälan är redan hanterad. Ladda om sidan.")}
            )
        if found is None or found.taken >= found.places:
            raise ValidationError(
                {"cycle": _("Gruppomgången är full eller har slutat: inga fler kan antas.")}
            )
        participant = participant_add(
            actor=actor,
            cycle=cycle,
            age_band=application.age_band,
            sex=application.sex,
            district=cycle.district,
            intake=Intake.SELF,
        )
        _handle(actor, application, ApplicationStatus.ACCEPTED, participant=participant)
        return participant


def application_decline(*, actor: User, application: GroupApplication) -> GroupApplication:
    """Decline an application (it stays, handled, for the record)."""
    require(GroupApplication.objects.visible_to(actor, "change"), application)
    with transaction.atomic():
        return _handle(actor, application, ApplicationStatus.DECLINED)
