"""The audit log by month: on PostgreSQL partitions of both audit tables, made ahead
by `audit_partitions`, verified one month at a time, and old months removed only after
they verified, leaving the rest of the chain verifiable from a checkpoint."""

import datetime
import os
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kinsight.audit import anchor, partitions, queries
from kinsight.audit.models import AuditCheckpoint, AuditEntry
from kinsight.audit.services import audit_read_many, audit_record
from kinsight.audit.verify import state_before, verify_chain, verify_month
from tests.audit.helpers import tamper

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(datetime.UTC)
THIS_MONTH = partitions.month_of(NOW)
OLD_MONTH = partitions.add_months(THIS_MONTH, -2)
IN_OLD_MONTH = datetime.datetime.combine(OLD_MONTH, datetime.time(12), tzinfo=datetime.UTC)


def _write(actor, count, at=None):
    """``count`` rows naming persons 71 and 72, at ``at`` (the clock as the row is
    written) or now."""
    with mock.patch("django.utils.timezone.now", return_value=at or NOW):
        for _ in range(count):
            audit_read_many(
                actor=actor, objects=[actor], object_type="core.user", subjects=[71, 72]
            )


def _two_months(actor):
    """Three rows two months ago, then two now."""
    partitions.ensure(OLD_MONTH, THIS_MONTH)
    _write(actor, 3, IN_OLD_MONTH)
    _write(actor, 2)
    return list(AuditEntry.objects.filter(municipality=actor.municipality).order_by("seq"))


COLUMNS = (
    "municipality_id, seq, {at}, actor_id, action, object_type, object_id, changes, "
    "request_id, client_ip, prev_hash, hash"
)
COPY_TO_NOW = (
    f"INSERT INTO audit_auditentry ({COLUMNS.format(at='at')}) "
    f"SELECT {COLUMNS.format(at='%s')} FROM audit_auditentry WHERE id = %s"
)


def _settle():
    """Run the deferred foreign-key checks of the rows this test wrote, as a commit
    would: PostgreSQL alters no table with checks pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _partition_of(table, pk):
    with connection.cursor() as cursor:
        column = "id" if table == partitions.ENTRY else "entry_id"
        cursor.execute(
            f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE {column} = %s", [pk]
        )  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _months():
    with connection.cursor() as cursor:
        return partitions.existing(cursor)


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through bin/test)")


def test_a_row_is_never_earlier_than_the_one_before(administrator):
    """A clock that goes back (another server's) does not put a row before its
    predecessor: each month stays one unbroken run of seq."""
    _write(administrator, 1)
    _write(administrator, 1, NOW - datetime.timedelta(days=40))
    first, second = AuditEntry.objects.order_by("seq")
    assert second.at == first.at
    assert verify_chain(administrator.municipality_id) is None


def test_a_month_verifies_from_where_the_chain_stood_before_it(administrator):
    rows = _two_months(administrator)
    old = verify_month(administrator.municipality_id, OLD_MONTH)
    assert (old.found, old.entries, old.last) == (None, 3, (3, rows[2].hash))
    assert state_before(administrator.municipality_id, THIS_MONTH) == (3, rows[2].hash)
    current = verify_month(administrator.municipality_id, THIS_MONTH)
    assert (current.found, current.entries, current.last) == (None, 2, (5, rows[4].hash))


def test_a_changed_row_breaks_its_month_only(administrator):
    rows = _two_months(administrator)
    tamper("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["9", rows[3].pk])
    found = verify_month(administrator.municipality_id, THIS_MONTH).found
    assert (found.seq, found.reason) == (4, "content does not match its hash")
    assert verify_month(administrator.municipality_id, OLD_MONTH).found is None
    with pytest.raises(CommandError, match="seq=4"):
        call_command("audit_verify", month=THIS_MONTH.strftime("%Y-%m"))


def test_a_row_removed_at_the_start_of_a_month_is_found_in_that_month(administrator):
    rows = _two_months(administrator)
    tamper("DELETE FROM audit_auditsubject WHERE entry_id = %s", [rows[3].pk])
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [rows[3].pk])
    found = verify_month(administrator.municipality_id, THIS_MONTH).found
    assert (found.seq, found.reason) == (4, "row missing (gap in sequence)")


@pytest.mark.postgres
def test_a_sequence_number_repeated_in_another_month_is_found(administrator):
    """A copy of a row under another id in another month: no index can refuse it
    there (within a month, the partition's unique index does)."""
    _require_postgresql()
    rows = _two_months(administrator)
    tamper(COPY_TO_NOW, [NOW, rows[2].pk])
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (3, "row duplicated (sequence number repeated)")
    found = verify_month(administrator.municipality_id, THIS_MONTH).found
    assert (found.seq, found.reason) == (3, "row duplicated (sequence number repeated)")


def test_rows_swapped_in_order_break_the_chain(administrator):
    rows = _two_months(administrator)
    for pk, seq in ((rows[0].pk, 999), (rows[1].pk, 1), (rows[0].pk, 2)):
        tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [seq, pk])
    found = verify_month(administrator.municipality_id, OLD_MONTH).found
    assert (found.seq, found.reason) == (1, "previous hash does not match")


@pytest.mark.postgres
def test_rows_and_their_subjects_land_in_their_months_partition(administrator):
    _require_postgresql()
    rows = _two_months(administrator)
    old, new = (
        partitions.name(partitions.ENTRY, OLD_MONTH),
        partitions.name(partitions.ENTRY, THIS_MONTH),
    )
    assert _partition_of(partitions.ENTRY, rows[0].pk) == [old]
    assert _partition_of(partitions.ENTRY, rows[4].pk) == [new]
    assert _partition_of(partitions.SUBJECT, rows[0].pk) == [
        partitions.name(partitions.SUBJECT, OLD_MONTH)
    ]
    assert _partition_of(partitions.SUBJECT, rows[4].pk) == [
        partitions.name(partitions.SUBJECT, THIS_MONTH)
    ]


@pytest.mark.postgres
def test_the_write_under_the_lock_is_one_statement(administrator):
    _require_postgresql()
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        audit_record(actor=administrator, action="read", obj=administrator, subjects=[71])
    lock, write = [q["sql"] for q in captured if "audit_" in q["sql"]]
    assert lock.startswith("UPDATE audit_auditchainhead SET last_seq = last_seq")
    assert "INSERT INTO audit_auditentry" in write
    assert "INSERT INTO audit_auditsubject" in write
    assert "UPDATE audit_auditchainhead SET last_seq = " in write
    assert verify_chain(administrator.municipality_id) is None


@pytest.mark.postgres
def test_creating_the_coming_months_is_idempotent(capsys):
    _require_postgresql()
    call_command("audit_partitions", ahead=5)
    made = _months()
    call_command("audit_partitions", ahead=5)
    assert _months() == made
    assert partitions.add_months(THIS_MONTH, 5) in made
    out = capsys.readouterr().out
    assert out.count(f"created {partitions.add_months(THIS_MONTH, 5):%Y-%m}") == 1
    assert out.count(f"partitions up to {partitions.add_months(THIS_MONTH, 5):%Y-%m} exist") == 2


@pytest.mark.postgres
def test_dropping_an_old_month_leaves_the_rest_verifiable(administrator, outsider, log_reviewer):
    _require_postgresql()
    rows = _two_months(administrator)
    _write(outsider, 1)
    _settle()
    call_command("audit_partitions", drop_before=THIS_MONTH.strftime("%Y-%m"))
    assert OLD_MONTH not in _months()
    assert list(
        AuditEntry.objects.filter(municipality=administrator.municipality).values_list(
            "seq", flat=True
        )
    ) == [4, 5]
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.municipality, checkpoint.month) == (administrator.municipality, OLD_MONTH)
    assert (checkpoint.last_seq, checkpoint.last_hash, checkpoint.entries) == (3, rows[2].hash, 3)
    # Signed outside the database too: verify accepts the chain starting there.
    signed = anchor.read(administrator.municipality_id).found
    assert [(c.seq, c.hash, c.kind) for c in signed] == [(3, rows[2].hash, "removed")]
    assert verify_chain(administrator.municipality_id) is None
    assert verify_month(administrator.municipality_id, THIS_MONTH).found is None
    call_command("audit_verify")
    # The log reviewer's unfiltered page counts the rows kept.
    assert queries.entry_page(actor=log_reviewer, filters={}, page_number=1).paginator.count == 2
    # The retained part is still checked: a changed row is found.
    tamper("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["9", rows[4].pk])
    assert verify_chain(administrator.municipality_id).seq == 5


@pytest.mark.postgres
def test_a_month_that_does_not_verify_is_not_dropped(administrator):
    _require_postgresql()
    rows = _two_months(administrator)
    tamper("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["9", rows[1].pk])
    with pytest.raises(CommandError, match="not dropped.*seq=2"):
        call_command("audit_partitions", drop_before=THIS_MONTH.strftime("%Y-%m"))
    assert OLD_MONTH in _months()
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.postgres
def test_the_current_month_cannot_be_dropped(administrator):
    _require_postgresql()
    next_month = partitions.add_months(THIS_MONTH, 1)
    with pytest.raises(CommandError, match="not be later than the current month"):
        call_command("audit_partitions", drop_before=next_month.strftime("%Y-%m"))
    assert THIS_MONTH in _months()


@pytest.mark.postgres
def test_a_new_month_grants_nothing_to_other_roles():
    """Default privileges would give the application's role TRUNCATE on each new
    partition; access goes through the parent, so the partitions get no grants."""
    _require_postgresql()
    role = f"kinsight_test_app_{os.getpid()}"
    month = partitions.add_months(THIS_MONTH, 7)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditentry TO {role}")
        assert partitions.create(cursor, month)
        for table in (partitions.ENTRY, partitions.SUBJECT):
            cursor.execute(
                "SELECT has_table_privilege(%s, %s, 'TRUNCATE'), "
                "has_table_privilege(%s, %s, 'SELECT')",
                [role, partitions.name(table, month)] * 2,
            )
            assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT has_table_privilege(%s, 'audit_auditentry', 'INSERT')", [role])
        assert cursor.fetchone() == (True,)
        cursor.execute(f"ALTER DEFAULT PRIVILEGES REVOKE ALL ON TABLES FROM {role}")
        cursor.execute(f"REVOKE ALL ON audit_auditentry FROM {role}")
