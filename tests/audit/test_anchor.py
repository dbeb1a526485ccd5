"""The audit chain anchored outside the database: keyed hashes (the key in a file the
database owner cannot read) and signed checkpoints in an append-only file. The three
attacks of the database's owner, by raw SQL past the models: forge a row and recompute
the chain and its head, cut the tail and move the head back, empty the table."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from kinsight.audit import anchor
from kinsight.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from kinsight.audit.services import audit_read
from kinsight.audit.verify import verify_chain
from tests.audit.helpers import tamper

pytestmark = pytest.mark.django_db


def _write(actor, count):
    for _ in range(count):
        audit_read(actor=actor, obj=actor)
    return list(AuditEntry.objects.filter(municipality=actor.municipality).order_by("seq"))


def _verify_fails(*reasons):
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    for reason in reasons:
        assert reason in str(error.value)


def _signed(municipality_id):
    return [(c.seq, c.kind) for c in anchor.read(municipality_id).found]


def _move_head(municipality_id, seq, link):
    tamper(
        "UPDATE audit_auditchainhead SET last_seq = %s, last_hash = %s WHERE municipality_id = %s",
        [seq, link, municipality_id],
    )


def _rechain(rows, keyed_from, content=None):
    """Give ``rows`` new hashes from the first one on (its content replaced by
    ``content``), each linked to the one before, as the owner would in SQL."""
    prev_hash = rows[0].prev_hash
    for entry in rows:
        entry.prev_hash = prev_hash
        if content and entry is rows[0]:
            entry.object_id = content
        entry.hash = prev_hash = entry.compute_hash([], keyed_from=keyed_from)
        tamper(
            "UPDATE audit_auditentry SET object_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.object_id, entry.prev_hash, entry.hash, entry.pk],
        )
    _move_head(rows[0].municipality_id, rows[-1].seq, rows[-1].hash)


def test_a_chain_with_checkpoints_verifies_and_gets_a_new_one(administrator, capsys):
    _write(administrator, 3)
    call_command("audit_checkpoint")
    rows = _write(administrator, 2)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "checkpoint seq=3 signed" in out and "chain intact" in out
    assert "checkpoint seq=5 signed" in out
    assert _signed(administrator.municipality_id) == [(3, "head"), (5, "head")]
    checkpoint = anchor.read(administrator.municipality_id).found[-1]
    assert (checkpoint.hash, checkpoint.keyed_from) == (rows[-1].hash, 1)
    call_command("audit_checkpoint")
    assert "checkpoint seq=5 already signed" in capsys.readouterr().out


def test_hashes_are_keyed_with_the_key_outside_the_database(administrator, settings, tmp_path):
    entry = _write(administrator, 1)[0]
    assert entry.compute_hash([], keyed_from=1) == entry.hash
    # Without the key (another key, or none: plain SHA-256) no one gets the same hash.
    assert entry.compute_hash([], keyed_from=2) != entry.hash
    settings.KINSIGHT_AUDIT_KEY_FILE = str(tmp_path / "another.key")
    assert entry.compute_hash([], keyed_from=1) != entry.hash


def test_a_forged_row_with_every_later_hash_and_the_head_recomputed_is_found(
    administrator, settings, tmp_path
):
    rows = _write(administrator, 5)
    key_file = settings.KINSIGHT_AUDIT_KEY_FILE
    # The owner knows the algorithm but not the key: their best guess is another key.
    settings.KINSIGHT_AUDIT_KEY_FILE = str(tmp_path / "guessed.key")
    _rechain(rows[2:], keyed_from=1, content="999")
    settings.KINSIGHT_AUDIT_KEY_FILE = key_file
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (3, "content does not match its hash")
    _verify_fails("seq=3", "content does not match its hash")


def test_a_forgery_past_a_moved_first_keyed_row_is_found_by_the_checkpoint(administrator):
    rows = _write(administrator, 4)
    call_command("audit_checkpoint")
    # Plain SHA-256 needs no key: the owner moves the first keyed row past the end.
    tamper(
        "UPDATE audit_auditchainhead SET keyed_from = 99 WHERE municipality_id = %s",
        [administrator.municipality_id],
    )
    _rechain(rows, keyed_from=99, content="999")
    _verify_fails("rewritten")


def test_rows_after_the_checkpoint_rewritten_unkeyed_are_found(administrator):
    """A chain older than the key (keyed from 3): the owner moves the boundary past the
    end and rewrites the rows after the last checkpoint with plain SHA-256."""
    head = AuditChainHead.objects.filter(pk=administrator.municipality_id)
    head.update(keyed_from=3)
    _write(administrator, 2)
    call_command("audit_checkpoint")
    rows = _write(administrator, 2)
    tamper(
        "UPDATE audit_auditchainhead SET keyed_from = 99 WHERE municipality_id = %s",
        [administrator.municipality_id],
    )
    _rechain(rows[2:], keyed_from=99, content="999")
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (99, "rewritten: first keyed row moved")


def test_a_rewritten_checkpointed_row_is_found(administrator):
    rows = _write(administrator, 3)
    call_command("audit_checkpoint")
    # Rechained by someone holding the key (a stolen key): the checkpoint still differs.
    _rechain(rows[1:], keyed_from=1, content="999")
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (3, "rewritten: not the signed checkpoint")


def test_a_tail_cut_with_the_head_moved_back_is_found(administrator):
    rows = _write(administrator, 5)
    call_command("audit_checkpoint")
    for entry in rows[3:]:
        tamper("DELETE FROM audit_auditsubject WHERE entry_id = %s", [entry.pk])
        tamper("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    _move_head(administrator.municipality_id, 3, rows[2].hash)
    _verify_fails("seq=5", "truncated")
    # Nor is the cut chain signed afterwards.
    with pytest.raises(CommandError, match="behind its signed checkpoints"):
        call_command("audit_checkpoint")


def test_an_emptied_table_is_found(administrator):
    _write(administrator, 3)
    call_command("audit_checkpoint")
    tamper("DELETE FROM audit_auditsubject")
    tamper("DELETE FROM audit_auditentry")
    _move_head(administrator.municipality_id, 0, GENESIS_HASH)
    _verify_fails("seq=3", "emptied")


def test_rows_removed_at_the_start_need_a_signed_removal(administrator):
    rows = _write(administrator, 4)
    call_command("audit_checkpoint")
    for entry in rows[:2]:
        tamper("DELETE FROM audit_auditsubject WHERE entry_id = %s", [entry.pk])
        tamper("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    # A checkpoint row in the database as audit_partitions --drop-before writes one.
    tamper(
        "INSERT INTO audit_auditcheckpoint"
        " (municipality_id, month, last_seq, last_hash, entries, created_at)"
        " VALUES (%s, '2026-01-01', 2, %s, 2, CURRENT_TIMESTAMP)",
        [administrator.municipality_id, rows[1].hash],
    )
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (2, "truncated: start removed without a signature")
    anchor.write(administrator.municipality_id, 2, rows[1].hash, 1, kind="removed")
    assert verify_chain(administrator.municipality_id) is None


def test_an_altered_checkpoint_file_is_found(administrator, audit_checkpoint_file):
    _write(administrator, 2)
    call_command("audit_checkpoint")
    line = json.loads(audit_checkpoint_file.read_text())
    line["seq"] = 1
    audit_checkpoint_file.write_text(json.dumps(line) + "\n")
    _verify_fails("checkpoint file altered: line 1 not signed")


def test_a_checkpoint_every_n_rows_once_they_are_committed(
    administrator, settings, django_capture_on_commit_callbacks
):
    settings.KINSIGHT_AUDIT_CHECKPOINT_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        _write(administrator, 5)
    assert _signed(administrator.municipality_id) == [(2, "head"), (4, "head")]
    assert verify_chain(administrator.municipality_id) is None


def test_a_chain_older_than_the_key_goes_on_keyed_after_its_head(administrator):
    """Migration 0005: the rows before it keep their SHA-256 and verify with it."""
    head = AuditChainHead.objects.filter(pk=administrator.municipality_id)
    head.update(keyed_from=10**9)  # as before the key: every row plain SHA-256
    old = _write(administrator, 3)
    migration = importlib.import_module("kinsight.audit.migrations.0005_keyed_chain")
    migration.keyed_after_the_head(apps, SimpleNamespace(connection=connection))
    assert head.get().keyed_from == 4
    rows = _write(administrator, 2)[3:]
    assert [entry.compute_hash([], keyed_from=10**9) for entry in old] == [e.hash for e in old]
    assert rows[0].compute_hash([], keyed_from=10**9) != rows[0].hash
    call_command("audit_verify")
    assert anchor.read(administrator.municipality_id).found[-1].keyed_from == 4
