"""Reads through the API base are audited in one place: a list page is one read row
naming the rows on that page (whatever the page's length), a detail one row; the
catalogues without personal data write none."""

import pytest

from config.urls import router
from kinsight.audit.models import AuditEntry
from kinsight.audit.registry import LIST_ID
from kinsight.core.apibase import TenantViewSet
from tests.people import factories as pf

LISTS = sorted(
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if issubclass(viewset, TenantViewSet)
)


# Lists only one role reads; every other list is read by the worker or the administrator.
LISTERS = {
    "register-extracts": "log_reviewer",
    "log-reviews": "log_reviewer",
    "followup/annual-reports": "head_of_services",
    "imports": "administrator",
    "region-publications": "head_of_services",
    "sso-config": "administrator",
    "sso-group-roles": "administrator",
    "retention-rules": "administrator",
    "retention-proposals": "administrator",
    "retention-records": "administrator",
}


def _reads():
    return list(AuditEntry.objects.filter(action="read").order_by("seq"))


@pytest.mark.parametrize(("prefix", "viewset"), LISTS, ids=[p for p, _ in LISTS])
def test_a_list_page_is_one_read_row_naming_its_rows(client, login, fixtures, prefix, viewset):
    fixtures["joined"]
    pf.note(fixtures["open_case"], fixtures["worker"], "Samtal.")
    who = LISTERS.get(prefix) or ("administrator" if viewset.sight == "change" else "worker")
    login(fixtures[who])
    before = len(_reads())
    response = client.get(f"/api/v1/{prefix}/")
    assert response.status_code == 200, response.content
    ids = [str(row["id"]) for row in response.json()["results"]]
    written = _reads()[before:]
    if "list" not in viewset.audit_reads or not ids:
        assert written == []
        return
    assert len(written) == 1
    assert (written[0].object_type, written[0].object_id) == (
        viewset.model._meta.label_lower,
        LIST_ID,
    )
    assert written[0].changes["ids"] == ids


def test_each_page_of_a_long_list_is_one_row_with_that_pages_rows(
    client, login, worker, open_case, adult_unit
):
    for number in range(26):
        pf.case(open_case.person, adult_unit, responsible=worker, subject=f"Ärende {number}")
    login(worker)
    for page, length in ((1, 25), (2, 2)):
        before = len(_reads())
        rows = client.get(f"/api/v1/cases/?page={page}").json()["results"]
        written = _reads()[before:]
        assert len(rows) == length and len(written) == 1
        assert written[0].changes["ids"] == [str(row["id"]) for row in rows]


def test_a_detail_is_one_read_row_and_an_invisible_one_none(
    client, login, worker, bystander, open_case
):
    login(worker)
    before = len(_reads())
    assert client.get(f"/api/v1/cases/{open_case.pk}/").status_code == 200
    written = _reads()[before:]
    assert [(e.object_type, e.object_id) for e in written] == [("cases.case", str(open_case.pk))]
    login(bystander)
    assert client.get(f"/api/v1/cases/{open_case.pk}/").status_code == 404
    assert len(_reads()) == before + 1
