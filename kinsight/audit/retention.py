"""The audit log's own retention: whole months older than
``KINSIGHT_AUDIT_RETENTION_YEARS`` (default 10) leave, each only after every
municipality's chain verified in it, with a signed "removed" checkpoint outside the
database and an ``AuditCheckpoint`` row inside, so the retained chain verifies from
there (kinsight/audit/verify.py) and a start cut further without a signature shows.

On PostgreSQL the month's partitions are detached and dropped (the append-only trigger
refuses DELETE); on a database without partitions (SQLite) the month's rows are
deleted. ``audit_partitions --drop-before`` and ``retention_audit`` both come here.
A setting of 0 keeps the log for ever.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from kinsight.audit import anchor, partitions
from kinsight.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, AuditSubject
from kinsight.audit.verify import verify_month
from kinsight.core.models import Municipality

DEFAULT_YEARS = 10


class RetentionRefused(Exception):
    """A month not removed because a chain does not verify in it (worded for the operator)."""


def retention_years() -> int:
    years = int(getattr(settings, "KINSIGHT_AUDIT_RETENTION_YEARS", DEFAULT_YEARS))
    if years < 0:
        raise ValueError("KINSIGHT_AUDIT_RETENTION_YEARS may not be negative")
    return years


def first_kept_month(today: datetime.date, years: int | None = None) -> datetime.date | None:
    """The first month kept on ``today``: the month ``years`` back (rows before it
    leave), or None when the log is kept for ever."""
    years = retention_years() if years is None else years
    if not years:
        return None
    try:
        back = today.replace(year=today.year - years)
    except ValueError:
        back = today.replace(year=today.year - years, day=28)
    return partitions.month_of(back)


def months_before(before: datetime.date) -> list[datetime.date]:
    """The months holding rows (or partitions) before ``before``, oldest first."""
    if partitions.partitioned():
        with connection.cursor() as cursor:
            return [m for m in partitions.existing(cursor) if m < before]
    start, _end = partitions.bounds(before)
    moments = AuditEntry.objects.filter(at__lt=start).datetimes("at", "month", tzinfo=datetime.UTC)
    return [partitions.month_of(moment) for moment in moments]


def verified_checkpoints(month: datetime.date) -> list[AuditCheckpoint]:
    """The month's checkpoint of every municipality with rows in it (unsaved); refused
    when a chain does not verify (nothing of this month or later is removed)."""
    checkpoints = []
    for municipality in Municipality.objects.order_by("code"):
        result = verify_month(municipality.pk, month)
        if result.found:
            raise RetentionRefused(
                f"{month:%Y-%m} not removed: {municipality.code} {municipality.name}: "
                f"first broken row seq={result.found.seq} ({result.found.reason})"
            )
        if result.entries:
            last_seq, last_hash = result.last
            checkpoints.append(
                AuditCheckpoint(
                    municipality=municipality,
                    month=month,
                    last_seq=last_seq,
                    last_hash=last_hash,
                    entries=result.entries,
                )
            )
    return checkpoints


def sign_removal(checkpoints: list[AuditCheckpoint]) -> None:
    """Say outside the database, signed, up to where rows are removed: verify then
    accepts a chain starting there, and no other start (kinsight/audit/anchor.py)."""
    heads = AuditChainHead.objects.in_bulk([c.municipality_id for c in checkpoints])
    for checkpoint in checkpoints:
        head = heads[checkpoint.municipality_id]
        anchor.write(
            checkpoint.municipality_id,
            checkpoint.last_seq,
            checkpoint.last_hash,
            head.keyed_from,
            kind="removed",
        )


def _remove(month: datetime.date) -> None:
    if partitions.partitioned():
        with connection.cursor() as cursor:
            partitions.drop(cursor, month)
        return
    start, end = partitions.bounds(month)
    AuditSubject.objects.filter(at__gte=start, at__lt=end)._raw_delete(connection.alias)
    AuditEntry.objects.filter(at__gte=start, at__lt=end)._raw_delete(connection.alias)


def remove_months_before(
    before: datetime.date, report: Callable[[str], None] = lambda line: None
) -> list[datetime.date]:
    """Remove every month before ``before``, oldest first, each after it verified and
    its removal was signed; returns the months removed."""
    removed = []
    for month in months_before(before):
        checkpoints = verified_checkpoints(month)
        sign_removal(checkpoints)
        with transaction.atomic():
            AuditCheckpoint.objects.bulk_create(checkpoints)
            _remove(month)
        removed.append(month)
        report(f"removed {month:%Y-%m} ({len(checkpoints)} chains verified)")
    return removed


def cull(today: datetime.date, report: Callable[[str], None] = lambda line: None) -> list:
    """The audit log's retention on ``today``: the months older than the setting."""
    first = first_kept_month(today)
    return [] if first is None else remove_months_before(first, report)
