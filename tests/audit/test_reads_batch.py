"""A page's audited reads are written together, after the view and before the answer:
one lock of the chain head and one insert for all of them, the chain intact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinsight.audit import services
from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read, audit_read_many, reads_batch
from kinsight.audit.verify import verify_chain
from kinsight.people.models import RelationKind
from tests.audit.helpers import write_statements
from tests.people import factories as pf
from tests.people.conftest import *  # noqa: F403 - Anna, her case, the personas

pytestmark = pytest.mark.django_db


def _audit_statements(captured):
    return [q["sql"] for q in captured if "audit_" in q["sql"]]


def test_it_writes_the_reads_of_a_batch_together_when_it_ends(worker, open_case):
    with CaptureQueriesContext(connection) as captured, reads_batch():
        audit_read(actor=worker, obj=open_case)
        audit_read(actor=worker, obj=open_case.person)
        assert not AuditEntry.objects.filter(action="read").exists()
    rows = list(AuditEntry.objects.filter(action="read").order_by("seq"))
    assert [row.object_type for row in rows] == ["cases.case", "people.person"]
    assert rows[1].prev_hash == rows[0].hash
    assert verify_chain(worker.municipality_id) is None
    # the check above, then the write (tests/audit/helpers.py)
    assert len(_audit_statements(captured)) == 1 + write_statements()


def test_it_writes_the_reads_also_when_the_view_fails(worker, open_case):
    with pytest.raises(RuntimeError), reads_batch():
        audit_read(actor=worker, obj=open_case)
        raise RuntimeError("the page broke after reading")
    assert AuditEntry.objects.filter(action="read", object_type="cases.case").count() == 1


def test_a_read_outside_a_batch_is_written_at_once(worker, open_case):
    audit_read_many(actor=worker, objects=[open_case], object_type="cases.case")
    assert AuditEntry.objects.filter(action="read", object_type="cases.case").count() == 1


def test_the_person_page_writes_its_three_reads_in_one_write(
    client, login, worker, open_case, municipality
):
    kid = pf.child(municipality, "Kim", age=4)
    pf.relate(open_case.person, kid, RelationKind.PARENT)
    login(worker)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("people:person_detail", args=[open_case.person.pk]))
    assert response.status_code == 200
    rows = AuditEntry.objects.filter(action="read").order_by("seq")
    assert [row.object_type for row in rows] == ["people.person", "people.person", "cases.case"]
    statements = _audit_statements(captured)
    assert len(statements) == write_statements()
    assert verify_chain(worker.municipality_id) is None


def test_a_page_whose_reads_cannot_be_written_is_not_shown(
    client, login, worker, open_case, monkeypatch
):
    def refuse(rows):
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(services, "_append", refuse)
    login(worker)
    with pytest.raises(RuntimeError, match="audit log"):
        client.get(reverse("cases:case_detail", args=[open_case.pk]))
