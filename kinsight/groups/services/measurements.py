"""Measurements: entered by a leader, or answered by the participant on their own
phone with a one-time code (no account). Both check the answers against the
instrument's data (assessment.instrument_score) and need the consents to measurement the
participant's age requires (services.consent.require_consent)."""

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.assessment.models import Instrument
from kinsight.assessment.services import instrument_score
from kinsight.audit.services import audit_created
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.core.validation import not_future
from kinsight.groups.models import GroupParticipant, Measurement, MeasurementCode
from kinsight.groups.services.consent import require_consent

MEASUREMENT_FIELDS = ["participant", "instrument", "point", "answered_on", "total_score"]
CODE_DAYS = 14
# Unambiguous characters only: a code is read aloud and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def _check_plan(participant: GroupParticipant, instrument: Instrument, point: str) -> None:
    require_consent(participant)
    planned = participant.cycle.programme.measures.filter(instrument=instrument, point=point)
    if not planned.exists():
        raise ValidationError(
            {"instrument": _("Programmets mätplan har inte det instrumentet vid den tidpunkten.")}
        )
    if Measurement.objects.filter(
        participant=participant, instrument=instrument, point=point
    ).exists():
        raise ValidationError({"point": _("Den mätningen är redan gjord.")})


def _save(
    actor: User | None,
    participant: GroupParticipant,
    instrument: Instrument,
    point: str,
    answers: Mapping[Any, Any],
    answered_on: datetime.date,
) -> Measurement:
    stored, total, _label = instrument_score(instrument=instrument, answers=answers)
    measurement = Measurement(
        municipality_id=participant.municipality_id,
        participant=participant,
        instrument=instrument,
        point=point,
        answered_on=answered_on,
        answers=stored,
        total_score=total,
        entered_by=actor,
    )
    measurement.save()
    return audit_created(actor, measurement, MEASUREMENT_FIELDS)


def measurement_record(
    *,
    actor: User,
    participant: GroupParticipant,
    instrument: Instrument,
    point: str,
    answers: Mapping[Any, Any],
    answered_on: datetime.date,
) -> Measurement:
    """A leader enters a participant's answers (from paper, or read aloud)."""
    require(GroupParticipant.objects.visible_to(actor, "change"), participant)
    not_future(answered_on, "answered_on", _("Datumet"))
    _check_plan(participant, instrument, point)
    with transaction.atomic():
        return _save(actor, participant, instrument, point, answers, answered_on)


def code_issue(
    *, actor: User, participant: GroupParticipant, instrument: Instrument, point: str
) -> str:
    """A one-time code for the participant to answer ``instrument`` at ``point``
    themselves. Returned once, stored only as a hash; void after CODE_DAYS days."""
    require(GroupParticipant.objects.visible_to(actor, "change"), participant)
    _check_plan(participant, instrument, point)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        create_audited(
            actor,
            MeasurementCode,
            ["participant", "instrument", "point", "expires_at"],
            participant=participant,
            instrument=instrument,
            point=point,
            code_hash=_hash(code),
            expires_at=timezone.now() + datetime.timedelta(days=CODE_DAYS),
            created_by=actor,
        )
    return f"{code[:4]}-{code[4:]}"


def _void() -> PermissionDenied:
    """The one refusal for every reason a code does not work, so a guess learns nothing."""
    return PermissionDenied(_("Koden gäller inte: den är fel, redan använd eller för gammal."))


def code_find(code: str) -> MeasurementCode:
    """The open questionnaire behind ``code``: PermissionDenied (with one message for
    every reason, so a guess learns nothing) when unknown, used or expired."""
    found = (
        MeasurementCode.objects.select_related(
            "participant__cycle__programme", "participant__person", "instrument"
        )
        .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if found is None:
        raise _void()
    return found


def code_answer(*, code: str, answers: Mapping[Any, Any]) -> Measurement:
    """The participant answers with their code; the code is spent in the same
    transaction (a second use is refused even when two arrive at once)."""
    with transaction.atomic():
        found = code_find(code)
        spent = MeasurementCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not spent:
            raise _void()
        _check_plan(found.participant, found.instrument, found.point)
        return _save(
            None, found.participant, found.instrument, found.point, answers, timezone.localdate()
        )
