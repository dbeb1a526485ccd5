"""The audit log's own retention (KINSIGHT_AUDIT_RETENTION_YEARS): whole months older
than the setting leave after they verified, with a signed checkpoint; the rest still
verifies from there, and a start cut further, a cut end or an emptied chain still show."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from kinsight.audit import anchor, partitions, retention
from kinsight.audit.models import AuditCheckpoint, AuditEntry, AuditSubject
from kinsight.audit.services import audit_read_many
from kinsight.audit.verify import verify_chain
from tests.audit.helpers import tamper

pytestmark = pytest.mark.django_db

OLD = datetime.datetime(2014, 5, 20, 12, tzinfo=datetime.UTC)
LATER = datetime.datetime(2016, 6, 3, 12, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 1)


def _write(actor, count, at):
    partitions.ensure(at, at)  # PostgreSQL: the month's partition (the test's own)
    with mock.patch("django.utils.timezone.now", return_value=at):
        for _ in range(count):
            audit_read_many(actor=actor, objects=[actor], object_type="core.user", subjects=[71])


@pytest.fixture
def chain(administrator):
    """Three rows in May 2014, two in June 2016."""
    _write(administrator, 3, OLD)
    _write(administrator, 2, LATER)
    anchor.write(administrator.municipality_id, 5, AuditEntry.objects.get(seq=5).hash, 1)
    if connection.vendor == "postgresql":
        # Written in the test's own transaction: their deferred checks run now, as at a
        # commit, so that a month's partition may be dropped (never with checks pending).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return administrator.municipality_id


def _remove_row(seq):
    entry = AuditEntry.objects.get(seq=seq)
    tamper("DELETE FROM audit_auditsubject WHERE entry_id = %s", [entry.pk])
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def _seqs(municipality_id):
    return list(
        AuditEntry.objects.filter(municipality_id=municipality_id).values_list("seq", flat=True)
    )


def test_the_default_keeps_ten_years_and_zero_keeps_for_ever(settings):
    del settings.KINSIGHT_AUDIT_RETENTION_YEARS
    assert retention.first_kept_month(TODAY) == datetime.date(2016, 3, 1)
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 0
    assert retention.first_kept_month(TODAY) is None


def test_months_older_than_the_setting_leave_and_the_rest_verifies(chain, settings, capsys):
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 10
    call_command("audit_retention", today="2026-03-01")
    assert "1 month(s) removed" in capsys.readouterr().out
    assert _seqs(chain) == [4, 5]
    assert not AuditSubject.objects.filter(at__lt=LATER.replace(day=1)).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.month, checkpoint.last_seq, checkpoint.entries) == (
        partitions.month_of(OLD),
        3,
        3,
    )
    removed = [c for c in anchor.read(chain).found if c.kind == "removed"]
    assert [(c.seq, c.hash) for c in removed] == [(3, checkpoint.last_hash)]
    assert verify_chain(chain) is None
    call_command("audit_verify")


def test_it_keeps_everything_when_nothing_is_old_enough(chain, settings):
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 20
    assert retention.cull(TODAY) == []
    assert _seqs(chain) == [1, 2, 3, 4, 5]


def test_a_start_cut_further_than_signed_is_found(chain, settings):
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 10
    retention.cull(TODAY)
    _remove_row(4)
    assert verify_chain(chain).reason == "row missing (gap in sequence)"
    # Moving the database's checkpoint along does not help: it is not signed.
    row = AuditEntry.objects.get(seq=5)
    tamper(
        "UPDATE audit_auditcheckpoint SET last_seq = 4, last_hash = %s",
        [row.prev_hash],
    )
    assert "without a signature" in verify_chain(chain).reason


def test_a_cut_end_and_an_emptied_chain_still_show_after_culling(chain, settings, administrator):
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 10
    retention.cull(TODAY)
    _remove_row(5)
    tamper(
        "UPDATE audit_auditchainhead SET last_seq = 4, last_hash = %s",
        [AuditEntry.objects.get(seq=4).hash],
    )
    assert verify_chain(chain).reason == "truncated: the signed checkpoint's row"
    tamper("DELETE FROM audit_auditsubject")
    tamper("DELETE FROM audit_auditentry")
    tamper(
        "UPDATE audit_auditchainhead SET last_seq = 3, last_hash = %s",
        [AuditCheckpoint.objects.get().last_hash],
    )
    assert verify_chain(chain).reason.startswith("emptied")


def test_a_month_that_does_not_verify_is_not_removed(chain, settings):
    settings.KINSIGHT_AUDIT_RETENTION_YEARS = 10
    tamper("UPDATE audit_auditentry SET object_id = '9' WHERE seq = 2")
    with pytest.raises(retention.RetentionRefused, match="not removed.*seq=2"):
        retention.cull(TODAY)
    assert _seqs(chain) == [1, 2, 3, 4, 5]
    assert not AuditCheckpoint.objects.exists()
