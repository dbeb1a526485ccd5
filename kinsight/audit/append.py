"""Appending rows to a municipality's chain: the part of an audit write that holds the
chain head's row lock, kept as short as the hash chain allows.

Every append locks the municipality's ``AuditChainHead`` row until its transaction
ends, so the appends of one municipality take turns and the chain never forks. What
only the lock can give (the next ``seq``, the previous hash, a time not earlier than
the previous row's) is taken under it; everything else is done before it. On
PostgreSQL the statement text and every value but those are built first, and the
locked part is two statements: the lock (``UPDATE … RETURNING`` the head), then one
statement that inserts the entries, their subjects and moves the head (data-modifying
``WITH``). Before, the lock was held across four statements built by the ORM in
between (measured in docs/architecture.md, "Benchmarks"). SQLite, which has no row
locks and no data-modifying ``WITH``, writes through the ORM.
"""

import functools
import json

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kinsight.audit import anchor
from kinsight.audit.models import AuditChainHead, AuditEntry, AuditSubject

ENTRY_COLUMNS = (
    "municipality_id",
    "seq",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "changes",
    "request_id",
    "client_ip",
    "prev_hash",
    "hash",
)
# Casts for values sent as text (client-side binding).
_CASTS = {"changes": "::jsonb", "client_ip": "::inet"}
_ROW = "(" + ", ".join(f"%s{_CASTS.get(name, '')}" for name in ENTRY_COLUMNS) + ")"

LOCK = (
    "UPDATE audit_auditchainhead SET last_seq = last_seq WHERE municipality_id = %s "
    "RETURNING last_seq, last_hash, last_at, keyed_from"
)
# Placeholders only: every value is a parameter.
INSERT_ENTRIES = "INSERT INTO audit_auditentry ({columns}) VALUES {{rows}} RETURNING id, seq"
INSERT_ENTRIES = INSERT_ENTRIES.format(columns=", ".join(ENTRY_COLUMNS))
INSERT_SUBJECTS = (
    "INSERT INTO audit_auditsubject (entry_id, municipality_id, person_id, at) "
    "SELECT e.id, %s, v.person_id, %s FROM e "
    "JOIN (VALUES {pairs}) AS v(seq, person_id) ON v.seq = e.seq"
)
MOVE_HEAD = (
    "UPDATE audit_auditchainhead SET last_seq = %s, last_hash = %s, last_at = %s "
    "WHERE municipality_id = %s"
)


def _chain(rows, last_seq, last_hash, last_at, keyed_from):
    """Give each row its place: seq, time (never before the previous row's: each month
    of the chain is one unbroken run of seq), previous hash and hash. When the rows
    cross a multiple of KINSIGHT_AUDIT_CHECKPOINT_ROWS, a signed checkpoint of the new
    head is written once they are committed (kinsight/audit/anchor.py)."""
    at = timezone.now()
    if last_at is not None and last_at > at:
        at = last_at
    seq, prev_hash = last_seq, last_hash
    for entry, subjects in rows:
        seq += 1
        entry.seq, entry.at, entry.prev_hash = seq, at, prev_hash
        entry.hash = prev_hash = entry.compute_hash(subjects, keyed_from=keyed_from)
    every = settings.KINSIGHT_AUDIT_CHECKPOINT_ROWS
    if every and seq // every > last_seq // every:
        municipality_id = rows[0][0].municipality_id
        checkpoint = functools.partial(
            anchor.write_after_commit, municipality_id, seq, prev_hash, keyed_from
        )
        transaction.on_commit(checkpoint)
    return seq, prev_hash, at


def _head_missing(municipality_id):
    """municipality_create makes the head; a municipality made otherwise gets it here."""
    AuditChainHead.objects.get_or_create(municipality_id=municipality_id)


class _Statement:
    """The write statement of ``rows``, its text and values built before the lock;
    ``fill`` puts in the values only the lock gives."""

    def __init__(self, rows):
        self.rows = rows
        self.count = sum(len(subjects) for _entry, subjects in rows)
        parts = [f"e AS ({INSERT_ENTRIES.format(rows=', '.join([_ROW] * len(rows)))})"]
        if self.count:
            pairs = ", ".join(["(%s::bigint, %s::bigint)"] * self.count)
            parts.append(f"s AS ({INSERT_SUBJECTS.format(pairs=pairs)})")
        parts.append(f"h AS ({MOVE_HEAD})")
        self.sql = "WITH " + ", ".join(parts) + " SELECT id FROM e ORDER BY seq"  # noqa: S608
        self.values = [
            [getattr(entry, name) for name in ENTRY_COLUMNS] for entry, _subjects in rows
        ]
        for row in self.values:
            row[ENTRY_COLUMNS.index("changes")] = json.dumps(row[ENTRY_COLUMNS.index("changes")])

    def fill(self, municipality_id, last_seq, last_hash, at):
        params = []
        for (entry, _subjects), row in zip(self.rows, self.values, strict=True):
            row[1], row[2], row[10], row[11] = entry.seq, entry.at, entry.prev_hash, entry.hash
            params += row
        if self.count:
            params += [municipality_id, at]
            for entry, subjects in self.rows:
                for person_id in subjects:
                    params += [entry.seq, person_id]
        return params + [last_seq, last_hash, at, municipality_id]


def append_postgresql(rows):
    municipality_id = rows[0][0].municipality_id
    statement = _Statement(rows)
    with connection.cursor() as cursor:
        cursor.execute(LOCK, [municipality_id])
        head = cursor.fetchone()
        if head is None:
            _head_missing(municipality_id)
            cursor.execute(LOCK, [municipality_id])
            head = cursor.fetchone()
        last_seq, last_hash, at = _chain(rows, *head)
        cursor.execute(statement.sql, statement.fill(municipality_id, last_seq, last_hash, at))
        for (entry, _subjects), (pk,) in zip(rows, cursor.fetchall(), strict=True):
            entry.pk = pk
    return [entry for entry, _subjects in rows]


def append_orm(rows):
    """The same through the ORM (SQLite: a write transaction is already exclusive)."""
    municipality_id = rows[0][0].municipality_id
    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(municipality_id=municipality_id).first()
    if head is None:
        _head_missing(municipality_id)
        head = heads.get(municipality_id=municipality_id)
    last_seq, last_hash, at = _chain(
        rows, head.last_seq, head.last_hash, head.last_at, head.keyed_from
    )
    AuditEntry.objects.bulk_create([entry for entry, _subjects in rows])
    AuditSubject.objects.bulk_create(
        AuditSubject(entry=entry, municipality_id=municipality_id, person_id=person_id, at=at)
        for entry, subjects in rows
        for person_id in subjects
    )
    AuditChainHead.objects.filter(pk=municipality_id).update(
        last_seq=last_seq, last_hash=last_hash, last_at=at
    )
    return [entry for entry, _subjects in rows]


def append(rows):
    """Append prepared ``rows`` [(entry, subject person ids)] of one municipality to
    its chain in the caller's transaction."""
    if connection.vendor == "postgresql":
        return append_postgresql(rows)
    return append_orm(rows)
