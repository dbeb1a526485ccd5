"""Consent to measurement: the leader records the guardian's (or the adult
participant's) consent and the child's own; the measurement services refuse a
participant without the consents their age requires (kinsight.groups.rules)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinsight.access.rules import require
from kinsight.core.models import User
from kinsight.core.services import update_audited
from kinsight.groups.models import GroupParticipant
from kinsight.groups.rules import consent_missing, own_consent_age

CONSENT_FIELDS = ["measurement_consent", "own_consent"]


def require_consent(participant: GroupParticipant) -> None:
    """ValidationError naming the missing consent unless the participant may be
    measured today."""
    missing = consent_missing(
        participant,
        from_age=own_consent_age(participant.municipality_id),
        day=timezone.localdate(),
    )
    if missing:
        raise ValidationError({"participant": missing})


def participant_consent(
    *,
    actor: User,
    participant: GroupParticipant,
    measurement_consent: bool,
    own_consent: bool,
    expected_version: int | None,
) -> GroupParticipant:
    """The participant's consents to measurement as they stand now (given, or
    withdrawn: a withdrawal stops further measurements, not those made)."""
    require(GroupParticipant.objects.visible_to(actor, "change"), participant)
    values = {"measurement_consent": measurement_consent, "own_consent": own_consent}
    with transaction.atomic():
        return update_audited(
            actor, participant, values, expected_version=expected_version, audited=CONSENT_FIELDS
        )
