"""Writes of the follow-up app: the minimum-level rollup.

The rollup holds counts, not personal data; it is rewritten month by month in one
transaction per municipality (delete + insert: running it twice gives the same rows)
and the run is recorded in the municipality's audit chain.
"""

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case
from kinsight.core.models import Municipality
from kinsight.followup.minimum_level import (
    add_months,
    figures_by_unit,
    month_end,
    month_start,
    months_between,
)
from kinsight.followup.models import MinimumLevelMonth

ROLLUP_TYPE = "followup.minimumlevelmonth"


def _first_month(municipality):
    first = Case.objects.filter(municipality=municipality).aggregate(first=Min("opened_on"))
    return month_start(first["first"]) if first["first"] else None


def minimum_level_rollup(*, actor=None, municipality=None, since=None, until=None):
    """Fill MinimumLevelMonth for every complete month from ``since`` (default: the
    month of the municipality's first case) to ``until`` (default: last month).
    Returns the number of rows written."""
    last_complete = add_months(month_start(timezone.localdate()), -1)
    until = min(month_start(until), last_complete) if until else last_complete
    municipalities = [municipality] if municipality else list(Municipality.objects.all())
    written = 0
    for m in municipalities:
        first = month_start(since) if since else _first_month(m)
        if first is None or first > until:
            continue
        months = months_between(first, until)
        with transaction.atomic():
            MinimumLevelMonth.objects.filter(municipality=m, month__in=months).delete()
            now = timezone.now()
            rows = []
            for month in months:
                figures = figures_by_unit(municipality_id=m.pk, end=month_end(month))
                rows.extend(
                    MinimumLevelMonth(
                        municipality=m,
                        unit_id=unit_id,
                        month=month,
                        children=f.children,
                        attended=f.attended,
                        unknown_parents=f.unknown_parents,
                        unanswered_parents=f.unanswered_parents,
                        expected=f.expected,
                        expected_attended=f.expected_attended,
                        computed_at=now,
                    )
                    for unit_id, f in figures.items()
                    if not f.is_empty
                )
            MinimumLevelMonth.objects.bulk_create(rows, batch_size=1000)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                municipality_id=m.pk,
                object_type=ROLLUP_TYPE,
                object_id="*",
                changes={
                    "rollup": {"from": f"{first:%Y-%m}", "to": f"{until:%Y-%m}", "rows": len(rows)}
                },
            )
            written += len(rows)
    return written
