"""The units taking part in a family work (join, leave, the coordinator) and the
cases they link to it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.cases.models import Case
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, delete_audited
from kinsight.family import access, grants
from kinsight.family.models import FamilyMember, FamilyWork, LinkedCase, Participant
from kinsight.family.rules import refuse_closed
from kinsight.family.services.common import (
    check_worker,
    lock,
    update_fields,
)

PARTICIPANT_FIELDS = ["family_work", "unit", "worker", "is_coordinator", "joined_on", "left_on"]
LINK_FIELDS = ["family_work", "participant", "case", "linked_by"]


def participant_add(
    *, actor: User, family_work: FamilyWork, unit: OrgUnit, worker: User | None = None
) -> Participant:
    """The coordinator brings in another unit (again, if it had left)."""
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    refuse_closed(family_work)
    if unit.municipality_id != actor.municipality_id or unit.kind != "unit":
        raise ValidationError({"unit": _("Välj en enhet i din egen kommun.")})
    check_worker(unit, worker)
    with transaction.atomic():
        lock(family_work)
        participant = _participant_join(actor, family_work, unit, worker)
        grants.work_grants_add(family_work, unit_ids=[unit.pk])
        grants.consent_grants_add(family_work, unit_ids=[unit.pk])
        return participant


def _participant_join(
    actor: User, family_work: FamilyWork, unit: OrgUnit, worker: User | None
) -> Participant:
    """A new participant row, or the one of a unit that had left taken up again."""
    existing = Participant.objects.filter(family_work=family_work, unit=unit).first()
    if existing is not None:
        if existing.left_on is None:
            raise ValidationError({"unit": _("Enheten deltar redan.")})
        return update_fields(
            actor, existing, left_on=None, worker=worker, joined_on=timezone.localdate()
        )
    return create_audited(
        actor, Participant, PARTICIPANT_FIELDS, family_work=family_work, unit=unit, worker=worker
    )


def participant_leave(
    *, actor: User, participant: Participant, left_on: datetime.date | None = None
) -> Participant:
    require(Participant.objects.visible_to(actor, "change"), participant)
    refuse_closed(participant.family_work)
    if participant.is_coordinator:
        raise ValidationError(
            _("Samordnande enhet kan inte lämna. Gör en annan enhet till samordnare först.")
        )
    if participant.left_on is not None:
        raise ValidationError(_("Enheten har redan lämnat familjeärendet."))
    with transaction.atomic():
        update_fields(actor, participant, left_on=left_on or timezone.localdate())
        grants.grants_end(participant.family_work, unit_id=participant.unit_id)
        return participant


def coordinator_set(*, actor: User, participant: Participant) -> Participant:
    """Hand the coordinator role to another current participant."""
    family_work = participant.family_work
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    refuse_closed(family_work)
    if participant.left_on is not None:
        raise ValidationError(_("Enheten har lämnat familjeärendet och kan inte samordna."))
    if participant.is_coordinator:
        return participant
    with transaction.atomic():
        lock(family_work)
        for old in Participant.objects.filter(family_work=family_work, is_coordinator=True):
            update_fields(actor, old, is_coordinator=False)
        return update_fields(actor, participant, is_coordinator=True)


def case_link(*, actor: User, family_work: FamilyWork, case: Case) -> LinkedCase:
    """A participating unit links its own case of a family member."""
    require(FamilyWork.objects.visible_to(actor, "view"), family_work)
    require(Case.objects.visible_to(actor, "view"), case)
    refuse_closed(family_work)
    participant = Participant.objects.filter(
        family_work=family_work, unit_id=case.unit_id, left_on__isnull=True
    ).first()
    if participant is None or participant.pk not in set(
        access.participations(actor).values_list("pk", flat=True)
    ):
        raise ValidationError(
            {
                "case": _(
                    "Ärendets enhet deltar inte i familjeärendet. Be samordnaren lägga till den."
                )
            }
        )
    if not FamilyMember.objects.filter(
        family_work=family_work, person_id=case.person_id, ended_on__isnull=True
    ).exists():
        raise ValidationError({"case": _("Ärendets person ingår inte i familjen.")})
    if LinkedCase.objects.filter(family_work=family_work, case=case).exists():
        raise ValidationError({"case": _("Ärendet är redan kopplat.")})
    with transaction.atomic():
        return link_create(actor, family_work, participant, case)


def link_create(
    actor: User, family_work: FamilyWork, participant: Participant, case: Case
) -> LinkedCase:
    """``case`` linked to ``family_work`` through ``participant`` (its unit), audited."""
    return create_audited(
        actor,
        LinkedCase,
        LINK_FIELDS,
        family_work=family_work,
        participant=participant,
        case=case,
        linked_by=actor,
    )


def case_unlink(*, actor: User, link: LinkedCase) -> None:
    require(LinkedCase.objects.visible_to(actor, "change"), link)
    refuse_closed(link.family_work)
    if link.family_work.from_case_id == link.case_id:
        raise ValidationError(_("Ärendet som familjeärendet startades från kan inte kopplas bort."))
    with transaction.atomic():
        delete_audited(actor, link, ["case", "family_work"])
