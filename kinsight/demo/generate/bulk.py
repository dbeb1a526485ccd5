"""Writing generated rows in bulk, for the demo and bench generators (never for data a
person entered: that goes through the services and the audit).

``write(model, rows)`` takes dicts keyed by field attname (fields left out take the
model's default) or unsaved model instances, and gives each row its id (``row["id"]``
or ``obj.pk``). On PostgreSQL the ids are drawn from the table's sequence and the rows
go in with COPY; elsewhere with bulk_create. The caller decides the transaction: the
generators write a batch at a time, so no transaction stays open for long and memory
holds one batch.

Foreign keys: checking them row by row costs PostgreSQL four times the COPY itself
(200,000 relationships: 8 s against 1.5 s). As a superuser (the throwaway clusters of
bin/bench and the tests) the COPY runs with ``session_replication_role = replica``,
which skips those per-row triggers for that statement only; the rows refer only to
rows written before them, and the tests hold both paths to the same rows (SQLite
checks every foreign key). Without superuser rights the checks run as usual.

``audit_run(municipality, changes)`` is the one audit row a generator writes for a
whole run, naming what it made.

``stage(progress, name, total)`` is a progress bar for one stage of a generator:
``progress`` is a factory ``progress(name, total)`` returning something with
``update(n)`` and ``close()`` (tqdm in the ``generate`` command), or None.
"""

from contextlib import contextmanager
from operator import itemgetter

from django.db import connection
from django.db.models import JSONField

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record

# Tests switch this off to compare the COPY path with bulk_create on PostgreSQL.
USE_COPY = True
BATCH = 5000


class _Quiet:
    def update(self, n=1):
        pass

    def close(self):
        pass


@contextmanager
def stage(progress, name, total):
    bar = progress(name, total) if progress is not None else _Quiet()
    try:
        yield bar
    finally:
        bar.close()


def audit_run(municipality, changes, **about):
    """One audit row, by no actor, for a generator's run: what it made (``changes``),
    about the municipality or what ``about`` names (object_type, object_id)."""
    about = about or {"obj": municipality}
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        municipality_id=municipality.pk,
        changes=changes,
        **about,
    )


def uses_copy():
    return USE_COPY and connection.vendor == "postgresql"


def write(model, rows):
    """Insert ``rows`` (dicts or instances of ``model``) and give each its id."""
    if not rows:
        return rows
    if uses_copy():
        _copy(model, rows)
    elif isinstance(rows[0], dict):
        objs = [model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH)
        for row, obj in zip(rows, objs, strict=True):
            row["id"] = obj.pk
    else:
        model.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def analyze(*models):
    """Fresh planner statistics for tables just loaded (PostgreSQL): the next stage's
    queries are planned for a million rows, not for the empty tables of before."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _skip_foreign_key_checks(cursor):
    """Inside a transaction and as a superuser, skip per-row trigger work (see above)
    until ``_restore``; returns whether it did."""
    if not connection.in_atomic_block:
        return False
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _copy(model, rows):
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        ids = sorted(value for (value,) in cursor.fetchall())
        if isinstance(rows[0], dict):
            # The fields the rows give first (read with one itemgetter per row), then
            # the others' defaults; every row of a batch gives the same fields.
            given = set(rows[0])
            fields.sort(key=lambda f: f.attname not in given)
            values = _dict_values(fields, [f for f in fields if f.attname in given], rows, ids)
        else:
            values = _instance_values(fields, rows, ids)
        columns = ", ".join(
            connection.ops.quote_name(c) for c in [pk.column] + [f.column for f in fields]
        )
        table = connection.ops.quote_name(model._meta.db_table)
        json_at = [i + 1 for i, f in enumerate(fields) if isinstance(f, JSONField)]
        skipped = _skip_foreign_key_checks(cursor)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for row in values:
                for index in json_at:
                    row[index] = Jsonb(row[index])
                copy.write_row(row)
        if skipped:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _dict_values(fields, given, rows, ids):
    """[pk, the given fields' values, the other fields' defaults] per row; a callable
    default (a time, a token) is called for each row."""
    read, single = itemgetter(*[f.attname for f in given]), len(given) == 1
    rest = fields[len(given) :]
    constant = not any(f.has_default() and callable(f.default) for f in rest)
    defaults = [f.get_default() for f in rest]
    for row, pk in zip(rows, ids, strict=True):
        row["id"] = pk
        values = (read(row),) if single else read(row)
        yield [pk, *values, *(defaults if constant else [f.get_default() for f in rest])]


def _instance_values(fields, objs, ids):
    names = [f.attname for f in fields]
    for obj, pk in zip(objs, ids, strict=True):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
        yield [pk] + [getattr(obj, name) for name in names]
