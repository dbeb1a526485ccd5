"""The audit tables' monthly partitions (PostgreSQL; SQLite keeps plain tables).

``audit_auditentry`` and ``audit_auditsubject`` are partitioned by range on ``at``
(a subject's ``at`` is its entry's), one partition per calendar month in UTC, named
``<table>_y2026m12``. Migration 0004 turns the tables into partitioned ones;
``manage.py audit_partitions`` creates the coming months ahead and removes whole old
months after they verified (kinsight/audit/verify.py, ``verify_month``).

PostgreSQL wants the partition key in every unique constraint of a partitioned
table, so the parents' keys are ``(id, at)``. The uniqueness the chain relies on is
kept per partition, where PostgreSQL allows it without the key: each entry partition
has a unique index on ``(municipality_id, seq)`` and each subject partition one on
``(entry_id, person_id)``. A subject's foreign key ``(entry_id, at)`` puts it in its
entry's partition, so the latter is unique across the whole table. A ``seq`` repeated
in two months cannot be refused by an index; the chain finds it (a row's ``at`` is
never before the previous row's, so each month holds one unbroken run of ``seq``,
and verification walks ``seq`` in order and names a repeated one).
"""

import datetime

from django.db import connection

ENTRY = "audit_auditentry"
SUBJECT = "audit_auditsubject"
# Months made ahead of the current one, by migration 0004 and by default by the command.
AHEAD = 3
# A partition's own unique index: (suffix, columns), by table.
LOCAL_UNIQUE = {ENTRY: ("seq", "municipality_id, seq"), SUBJECT: ("once", "entry_id, person_id")}


def month_of(value):
    """The first day of the month of a date or (aware) datetime, in UTC."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).date()
    return value.replace(day=1)


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months(first, last):
    """Every month from ``first`` to ``last``, both included."""
    found = []
    month = month_of(first)
    while month <= month_of(last):
        found.append(month)
        month = add_months(month, 1)
    return found


def bounds(month):
    """The month's first moment and the next month's, aware, in UTC."""
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)
    return start, datetime.datetime.combine(
        add_months(month, 1), datetime.time.min, tzinfo=datetime.UTC
    )


def name(table, month):
    return f"{table}_y{month:%Y}m{month:%m}"


def partitioned(using=connection):
    """Whether the audit tables are partitioned here (PostgreSQL after migration 0004)."""
    if using.vendor != "postgresql":
        return False
    with using.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [ENTRY])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def existing(cursor):
    """The months that have an entry partition, oldest first."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [ENTRY],
    )
    found = []
    for (relname,) in cursor.fetchall():
        stamp = relname.removeprefix(f"{ENTRY}_y")
        found.append(datetime.date(int(stamp[:4]), int(stamp[5:7]), 1))
    return sorted(found)


def _literal(moment):
    return f"'{moment.isoformat()}'"  # made here from a date, never from input


def create(cursor, month):
    """Create the month's partitions of both tables and their unique indexes, unless
    the month exists (then nothing is touched). Returns whether the month was new."""
    if month in existing(cursor):
        return False
    start, end = (_literal(moment) for moment in bounds(month))
    for table in (ENTRY, SUBJECT):
        partition = name(table, month)
        suffix, columns = LOCAL_UNIQUE[table]
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {partition} PARTITION OF {table} "
            f"FOR VALUES FROM ({start}) TO ({end})"
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {partition}_{suffix} ON {partition} ({columns})"
        )
        _revoke(cursor, partition)
    return True


def _revoke(cursor, partition):
    """Nobody but the owner may touch a partition itself: the application reads and
    writes through the parent, whose grants alone count there. Default privileges
    would otherwise give it TRUNCATE on each new month (docs/operations.md)."""
    cursor.execute(
        "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
        "WHERE table_name = %s AND grantee <> current_user",
        [partition],
    )
    for (grantee,) in cursor.fetchall():
        role = grantee if grantee == "PUBLIC" else connection.ops.quote_name(grantee)
        cursor.execute(f"REVOKE ALL ON {partition} FROM {role}")


def ensure(first, last, using=connection):
    """Create every month from ``first`` to ``last`` that is missing; returns the new
    ones. Nothing on a database whose tables are not partitioned."""
    if not partitioned(using):
        return []
    with using.cursor() as cursor:
        return [month for month in months(first, last) if create(cursor, month)]


def drop(cursor, month):
    """Detach and drop the month's partitions: subjects first (they point at the
    entries). Only after the month verified (audit_partitions does that)."""
    for table in (SUBJECT, ENTRY):
        partition = name(table, month)
        cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {partition}")
        cursor.execute(f"DROP TABLE {partition}")
