"""What a participant's way through a cycle tells the records it is linked to: the
child's record (barn som anhörig) takes the steps "support offered / started /
completed", and the referral that brought the participant its steps accepted, started
and ended. Each step only when that record's lifecycle allows it, in the caller's
transaction, through the owning app's service."""

import datetime

from kinsight.core.models import User
from kinsight.detection.models import ChildStatus
from kinsight.detection.services import child_record_support_step
from kinsight.groups.models import GroupParticipant, ParticipantStatus
from kinsight.interventions.models import Referral, ReferralStatus
from kinsight.interventions.queries import referral_acting_unit
from kinsight.interventions.services import referral_step

S = ParticipantStatus
# The participant's new status: the child record's step and the referral's step.
LINKED_STEPS = {
    S.ACTIVE: (ChildStatus.SUPPORT_STARTED, ReferralStatus.STARTED),
    S.COMPLETED: (ChildStatus.SUPPORT_COMPLETED, ReferralStatus.ENDED),
}


def referral_advance(
    *, actor: User, referral: Referral, to: str, on: datetime.date, note: str = ""
) -> Referral:
    """Step ``referral`` forward to ``to`` through each status on the way (received,
    accepted, …) that its lifecycle allows, as its receiver; stops where it cannot
    go on (a referral the actor no longer may change is left as it is)."""
    if referral_acting_unit(actor, referral) is None:
        return referral
    order = [str(s) for s in ReferralStatus]
    while referral.status != to:
        following = [s for s in referral.next_statuses() if order.index(s) <= order.index(to)]
        if not following:
            break
        referral = referral_step(
            actor=actor,
            referral=referral,
            status=following[0],
            expected_version=referral.version,
            on=max(on, referral.status_changed_on),
            note=note if following[0] == to else "",
        )
    return referral


def participant_linked_steps(*, actor: User, participant: GroupParticipant) -> None:
    """After ``participant`` has started or completed: the linked child's record and
    referral take their steps (the participant's day, or their last step's if later)."""
    steps = LINKED_STEPS.get(ParticipantStatus(participant.status))
    if steps is None:
        return
    child_status, referral_status = steps
    day = participant.ended_on or participant.joined_on
    assert day is not None  # started and completed participants carry their day
    note = f"Stödgrupp: {participant.cycle.programme} ({participant.cycle})"
    if participant.child_record_id:
        child_record_support_step(
            actor=actor,
            record=participant.child_record,
            status=child_status,
            on=day,
            note=note,
        )
    if participant.referral_id:
        referral = Referral.objects.get(pk=participant.referral_id)
        referral_advance(actor=actor, referral=referral, to=referral_status, on=day)
