"""Two transactions writing audit rows at once must take turns, not fork the chain."""

import threading

import pytest
from django.db import connection, connections, transaction

from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_record
from kinsight.audit.verify import verify_chain
from kinsight.core.models import User
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 4
ROWS_EACH = 15


def test_concurrent_writers_keep_one_gap_free_chain():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through bin/test)")
    municipality = factories.municipality()
    actor = factories.staff(municipality)
    start = threading.Barrier(WRITERS)
    errors = []

    def writer():
        try:
            user = User.objects.get(pk=actor.pk)
            start.wait()
            for _ in range(ROWS_EACH):
                with transaction.atomic():
                    audit_record(actor=user, action="read", obj=user)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(
        AuditEntry.objects.filter(municipality=municipality)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, WRITERS * ROWS_EACH + 1))
    assert verify_chain(municipality.pk) is None


def test_concurrent_transactions_hold_the_chain_until_commit():
    """A second writer waits while the first holds an open transaction."""
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through bin/test)")
    municipality = factories.municipality()
    actor = factories.staff(municipality)
    first_wrote = threading.Event()
    release_first = threading.Event()
    order = []

    def first():
        user = User.objects.get(pk=actor.pk)
        with transaction.atomic():
            audit_record(actor=user, action="read", obj=user)
            first_wrote.set()
            release_first.wait(timeout=10)
            order.append("first commits")
        connections.close_all()

    def second():
        user = User.objects.get(pk=actor.pk)
        first_wrote.wait(timeout=10)
        with transaction.atomic():
            audit_record(actor=user, action="read", obj=user)
            order.append("second wrote")
        connections.close_all()

    t1, t2 = threading.Thread(target=first), threading.Thread(target=second)
    t1.start()
    t2.start()
    first_wrote.wait(timeout=10)
    t2.join(timeout=1)  # second must still be waiting for the lock
    assert t2.is_alive()
    release_first.set()
    t1.join()
    t2.join()
    assert order == ["first commits", "second wrote"]
    assert verify_chain(municipality.pk) is None
    assert AuditEntry.objects.filter(municipality=municipality).count() == 2
