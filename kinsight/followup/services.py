"""Writes of the follow-up app: the minimum-level rollup.

The rollup holds counts, not personal data; it is rewritten month by month in one
transaction per municipality (delete + insert: running it twice gives the same rows)
and the run is recorded in the municipality's audit chain. With ``running`` it also
keeps the running month up to today, so that a dashboard over a whole municipality
reads kept counts instead of counting every open case at each request.
"""

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case
from kinsight.core.models import Municipality, User
from kinsight.followup.minimum_level import (
    add_months,
    figures_by_unit,
    month_end,
    month_start,
    months_between,
)
from kinsight.followup.models import MinimumLevelMonth

ROLLUP_TYPE = "followup.minimumlevelmonth"


def _first_month(municipality: Municipality) -> datetime.date | None:
    first = Case.objects.filter(municipality=municipality).aggregate(first=Min("opened_on"))
    return month_start(first["first"]) if first["first"] else None


def _month_rows(
    municipality: Municipality, month: datetime.date, now: datetime.datetime, today: datetime.date
) -> list[MinimumLevelMonth]:
    """The rows of one month: complete months to their end, the running one to today."""
    running = month == month_start(today)
    figures = figures_by_unit(
        municipality_id=municipality.pk,
        end=today if running else month_end(month),
        live=running,
    )
    return [
        MinimumLevelMonth(
            municipality=municipality,
            unit_id=unit_id,
            month=month,
            children=f.children,
            attended=f.attended,
            unknown_parents=f.unknown_parents,
            unanswered_parents=f.unanswered_parents,
            expected=f.expected,
            expected_attended=f.expected_attended,
            adults=f.adults,
            computed_at=now,
        )
        for unit_id, f in figures.items()
        if not f.is_empty
    ]


def _months_to_write(
    municipality: Municipality,
    since: datetime.date | None,
    until: datetime.date,
    running: bool,
    today: datetime.date,
) -> list[datetime.date]:
    """Complete months from ``since`` (default: the first case's month) to ``until``;
    with ``running`` also the running month, and only it when ``since`` is not given
    and earlier months are already kept (the timer's frequent run)."""
    first = month_start(since) if since else _first_month(municipality)
    if first is None:
        return []
    months = months_between(first, until) if first <= until else []
    if not running:
        return months
    kept = MinimumLevelMonth.objects.filter(municipality=municipality).exists()
    return ([] if kept and not since else months) + [month_start(today)]


def minimum_level_rollup(
    *,
    actor: User | None = None,
    municipality: Municipality | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    running: bool = False,
) -> int:
    """Fill MinimumLevelMonth for every complete month from ``since`` (default: the
    month of the municipality's first case) to ``until`` (default: last month), and
    with ``running`` the running month up to today (alone when ``since`` is not given
    and earlier months are kept). Returns the number of rows written."""
    today = timezone.localdate()
    last_complete = add_months(month_start(today), -1)
    until = min(month_start(until), last_complete) if until else last_complete
    municipalities = [municipality] if municipality else list(Municipality.objects.all())
    written = 0
    for m in municipalities:
        months = _months_to_write(m, since, until, running, today)
        if not months:
            continue
        with transaction.atomic():
            MinimumLevelMonth.objects.filter(municipality=m, month__in=months).delete()
            now = timezone.now()
            rows = []
            for month in months:
                rows.extend(_month_rows(m, month, now, today))
            MinimumLevelMonth.objects.bulk_create(rows, batch_size=1000)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                municipality_id=m.pk,
                object_type=ROLLUP_TYPE,
                object_id="*",
                changes={
                    "rollup": {
                        "from": f"{months[0]:%Y-%m}",
                        "to": f"{months[-1]:%Y-%m}",
                        "rows": len(rows),
                    }
                },
            )
            written += len(rows)
    return written
