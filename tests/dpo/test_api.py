"""The register extract through the API: the log reviewer's only."""

import pytest

from kinsight.audit.models import AuditAction, AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/register-extracts/"


def test_the_log_reviewer_goes_from_request_to_release(log_reviewer, everything):
    api = factories.token_client(log_reviewer)
    made = api.post(
        BASE, {"identifier": everything["anna"].identifier, "received_on": "2026-01-31"}
    )
    assert made.status_code == 201, made.content
    assert made.json()["due_on"] == "2026-02-28"
    url = f"{BASE}{made.json()['id']}/"
    compiled = api.post(f"{url}compile/", {"version": made.json()["version"]}).json()
    assert compiled["status"] == "compiled"
    flagged = [
        it for s in compiled["extract"]["sections"] for it in s["items"] if it["withhold_review"]
    ]
    assert api.get(f"{url}document/").status_code == 404  # not before release
    decisions = {it["key"]: "withhold" for it in flagged}
    body = {"version": compiled["version"], "decisions": decisions}
    reviewed = api.post(f"{url}review/", body, format="json").json()
    released = api.post(f"{url}release/", {"version": reviewed["version"], "note": "Post"})
    assert released.json()["status"] == "released"
    document = api.get(f"{url}document/").json()
    assert document["withheld"] == len(flagged)
    assert "Lena" not in str(document)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=log_reviewer).count() == 1
    assert api.get(BASE).json()["count"] == 1


def test_a_review_with_a_wrong_decision_gets_400(log_reviewer, anna):
    api = factories.token_client(log_reviewer)
    made = api.post(BASE, {"identifier": anna.identifier, "received_on": "2026-11-20"}).json()
    url = f"{BASE}{made['id']}/"
    compiled = api.post(f"{url}compile/", {"version": made["version"]}).json()
    body = {"version": compiled["version"], "decisions": {"x": "maybe"}}
    assert api.post(f"{url}review/", body, format="json").status_code == 400
    assert api.post(BASE, {"identifier": "nej", "received_on": "2026-11-20"}).status_code == 400


@pytest.mark.parametrize("who", ["worker", "administrator"])
def test_everyone_else_gets_404(log_reviewer, anna, who, request):
    made = factories.token_client(log_reviewer).post(
        BASE, {"identifier": anna.identifier, "received_on": "2026-11-20"}
    )
    api = factories.token_client(request.getfixturevalue(who))
    assert api.get(BASE).status_code == 404
    assert api.get(f"{BASE}{made.json()['id']}/").status_code == 404
    assert api.post(BASE, {"identifier": anna.identifier}).status_code == 404
