"""The regions API: heads of services publish, withdraw and list their own (another
municipality's 404); the network leader reads what was published, the comparison and
the trend, and keeps the members; everyone else 404."""

import datetime

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.regions.models import Member, PublishedFigure
from tests.regions.test_region_pages import figure

JSON = "application/json"
D = datetime.date
BODY = {"definition": "concern_reports", "step": "year", "period_start": "2025-06-01"}


@pytest.fixture
def published(region, member, municipality, head):
    return figure(municipality, region, head, 20, 3)


def test_a_head_of_services_publishes_a_closed_year_and_withdraws_it(
    client, login, head, member, region, reports
):
    login(head)
    response = client.post(
        "/api/v1/region-publications/", {"region": region.pk, **BODY}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    made = response.json()
    pre = next(t for t in made["tables"] if t["key"] == "pre_assessment")
    assert pre["total"]["values"]["pre_in_time"] is None  # 3: hidden before it left
    assert made["period_label"] == "2025"
    url = f"/api/v1/region-publications/{made['id']}/withdraw/"
    response = client.post(url, {"reason": ""}, content_type=JSON)
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"reason": "Fel."}, content_type=JSON)
    assert response.status_code == 200 and response.json()["withdrawn_reason"] == "Fel."
    actions = AuditEntry.objects.filter(object_type="regions.publishedfigure")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "update"]
    listed = client.get("/api/v1/region-publications/").json()["results"]
    assert [row["id"] for row in listed] == [made["id"]]


def test_an_open_period_and_an_unknown_definition_are_refused_in_swedish(
    client, login, head, member, region
):
    login(head)
    today = datetime.date.today().isoformat()
    body = {"region": region.pk, **BODY, "step": "month", "period_start": today}
    response = client.post("/api/v1/region-publications/", body, content_type=JSON)
    assert response.status_code == 400
    assert "är inte avslutad" in response.json()["period_start"][0]
    body = {"region": region.pk, **BODY, "definition": "ingen"}
    response = client.post("/api/v1/region-publications/", body, content_type=JSON)
    assert response.status_code == 400 and "definition" in response.json()


def test_a_non_member_s_head_cannot_publish_and_gets_404_on_ours(
    client, login, other_head, region, published
):
    login(other_head)
    body = {"region": region.pk, **BODY}
    response = client.post("/api/v1/region-publications/", body, content_type=JSON)
    assert response.status_code == 400 and "inte medlem" in str(response.json())
    assert client.get(f"/api/v1/region-publications/{published.pk}/").status_code == 404
    url = f"/api/v1/region-publications/{published.pk}/withdraw/"
    assert client.post(url, {"reason": "x"}, content_type=JSON).status_code == 404


def test_the_network_leader_reads_the_region_s_figures_and_comparison(
    client, login, leader, published
):
    login(leader)
    rows = client.get("/api/v1/region-figures/").json()["results"]
    assert [row["id"] for row in rows] == [published.pk]
    detail = client.get(f"/api/v1/region-figures/{published.pk}/").json()
    assert detail["tables"][0]["key"] == "minimum_level"
    params = {"figure": "minimum_level:year:2025-01-01"}
    tables = client.get("/api/v1/region-figures/compare/", params).json()["tables"]
    total = tables[0]["total"]
    assert total["children"] == 20 and total["attended"] == "minst 0"
    assert tables[0]["rows"][0]["attended"] == "<5"
    trend = client.get("/api/v1/region-figures/trend/", params).json()["table"]
    assert trend["rows"][0]["label"] == "2025"
    response = client.get("/api/v1/region-figures/compare/", {"figure": "x"})
    assert response.status_code == 400 and "figure" in response.json()


def test_the_network_leader_keeps_the_members(client, login, leader, member, other_municipality):
    login(leader)
    body = {"municipality": other_municipality.pk, "joined_on": "2026-02-01"}
    response = client.post("/api/v1/region-members/", body, content_type=JSON)
    assert response.status_code == 201
    response = client.post("/api/v1/region-members/", body, content_type=JSON)
    assert response.status_code == 400  # already a member that day
    url = f"/api/v1/region-members/{member.pk}/leave/"
    response = client.post(url, {"left_on": "2026-03-31"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["left_on"] == "2026-03-31"
    assert Member.objects.count() == 2
    rows = client.get("/api/v1/region-members/").json()["results"]
    names = [row["municipality_name"] for row in rows]
    assert sorted(names) == ["Annan kommun", "Testkommun"]


def test_everyone_else_gets_404(client, login, worker, head, published):
    for user in (worker, head):
        login(user)
        assert client.get("/api/v1/region-figures/").status_code == 404
        assert client.get("/api/v1/region-members/").status_code == 404
        params = {"figure": "minimum_level:year:2025-01-01"}
        assert client.get("/api/v1/region-figures/compare/", params).status_code == 404
    login(worker)
    assert client.get("/api/v1/region-publications/").status_code == 404
    assert PublishedFigure.objects.count() == 1
