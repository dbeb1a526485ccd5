"""The retention API: administrators read the rules, proposals and records, change a
rule and approve or reject a proposal; everyone else, and another municipality's
administrator, gets 404."""

import pytest

from kinsight.people.models import Person
from kinsight.retention import services
from kinsight.retention.models import RetentionRule, RuleKind
from tests.retention.conftest import DAY, old_file, years_after

pytestmark = pytest.mark.usefixtures("rules")
JSON = "application/json"


@pytest.fixture
def proposal(municipality, adults):
    old_file(municipality, adults)
    return services.proposal_create(municipality.pk, years_after(DAY, 6))


def test_two_administrators_approve_through_the_api(
    client, login, administrator, second_administrator, proposal
):
    url = f"/api/v1/retention-proposals/{proposal.pk}/approve/"
    login(administrator)
    first = client.post(url, {"version": 1}, content_type=JSON)
    assert first.json()["status"] == "approved_once"
    again = client.post(url, {"version": 2}, content_type=JSON)
    assert again.status_code == 400 and "En annan systemförvaltare" in again.content.decode()
    client.logout()
    login(second_administrator)
    done = client.post(url, {"version": 2}, content_type=JSON)
    assert done.status_code == 200, done.content
    assert not Person.objects.exists()
    records = client.get("/api/v1/retention-records/").json()["results"]
    assert {r["kind"]: r["count"] for r in records}["personer"] == 1


def test_a_rejection_needs_a_reason(client, login, administrator, proposal):
    login(administrator)
    url = f"/api/v1/retention-proposals/{proposal.pk}/reject/"
    assert client.post(url, {"version": 1, "reason": ""}, content_type=JSON).status_code == 400
    done = client.post(url, {"version": 1, "reason": "Fel urval"}, content_type=JSON)
    assert done.json()["status"] == "rejected"


def test_a_rule_is_changed_with_its_version(client, login, administrator, municipality):
    rule = RetentionRule.objects.get(municipality=municipality, kind=RuleKind.RESEARCH)
    login(administrator)
    url = f"/api/v1/retention-rules/{rule.pk}/"
    refused = client.patch(url, {"birth_days": "5,40", "version": 1}, content_type=JSON)
    assert refused.status_code == 400 and "birth_days" in refused.json()
    saved = client.patch(url, {"birth_days": "5,15", "version": 1}, content_type=JSON)
    assert saved.json()["birth_days"] == "5,15"


@pytest.mark.parametrize("persona", ["worker", "log_reviewer", "outsider"])
def test_everyone_else_gets_404(client, login, request, persona, proposal):
    login(request.getfixturevalue(persona))
    rule = RetentionRule.objects.filter(municipality=proposal.municipality).first()
    assert client.get(f"/api/v1/retention-proposals/{proposal.pk}/").status_code == 404
    assert client.get(f"/api/v1/retention-rules/{rule.pk}/").status_code == 404
    url = f"/api/v1/retention-proposals/{proposal.pk}/approve/"
    assert client.post(url, {"version": 1}, content_type=JSON).status_code == 404
    assert client.get("/api/v1/retention-proposals/").json()["results"] == []
