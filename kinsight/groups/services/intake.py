"""Intake from a referral (remiss): a referral to the unit of a municipal provider is
for that provider's groups; a leader of one of its current or planned cycles takes the
person in as an identified participant on the waiting list, and the referral takes its
own steps (received, accepted) through the interventions service, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.cases.models import CaseStatus
from kinsight.core.models import User
from kinsight.core.validation import today
from kinsight.detection.models import ChildRecord, ChildStatus
from kinsight.detection.rules import is_adult
from kinsight.detection.services import child_record_support_step
from kinsight.groups.models import Cycle, GroupParticipant, Intake
from kinsight.groups.queries_referrals import OPEN_REFERRAL
from kinsight.groups.services.linked import referral_advance
from kinsight.groups.services.offers import add_waiting, age_band, check_fit, check_place
from kinsight.interventions.models import Referral, ReferralStatus


def current_child_record(person_id: int) -> ChildRecord | None:
    """The person's one record as a child next of kin on an open case, or None (none,
    or several: the leader cannot tell which, so nothing is linked)."""
    found = list(
        ChildRecord._base_manager.filter(child_id=person_id)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def participant_from_referral(*, actor: User, referral: Referral, cycle: Cycle) -> GroupParticipant:
    """Take the person of ``referral`` into ``cycle`` (which the actor leads): on the
    waiting list, identified, intake "referral"; linked to the child's record when there
    is exactly one, which takes the step "support offered" when allowed; the referral
    received and accepted."""
    require(Cycle.objects.filter(leaders=actor.pk), cycle)
    require(Referral.objects.visible_to(actor, "change"), referral)
    provider_unit = cycle.programme.provider.unit_id
    if referral.status not in OPEN_REFERRAL or referral.to_unit_id != provider_unit:
        raise ValidationError({"referral": _("Välj en öppen remiss till gruppomgångens utförare.")})
    person = referral.person
    age = person.age()
    with transaction.atomic():
        taken = _("%(name)s finns redan i gruppomgången.") % {"name": person}
        found = check_place(actor, cycle, Q(person=person), taken)
        check_fit(found.programme, age, is_adult(person))
        record = current_child_record(person.pk)
        participant = add_waiting(
            actor,
            cycle,
            person=person,
            child_record=record,
            age_band=age_band(age),
            sex=person.sex,
            intake=Intake.REFERRAL,
            referral=referral,
        )
        note = f"Stödgrupp: {cycle.programme} ({cycle})"
        if record is not None:
            child_record_support_step(
                actor=actor,
                record=record,
                status=ChildStatus.SUPPORT_OFFERED,
                on=today(),
                note=note,
            )
        referral_advance(
            actor=actor, referral=referral, to=ReferralStatus.ACCEPTED, on=today(), note=note
        )
        return participant
