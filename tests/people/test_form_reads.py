"""Every page that shows personal data is a read, form pages too (issue 9 §7): one
audit read row for the person or case shown; 404 for a user without a relationship."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGES = [
    ("people:person_edit", "person", "people.person"),
    ("people:family_add", "person", "people.person"),
    ("cases:case_open", "person", "people.person"),
    ("cases:case_edit", "case", "cases.case"),
    ("detection:child_new", "case", "cases.case"),
]


def _url(name, kind, case):
    obj = case.person if kind == "person" else case
    arg = {"cases:case_open": "person_pk", "detection:child_new": "case_pk"}.get(name, "pk")
    return reverse(name, kwargs={arg: obj.pk}), obj


@pytest.mark.parametrize(("name", "kind", "object_type"), PAGES)
def test_the_form_page_writes_one_read_row(
    client, login, worker, open_case, name, kind, object_type
):
    url, obj = _url(name, kind, open_case)
    login(worker)
    assert client.get(url).status_code == 200
    rows = AuditEntry.objects.filter(
        actor=worker, action="read", object_type=object_type, object_id=str(obj.pk)
    )
    assert rows.count() == 1


@pytest.mark.parametrize(("name", "kind", "object_type"), PAGES)
def test_the_form_page_is_404_without_a_relationship(
    client, login, child_worker, open_case, name, kind, object_type
):
    url, _ = _url(name, kind, open_case)
    login(child_worker)
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(actor=child_worker, action="read").exists()
