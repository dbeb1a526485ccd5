"""The figures page (uppfoljning/nyckeltal/): who sees it, the choices and their
errors, the tables and the line chart against the goal, and each table's CSV
(published: small numbers suppressed, formula-safe, the export audited)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from kinsight.core.models import UnitType
from tests import factories
from tests.followup.figures_factories import report, small_and_large

URL = "/uppfoljning/nyckeltal/"
D = datetime.date
YEAR = {"from": "2025-01", "to": "2025-12"}


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def reports(org, child_unit):
    return small_and_large(org, child_unit)


def test_the_head_of_services_sees_the_definitions_and_the_not_enough_data_states(
    client, login, head
):
    login(head)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Orosanmälningar" in html and "Barn som anhöriga" in html  # the registry
    assert "Inte tillräckligt med data för ett diagram" in html
    assert "Inte tillräckligt med data: inget att räkna för Miniminivån" in html


def test_concern_reports_by_quarter_with_the_chart_against_the_goal(client, login, head, reports):
    login(head)
    params = {"definition": "concern_reports", "step": "quarter", **YEAR}
    html = client.get(URL, params).content.decode()
    assert "2025 kv1" in html and "2025 kv4" in html
    assert 'class="share-point"' in html and 'tabindex="0"' in html
    assert "2025 kv1: 100 %" in html  # decided in 5 days: all in time
    assert "Lagrum:" in html and "20 kap. 2 §" in html


def test_a_breakdown_the_definition_lacks_is_refused_in_swedish(client, login, head):
    login(head)
    response = client.get(URL, {"definition": "minimum_level", "by": "sex"})
    assert response.status_code == 400
    assert "Nyckeltalet kan delas upp efter: period, enhet, enhetstyp." in response.content.decode()
    response = client.get(URL, {"from": "2025-13"})
    assert response.status_code == 400 and "Skriv månaden som ÅÅÅÅ-MM" in response.content.decode()
    assert client.get(URL, {"definition": "nonsense"}).status_code == 400


def test_others_get_404(client, login, worker, child_worker):
    for user in (worker, child_worker):
        login(user)
        assert client.get(URL).status_code == 404
        assert client.get(URL, {"format": "csv", "table": "minimum_level"}).status_code == 404


def test_another_municipality_counts_only_its_own(client, login, reports):
    other = factories.municipality()
    head = factories.staff(
        other, role="head_of_services", unit=factories.org(other)["administration"]
    )
    login(head)
    params = {"definition": "concern_reports", "format": "csv", "table": "pre_assessment", **YEAR}
    rows = {row[0]: row for row in rows_of(client.get(URL, params))}
    assert rows["Totalt"][1] == "0"


def test_a_unit_manager_sees_only_their_unit(client, login, child_manager, child_unit, reports):
    login(child_manager)
    params = {"definition": "concern_reports", "by": "unit", **YEAR}
    html = client.get(URL, params).content.decode()
    assert child_unit.name in html and reports["families"].name not in html
    response = client.get(URL, {**params, "unit": reports["families"].pk})
    assert response.status_code == 400


def test_the_csv_is_published_with_complementary_suppression_and_audited(
    client, login, head, reports, child_unit
):
    child_unit.name = "=HYPERLINK(1)"
    child_unit.save()
    login(head)
    params = {"definition": "concern_reports", "by": "unit", **YEAR}
    response = client.get(URL, {**params, "format": "csv", "table": "pre_assessment"})
    assert response.status_code == 200
    rows = {row[0]: row for row in rows_of(response)}
    received = rows["Enhet"].index("Mottagna anmälningar")
    assert rows["'=HYPERLINK(1)"][received] == "<5"
    # The families' ten would give the three back from the total: hidden with them.
    assert rows[reports["families"].name][received] == "<5"
    assert rows["Totalt"][received] == "13"
    entry = AuditEntry.objects.filter(action="export", object_type="followup.figure").get()
    assert entry.object_id == "concern_reports"
    assert client.get(URL, {**params, "format": "csv", "table": "nope"}).status_code == 404


def test_the_page_costs_the_same_whatever_the_number_of_reports(
    client, login, head, org, child_unit
):
    login(head)
    params = {"definition": "concern_reports", "step": "month", **YEAR}
    report(child_unit, D(2025, 2, 3))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, params).status_code == 200
    for day in range(1, 20):
        report(
            org["units"][UnitType.VIOLENCE],
            D(2025, 3, day),
            decided=D(2025, 3, 25),
            decision="no_investigation",
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, params).status_code == 200
    assert len(many) == len(few)
