"""Checks that the services of several apps share: a date not in the future, a period
in order, a value from a list. Each names the field it is about, with a Swedish
message that says what to fix."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> datetime.date:
    """Today in Europe/Stockholm, the day deadlines and "not in the future" count by."""
    return timezone.localdate()


def not_future(day: datetime.date | None, field: str, label: str) -> None:
    """Refuse ``day`` after today, on ``field``, naming it by ``label`` ("Datumet")."""
    if day and day > today():
        raise ValidationError(
            {field: _("%(label)s kan inte ligga i framtiden.") % {"label": label}}
        )


def ordered(start: datetime.date | None, end: datetime.date | None, field: str = "end_on") -> None:
    """Refuse a period that ends before it starts (either end may be open)."""
    if start and end and end < start:
        raise ValidationError({field: _("Slutdatum kan inte vara före startdatum.")})


def check_choice(errors: dict, field: str, value, choices, message: str) -> None:
    """Note ``message`` on ``field`` in ``errors`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        errors[field] = message
