"""Reads written at chosen times for the log review's tests: the chain's time never
goes back, so a test writes its reads in order, in a week of a month that is over,
before anything else is logged."""

import datetime
from unittest import mock

from django.utils import timezone

from kinsight.audit import partitions, patterns
from kinsight.audit.services import audit_read


def _first_monday_two_months_back():
    first = timezone.localdate().replace(day=1)
    first = (first - datetime.timedelta(days=1)).replace(day=1)
    first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first + datetime.timedelta(days=-first.weekday() % 7)


# The first Monday of the month before last: its week lies in a month that is over.
MONDAY = _first_monday_two_months_back()


def at(day_offset, hour, minute=0):
    """Swedish time, ``day_offset`` days after MONDAY."""
    day = MONDAY + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def read(actor, obj, when):
    partitions.ensure(when, when)  # PostgreSQL: the month's partition (the test's own)
    with mock.patch("django.utils.timezone.now", return_value=when):
        audit_read(actor=actor, obj=obj)


def hits(key, municipality, first=MONDAY, last=None):
    window = patterns.Window.days(municipality.pk, first, last or first + datetime.timedelta(6))
    return patterns.find(patterns.get(key), window)
