"""Rules about one participant that the measurement services, the cycle's page and the
API share: who must consent before a participant is measured.

A child is measured with the guardian's consent (``measurement_consent``; from 18 the
participant's own). From the municipality's own-consent age (GroupSettings, 15 unless
set) and until 18 the child's own consent (``own_consent``) is needed as well."""

import datetime

from django.utils.translation import gettext as _

from kinsight.groups.models import GroupParticipant
from kinsight.groups.queries_settings import group_settings

ADULT = 18


def own_consent_age(municipality_id: int) -> int:
    """The municipality's own-consent age (the default without a settings row)."""
    return group_settings(municipality_id).own_consent_age


def _band(age_band: str) -> tuple[int, int | None]:
    """An age band's bounds in years: "13-16" is (13, 16), "26+" is (26, None)."""
    if age_band.endswith("+"):
        return int(age_band[:-1]), None
    low, high = age_band.split("-")
    return int(low), int(high)


def needs_own_consent(participant: GroupParticipant, *, from_age: int, day: datetime.date) -> bool:
    """Whether the child's own consent is needed on ``day``: an identified participant
    by the person's age that day; without a known age, by the age band."""
    person = participant.person if participant.person_id else None
    age = person.age(day) if person is not None else None
    if age is not None:
        return from_age <= age < ADULT
    low, high = _band(participant.age_band)
    # Only the band is known, so the safe side: ask for the child's own consent when
    # anyone in the band may be at or above the age and still under 18. Measuring a
    # child who has not agreed cannot be undone; asking once more costs a question.
    return (high is None or high >= from_age) and low < ADULT


def consent_missing(
    participant: GroupParticipant, *, from_age: int, day: datetime.date
) -> str | None:
    """Why the participant may not be measured on ``day`` (which consent is missing),
    or None when they may."""
    if not participant.measurement_consent:
        person = participant.person if participant.person_id else None
        age = person.age(day) if person is not None else None
        if age is not None and age >= ADULT:
            return _("Deltagarens samtycke till mätning saknas.")
        if age is not None:
            return _("Vårdnadshavarens samtycke till mätning saknas.")
        return _(
            "Samtycke till mätning saknas (vårdnadshavarens för ett barn, deltagarens "
            "eget från 18 år)."
        )
    if not participant.own_consent and needs_own_consent(participant, from_age=from_age, day=day):
        return _("Barnets eget samtycke till mätning saknas (krävs från %(age)d år).") % {
            "age": from_age
        }
    return None
