import pytest

from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read

pytestmark = pytest.mark.django_db


def test_a_log_reviewer_reads_and_filters_the_log(client, login, log_reviewer, worker):
    audit_read(actor=worker, obj=worker)
    login(log_reviewer)
    page = client.get("/logg/", {"actor": worker.username}).content.decode()
    assert f"core.user {worker.pk}" in page
    page = client.get("/logg/", {"actor": "ingen-sadan"}).content.decode()
    assert "Inga loggposter matchar." in page


def test_reading_the_log_is_itself_logged(client, login, log_reviewer, worker):
    audit_read(actor=worker, obj=worker)
    login(log_reviewer)
    client.get("/logg/")
    entry = AuditEntry.objects.filter(actor=log_reviewer, object_type="audit.auditentry").get()
    assert entry.object_id == "*" and entry.changes["ids"]


@pytest.mark.parametrize("persona", ["administrator", "worker"])
def test_the_log_is_404_for_everyone_else(client, login, request, persona):
    login(request.getfixturevalue(persona))
    assert client.get("/logg/").status_code == 404


def test_a_reviewer_never_sees_another_municipalitys_rows(client, login, log_reviewer, outsider):
    audit_read(actor=outsider, obj=outsider)
    login(log_reviewer)
    page = client.get("/logg/").content.decode()
    assert f"core.user {outsider.pk}" not in page


def test_it_pages_the_whole_log_by_the_chains_length(client, login, log_reviewer, worker):
    for _ in range(55):
        audit_read(actor=worker, obj=worker)
    login(log_reviewer)
    page = client.get("/logg/").context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (55, 2, 50)
    second = client.get("/logg/", {"page": 2}).context["page"]
    # The first page's own read is the 56th row; the second page shows the oldest six.
    assert [row.entry.seq for row in second.rows] == [6, 5, 4, 3, 2, 1]
    filtered = client.get("/logg/", {"actor": log_reviewer.username}).context["page"]
    assert filtered.paginator.count == 2
