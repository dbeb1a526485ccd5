"""The audit chain: gap-free, hash-linked per municipality, verified by a command."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from kinsight.audit.models import AuditEntry
from kinsight.audit.services import (
    AuditOutsideTransaction,
    audit_read,
    audit_read_many,
    audit_record,
)
from kinsight.audit.verify import verify_chain
from tests.audit.helpers import tamper

pytestmark = pytest.mark.django_db


def _write(actor, n):
    for _ in range(n):
        audit_read(actor=actor, obj=actor)


def test_it_numbers_rows_without_gaps_per_municipality(administrator, outsider):
    _write(administrator, 3)
    _write(outsider, 2)
    _write(administrator, 1)
    ours = list(
        AuditEntry.objects.filter(municipality=administrator.municipality).values_list(
            "seq", flat=True
        )
    )
    theirs = list(
        AuditEntry.objects.filter(municipality=outsider.municipality).values_list("seq", flat=True)
    )
    assert ours == [1, 2, 3, 4]
    assert theirs == [1, 2]


def test_it_links_each_row_to_the_previous_hash(administrator):
    _write(administrator, 3)
    rows = list(AuditEntry.objects.filter(municipality=administrator.municipality))
    assert rows[0].prev_hash == "0" * 64
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    assert verify_chain(administrator.municipality_id) is None


def test_it_records_who_what_and_the_request(client, login, administrator):
    login(administrator)
    response = client.get(f"/personal/{administrator.pk}/", REMOTE_ADDR="192.0.2.7")
    entry = AuditEntry.objects.filter(object_type="core.user", action="read").latest("seq")
    assert entry.actor == administrator
    assert entry.object_id == str(administrator.pk)
    assert entry.client_ip == "192.0.2.7"
    assert entry.request_id == response["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction(administrator):
    with pytest.raises(AuditOutsideTransaction):
        audit_record(actor=administrator, action="read", obj=administrator)


def test_it_rolls_back_with_the_change_it_describes(administrator):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_read(actor=administrator, obj=administrator)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()
    _write(administrator, 1)
    assert AuditEntry.objects.get().seq == 1


def test_audit_verify_names_the_first_altered_row(administrator):
    _write(administrator, 5)
    third = AuditEntry.objects.get(seq=3, municipality=administrator.municipality)
    tamper("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["999", third.pk])
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert "seq=3" in str(error.value)
    assert "content does not match" in str(error.value)


def test_audit_verify_finds_a_removed_row(administrator):
    _write(administrator, 4)
    second = AuditEntry.objects.get(seq=2, municipality=administrator.municipality)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", municipality=administrator.municipality.code)
    assert "seq=2" in str(error.value)


def test_audit_verify_finds_a_removed_last_row(administrator):
    _write(administrator, 3)
    last = AuditEntry.objects.get(seq=3, municipality=administrator.municipality)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert "seq=3" in str(error.value)


def test_audit_verify_passes_an_intact_chain(administrator, outsider, capsys):
    _write(administrator, 2)
    _write(outsider, 2)
    call_command("audit_verify")
    assert capsys.readouterr().out.count("chain intact") == 2


def _subject_rows(actor, persons):
    """Two rows naming persons (a list read of staff, with explicit subjects)."""
    for _ in range(2):
        audit_read_many(actor=actor, objects=[actor], object_type="core.user", subjects=persons)
    return AuditEntry.objects.filter(municipality=actor.municipality).order_by("seq")


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_auditsubject WHERE entry_id = %s AND person_id = 71",
        "UPDATE audit_auditsubject SET person_id = 99 WHERE entry_id = %s AND person_id = 71",
        "INSERT INTO audit_auditsubject (entry_id, municipality_id, person_id, at)"
        " SELECT id, municipality_id, 5, at FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_hash_covers_the_persons_a_row_names(administrator, sql):
    entries = _subject_rows(administrator, [71, 72])
    assert verify_chain(administrator.municipality_id) is None
    tamper(sql, [entries[1].pk])
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (2, "content does not match its hash")


def test_a_subject_moved_to_another_municipality_breaks_the_chain(administrator, outsider):
    entry = _subject_rows(administrator, [71])[0]
    tamper(
        "UPDATE audit_auditsubject SET municipality_id = %s WHERE entry_id = %s",
        [outsider.municipality_id, entry.pk],
    )
    found = verify_chain(administrator.municipality_id)
    assert (found.seq, found.reason) == (1, "subject of another municipality")


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_subject_rows(administrator):
    from django.db import DatabaseError

    entry = _subject_rows(administrator, [71])[0]
    for statement in (
        "UPDATE audit_auditsubject SET person_id = 5 WHERE entry_id = %s",
        "DELETE FROM audit_auditsubject WHERE entry_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert list(entry.subjects.values_list("person_id", flat=True)) == [71]


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_audit_rows(administrator):
    from django.db import DatabaseError

    _write(administrator, 1)
    entry = AuditEntry.objects.get()
    for statement in (
        "UPDATE audit_auditentry SET action = 'create' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get().action == "read"


def test_it_believes_forwarded_addresses_only_from_trusted_proxies(client, settings):
    settings.TRUSTED_PROXIES = {"10.0.0.2"}
    from django.test import RequestFactory

    from kinsight.audit.middleware import client_ip

    factory = RequestFactory()
    via_proxy = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9")
    assert client_ip(via_proxy) == "192.0.2.9"
    direct = factory.get("/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(direct) == "192.0.2.50"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "10.0.0.2"
