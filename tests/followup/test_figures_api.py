"""The figures API (/api/v1/followup/figures/): the registry, a definition's tables as
they leave the unit (published, complementary suppression), 404s, Swedish 400s, the
export audited, and a fixed number of statements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from kinsight.core.models import UnitType
from tests.followup.figures_factories import report, small_and_large

API = "/api/v1/followup/figures/"
YEAR = {"from": "2025-01", "to": "2025-12"}


@pytest.fixture
def reports(org, child_unit):
    return small_and_large(org, child_unit)


D = datetime.date


def test_the_registry_lists_keys_titles_texts_and_breakdowns(client, login, head):
    login(head)
    data = client.get(API).json()
    found = {d["key"]: d for d in data}
    assert {"minimum_level", "concern_reports", "children_next_of_kin"} <= set(found)
    assert found["children_next_of_kin"]["breakdowns"] == [
        "period",
        "unit",
        "unit_type",
        "sex",
        "age_band",
        "problem_area",
    ]
    assert found["concern_reports"]["text"]


def test_tables_are_published_with_complementary_suppression(
    client, login, head, reports, child_unit
):
    login(head)
    data = client.get(f"{API}concern_reports/", {"by": "unit", **YEAR}).json()
    assert (data["from"], data["to"], data["step"], data["by"]) == (
        "2025-01",
        "2025-12",
        "month",
        "unit",
    )
    pre = next(t for t in data["tables"] if t["key"] == "pre_assessment")
    rows = {row["key"]: row for row in pre["rows"]}
    assert rows[str(child_unit.pk)]["received"] == "<5"
    assert rows[str(reports["families"].pk)]["received"] == "<5"  # the complement
    assert rows[str(child_unit.pk)]["pre_share"] is None  # derived from a hidden count
    assert pre["total"]["received"] == 13 and pre["suppression_threshold"] == 5
    entry = AuditEntry.objects.filter(action="export", object_type="followup.figure").get()
    assert entry.object_id == "concern_reports" and entry.changes["tables"] == [
        "pre_assessment",
        "investigation",
        "feedback",
    ]


def test_bad_parameters_get_400_in_swedish(client, login, head):
    login(head)
    response = client.get(f"{API}minimum_level/", {"by": "age_band"})
    assert response.status_code == 400
    assert response.json()["by"] == ["Nyckeltalet kan delas upp efter: period, enhet, enhetstyp."]
    response = client.get(f"{API}concern_reports/", {"from": "2025-1x"})
    assert response.status_code == 400 and "from" in response.json()
    response = client.get(f"{API}concern_reports/", {"step": "week"})
    assert response.status_code == 400 and "step" in response.json()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_404_for_an_unknown_figure_and_for_those_without_the_dashboard(
    client, login, head, worker, child_worker
):
    login(head)
    assert client.get(f"{API}nonsense/").status_code == 404
    for user in (worker, child_worker):
        login(user)
        assert client.get(API).status_code == 404
        assert client.get(f"{API}concern_reports/").status_code == 404


def test_a_unit_manager_gets_their_unit_only(client, login, child_manager, child_unit, reports):
    login(child_manager)
    data = client.get(f"{API}concern_reports/", {"by": "unit", **YEAR}).json()
    assert [row["key"] for row in data["tables"][0]["rows"]] == [str(child_unit.pk)]
    response = client.get(f"{API}concern_reports/", {"unit": reports["families"].pk})
    assert response.status_code == 400


def test_a_figure_costs_the_same_whatever_the_number_of_rows(client, login, head, org, child_unit):
    login(head)
    url, params = f"{API}children_next_of_kin/", {"by": "problem_area", **YEAR}
    report(child_unit, D(2025, 2, 3))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    for day in range(1, 10):
        report(org["units"][UnitType.VIOLENCE], D(2025, 3, day))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, params).status_code == 200
    assert len(many) == len(few)
