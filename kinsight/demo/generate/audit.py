"""Audit rows in bulk for the benchmark (``manage.py bench --audit-rows``), written by
the database itself (INSERT … SELECT over generate_series on PostgreSQL, a recursive
series on SQLite): a million rows take seconds, not one audit_record call each.

The rows are reads by the municipality's staff, one every 30 seconds back in time:
most name one person; every 20th is a list read naming 20 persons; one row in 100,
and every other list read, names ``hot_person_id`` (a heavily read person: the
page's worst case). Their hashes are placeholders: the generated part of the chain
does not verify, so use a throwaway database (bin/bench does). The chain head moves
past them, so rows written afterwards continue the sequence.

Only the dialect's fragments below are put into the SQL text; every value is a
query parameter.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from kinsight.audit import partitions
from kinsight.audit.models import AuditChainHead

PLACEHOLDER_HASH = "b" * 64
LIST_SIZE = 20

# (series of the integers 1..n as s(i), the same 0..k-1 as k(i), the time of row s.i,
# the changes of row s.i)
POSTGRESQL = {
    "with": "",
    "s": "generate_series(1, %(n)s) AS s(i)",
    "k": "generate_series(0, %(k)s - 1) AS k(i)",
    "at": "now() - make_interval(secs => (%(n)s - s.i) * 30)",
    "changes": "CAST(CASE WHEN s.i %% 20 = 10 THEN '{\"ids\": []}' ELSE '{}' END AS jsonb)",
}
SQLITE = {
    "with": "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %(n)s), "
    "k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < %(k)s - 1) ",
    "s": "s",
    "k": "k",
    "at": "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || ((%(n)s - s.i) * 30) || ' seconds')",
    "changes": "CASE WHEN s.i %% 20 = 10 THEN '{\"ids\": []}' ELSE '{}' END",
}

NUMBERED = """
CREATE TEMPORARY TABLE bench_{name} AS
SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, id FROM {table}
WHERE municipality_id = %(m)s AND id <> %(hot)s
"""

ENTRIES = """{with}
INSERT INTO audit_auditentry (municipality_id, seq, at, actor_id, action, object_type,
  object_id, changes, request_id, client_ip, prev_hash, hash)
SELECT %(m)s, %(base)s + s.i, {at}, a.id, 'read', 'people.person',
  CASE WHEN s.i %% 20 = 10 THEN '*'
       WHEN s.i %% 100 = 0 THEN CAST(%(hot)s AS VARCHAR(64))
       ELSE CAST(p.id AS VARCHAR(64)) END,
  {changes}, 'bench', NULL, %(hash)s, %(hash)s
FROM {s}
JOIN bench_actors a ON a.n = (s.i * 31) %% %(actors)s
JOIN bench_persons p ON p.n = (CAST(s.i AS BIGINT) * 7919) %% %(persons)s
"""

GENERATED = "e.municipality_id = %(m)s AND e.seq > %(base)s AND e.seq <= %(base)s + %(n)s"
SUBJECTS = [
    # Single-object rows: their person is the object.
    """INSERT INTO audit_auditsubject (entry_id, municipality_id, person_id, at)
    SELECT e.id, e.municipality_id, CAST(e.object_id AS BIGINT), e.at FROM audit_auditentry e
    WHERE {generated} AND e.object_id <> '*'""",
    # List reads: LIST_SIZE persons each …
    """{with}
    INSERT INTO audit_auditsubject (entry_id, municipality_id, person_id, at)
    SELECT e.id, e.municipality_id, p.id, e.at FROM audit_auditentry e CROSS JOIN {k}
    JOIN bench_persons p ON p.n = ((e.seq - %(base)s) * 7919 + k.i) %% %(persons)s
    WHERE {generated} AND e.object_id = '*'""",
    # … and the hot person in every other one.
    """INSERT INTO audit_auditsubject (entry_id, municipality_id, person_id, at)
    SELECT e.id, e.municipality_id, %(hot)s, e.at FROM audit_auditentry e
    WHERE {generated} AND e.object_id = '*' AND (e.seq - %(base)s) %% 40 = 10""",
]


def _numbered(cursor, name, table, params):
    """A temporary table bench_<name> of (n, id), n = 0, 1, 2 …, to pick rows by
    arithmetic; returns its size."""
    cursor.execute(f"DROP TABLE IF EXISTS bench_{name}")
    cursor.execute(NUMBERED.format(name=name, table=table), params)
    cursor.execute(f"CREATE INDEX bench_{name}_n ON bench_{name} (n)")
    cursor.execute(f"SELECT COUNT(*) FROM bench_{name}")  # noqa: S608 - a constant name
    return cursor.fetchone()[0]


def generate_audit_rows(*, municipality_id, rows, hot_person_id):
    """Append ``rows`` generated reads (and their subjects) to the municipality's chain."""
    dialect = POSTGRESQL if connection.vendor == "postgresql" else SQLITE
    fragments = {**dialect, "generated": GENERATED}
    now = timezone.now()
    # The rows reach back rows × 30 s: their months' partitions must exist.
    partitions.ensure(now - datetime.timedelta(seconds=30 * int(rows)), now)
    with transaction.atomic(), connection.cursor() as cursor:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            municipality_id=municipality_id
        )
        params = {"m": municipality_id, "hot": hot_person_id, "base": head.last_seq}
        params.update(n=int(rows), hash=PLACEHOLDER_HASH)
        params["actors"] = _numbered(cursor, "actors", "core_user", params)
        params["persons"] = _numbered(cursor, "persons", "people_person", params)
        if not params["actors"] or not params["persons"]:
            raise ValueError("generate staff and persons before audit rows")
        params["k"] = min(LIST_SIZE, params["persons"])
        for sql in [ENTRIES, *SUBJECTS]:
            cursor.execute(sql.format(**fragments), params)
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_seq=head.last_seq + params["n"], last_hash=PLACEHOLDER_HASH, last_at=now
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
