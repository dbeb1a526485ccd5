"""Shared steps of the break-the-glass tests."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kinsight.people.emergency import services
from kinsight.people.emergency.models import EmergencyReason
from tests.factories import PASSWORD

START = reverse("people:emergency_start")


def form(person, **given):
    data = {
        "identifier": person.identifier,
        "reason": EmergencyReason.CHILD_DANGER,
        "reason_text": "Polisen ringer om ett barn i akut fara i hemmet.",
    }
    return {**data, **given}


def second_step(person):
    return form(person, password=PASSWORD, protected_confirmed="on")


def opened(user, person, *, minutes_ago=0):
    """An access opened through the service (``minutes_ago``: started that long ago)."""
    now = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    data = form(person)
    if person.protected_identity:
        data.update(password=PASSWORD, protected_confirmed=True)
    return services.emergency_access_start(actor=user, now=now, **data)
