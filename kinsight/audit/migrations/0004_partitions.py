"""The audit log at national scale: on PostgreSQL ``audit_auditentry`` and
``audit_auditsubject`` become tables partitioned by month on ``at`` (a subject's
``at`` is its entry's), so that retention drops whole months and verification works
one month at a time (kinsight/audit/partitions.py says how the chain's uniqueness is
kept). SQLite keeps plain tables.

PostgreSQL cannot turn a table into a partitioned one, so the tables are made anew
and the rows copied (on a large existing log this takes as long as the copy: plan a
maintenance window). Months are made from the oldest row's to three ahead; after
that ``manage.py audit_partitions`` makes them (docs/operations.md). Not reversible.
"""

import datetime
import importlib

import django.db.models.deletion
from django.db import migrations, models

from kinsight.audit import partitions

_on_postgresql = importlib.import_module(
    "kinsight.audit.migrations.0002_append_only"
)._on_postgresql

ENTRY, SUBJECT = partitions.ENTRY, partitions.SUBJECT
# Django's own foreign key of subject.entry; the composite one replaces it.
ENTRY_KEY = "FOREIGN KEY (entry_id)"

CHECKPOINT_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION kinsight_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_auditcheckpoint is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditcheckpoint_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
  FOR EACH ROW EXECUTE FUNCTION kinsight_audit_checkpoint_append_only();
"""
DROP_CHECKPOINT_APPEND_ONLY = """
DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_update_delete ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS kinsight_audit_checkpoint_append_only();
"""
# The append-only triggers of migrations 0002 and 0003, on the new tables (a row
# trigger of a partitioned table is made on each partition too).
TRIGGER = """CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION kinsight_{short}_append_only()"""
SHORT = {ENTRY: "audit", SUBJECT: "audit_subject"}


def _schema(cursor, table):
    """The table's indexes (non-unique: unique ones are made per partition) and
    outgoing foreign keys, as statements to make them again."""
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE %s",
        [table, "CREATE UNIQUE%"],
    )
    statements = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f'",
        [table],
    )
    statements += [
        f"ALTER TABLE {table} ADD CONSTRAINT {conname} {definition}"
        for conname, definition in cursor.fetchall()
        if not definition.startswith(ENTRY_KEY)
    ]
    return statements


def _copy_table(cursor, table):
    """A partitioned twin of ``table`` (same columns, ``id`` from a sequence of its
    own), under the table's name; the old one renamed to ``<table>_old``."""
    cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {table}_old INCLUDING DEFAULTS) PARTITION BY RANGE (at)"
    )


def _first_month(cursor):
    cursor.execute("SELECT min(at) FROM audit_auditentry_old")
    oldest = cursor.fetchone()[0]
    return partitions.month_of(oldest or datetime.datetime.now(datetime.UTC))


FILL = [
    "INSERT INTO audit_auditentry SELECT * FROM audit_auditentry_old",
    "INSERT INTO audit_auditsubject (id, person_id, entry_id, municipality_id, at) "
    "SELECT s.id, s.person_id, s.entry_id, s.municipality_id, e.at "
    "FROM audit_auditsubject_old s JOIN audit_auditentry_old e ON e.id = s.entry_id",
]


def _keys(cursor, table):
    sequence = f"{table}_id_seq"
    cursor.execute(f"CREATE SEQUENCE {sequence} OWNED BY {table}.id")
    cursor.execute(f"SELECT setval(%s, COALESCE(max(id), 0) + 1, false) FROM {table}", [sequence])  # noqa: S608
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, at)")


def partition(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(
                "UPDATE audit_auditsubject SET at = "
                "(SELECT e.at FROM audit_auditentry e WHERE e.id = entry_id)"
            )
            return
        schema = _schema(cursor, ENTRY) + _schema(cursor, SUBJECT)
        for table in (ENTRY, SUBJECT):
            _copy_table(cursor, table)
        now = datetime.datetime.now(datetime.UTC)
        for month in partitions.months(_first_month(cursor), partitions.add_months(now.date(), 3)):
            partitions.create(cursor, month)
        for statement in FILL:
            cursor.execute(statement)
        cursor.execute(f"DROP TABLE {SUBJECT}_old, {ENTRY}_old")
        for table in (ENTRY, SUBJECT):
            _keys(cursor, table)
        for statement in schema:
            cursor.execute(statement)
        cursor.execute(
            f"ALTER TABLE {SUBJECT} ADD CONSTRAINT audit_subject_entry "
            f"FOREIGN KEY (entry_id, at) REFERENCES {ENTRY} (id, at)"
        )
        for table, short in SHORT.items():
            cursor.execute(TRIGGER.format(table=table, short=short))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_subjects"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditsubject",
            name="at",
            field=models.DateTimeField(
                default=datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
                verbose_name="tidpunkt",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="last_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="månad")),
                ("last_seq", models.PositiveBigIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                ("entries", models.PositiveBigIntegerField(verbose_name="loggposter")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.municipality",
                    ),
                ),
            ],
            options={
                "ordering": ["municipality", "month"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("municipality", "month"), name="audit_checkpoint_once"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _on_postgresql(CHECKPOINT_APPEND_ONLY), _on_postgresql(DROP_CHECKPOINT_APPEND_ONLY)
        ),
        migrations.RunPython(partition),
    ]
