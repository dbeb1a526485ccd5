"""A case's edits carry the version they read (issue 9 §6)."""

from kinsight.cases import services
from tests.versioning import (
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def test_it_refuses_a_case_edit_without_or_with_a_stale_version(client, login, worker, open_case):
    services.case_update(
        actor=worker,
        case=open_case,
        expected_version=open_case.version,
        subject="Missbruk, utredning",
        legal_basis=None,
    )
    stale = open_case.version - 1
    login(worker)
    data = {"subject": "Något annat"}
    page_refuses_missing_and_stale_version(
        client, f"/arenden/{open_case.pk}/andra/", data, stale=stale
    )
    api_refuses_missing_and_stale_version(
        client, "patch", f"/api/v1/cases/{open_case.pk}/", data, stale=stale
    )
    open_case.refresh_from_db()
    assert open_case.subject == "Missbruk, utredning"
