"""What the management commands share: a month argument and the choice of
municipalities (every one, or one by its code)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from kinsight.core.models import Municipality


def parse_month(value: str | datetime.date) -> datetime.date:
    """A month written YYYY-MM, as its first day (call_command passes a date as it is)."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"{value!r}: write the month as YYYY-MM") from error


class MunicipalityCommand(BaseCommand):
    """A command over every municipality, or with --municipality over the one with
    that code (an unknown code is refused)."""

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="municipality code, e.g. 1480 (default: all)")

    def municipalities(self, code: str | None) -> QuerySet[Municipality]:
        found = Municipality.objects.order_by("code")
        if code:
            found = found.filter(code=code)
            if not found:
                raise CommandError(f"no municipality with code {code}")
        return found
