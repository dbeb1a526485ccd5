"""A support group offered to a child as next of kin (barn som anhörig): the child's
case worker puts the child on an open cycle's waiting list as an identified
participant linked to the record, and the record takes the step "support offered"
when its lifecycle allows it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.core.validation import today
from kinsight.detection.models import ChildRecord, ChildStatus
from kinsight.detection.services import child_record_step
from kinsight.groups.models import AgeBand, Cycle, GroupParticipant, Intake, ParticipantStatus
from kinsight.groups.services.cycles import PARTICIPANT_FIELDS

OFFER_INTAKES = (Intake.DECISION, Intake.SELF)
# The upper age of each band, youngest first (the last band has none).
AGE_BANDS = ((6, AgeBand.UNDER_7), (12, AgeBand.CHILD), (16, AgeBand.TEEN), (25, AgeBand.YOUNG))


def age_band(age: int) -> str:
    return next((band for upper, band in AGE_BANDS if age <= upper), AgeBand.ADULT)


def open_cycles(actor: User) -> QuerySet[Cycle]:
    """The cycles of active programmes in the actor's municipality that have not
    ended, each with ``taken`` places (no participant data: counts only)."""
    taken = Count(
        "participants",
        filter=~Q(
            participants__status__in=[ParticipantStatus.DROPPED, ParticipantStatus.COMPLETED]
        ),
    )
    return (
        Cycle.objects.filter(municipality_id=municipality_id_of(actor), programme__is_active=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today()))
        .select_related("programme", "district")
        .annotate(taken=taken)
        .order_by("start_on", "name")
    )


def _check_offer(actor: User, record: ChildRecord, cycle: Cycle, intake: str) -> None:
    if intake not in OFFER_INTAKES:
        raise ValidationError(
            {"intake": _("Ett erbjudande från barnets akt gäller beslut eller egen ansökan.")}
        )
    if record.is_expected:
        raise ValidationError({"cycle": _("Ett väntat barn kan inte erbjudas en stödgrupp.")})
    # Lock the cycle so that two offers cannot both take its last place.
    list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
    found: Any = open_cycles(actor).filter(pk=cycle.pk).first()
    if found is None:
        raise ValidationError({"cycle": _("Välj en pågående eller planerad gruppomgång.")})
    if found.taken >= found.places:
        raise ValidationError({"cycle": _("Gruppomgången är full.")})
    same_child = Q(child_record=record) | (Q(person=record.child) if record.child_id else Q())
    if GroupParticipant.objects.filter(cycle=cycle).filter(same_child).exists():
        raise ValidationError({"cycle": _("Barnet finns redan i gruppomgången.")})


def participant_offer(
    *,
    actor: User,
    record: ChildRecord,
    cycle: Cycle,
    intake: str,
    measurement_consent: bool = False,
) -> GroupParticipant:
    """Offer ``cycle`` to the child of ``record``: on the waiting list, identified and
    linked to the record; the record's step "support offered" when allowed."""
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    with transaction.atomic():
        _check_offer(actor, record, cycle, intake)
        child = record.child
        participant = create_audited(
            actor,
            GroupParticipant,
            [*PARTICIPANT_FIELDS, "child_record"],
            clean=True,
            cycle=cycle,
            person=child,
            child_record=record,
            age_band=age_band(record.age()),
            sex=child.sex if child else "",
            district=cycle.district,
            intake=intake,
            status=ParticipantStatus.WAITING,
            measurement_consent=measurement_consent,
        )
        if ChildStatus.SUPPORT_OFFERED in record.next_statuses():
            child_record_step(
                actor=actor,
                record=record,
                status=ChildStatus.SUPPORT_OFFERED,
                expected_version=record.version,
                note=f"Stödgrupp: {cycle.programme} ({cycle})"[:500],
            )
        return participant
