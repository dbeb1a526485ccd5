"""The October survey's page, CSV, drill-down and API: who may see them, what they
show, the suppression of what leaves the unit, and the audit rows."""

import csv
import io

import pytest
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.followup.october import last_october
from tests.audit.helpers import write_statements
from tests.followup import october_world
from tests.followup.october_world import CENSUS, EARLIER
from tests.people import factories as pf
from tests.watermark import assert_csv_marked

URL = "/uppfoljning/oktoberkartlaggning/"
CASES = URL + "arenden/"
API = "/api/v1/followup/october/"
ROUNDS = {"census": CENSUS.isoformat(), "compare": EARLIER.isoformat()}


@pytest.fixture
def world(municipality, org, worker):
    return october_world.build(municipality, org, worker)


def exports(actor):
    return AuditEntry.objects.filter(actor=actor, action="export", object_type="followup.october")


def test_the_head_of_services_sees_the_survey_and_the_comparison(client, login, head, world):
    login(head)
    response = client.get(URL, ROUNDS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Barnfrågan per enhet" in html and "Beroende Söder" in html
    assert "<svg" in html and "Förändring (procentenheter)" in html
    assert "style=" not in html
    # Figures only: a head of services does not see the cases behind them.
    assert CASES not in html
    assert client.get(CASES, {**ROUNDS, "answer": "unknown"}).status_code == 404


def test_it_defaults_to_the_last_31_october_and_two_years_before(client, login, head, world):
    login(head)
    html = client.get(URL).content.decode()
    census = last_october(timezone.localdate())
    assert f'name="census" value="{census.isoformat()}"' in html
    compare = census.replace(year=census.year - 2).isoformat()
    assert f'name="compare" value="{compare}"' in html
    assert 'value="adults_addiction" id="id_unit_types_2" checked' in html


def test_the_unit_manager_drills_down_to_the_cases_to_fix(client, login, manager, world):
    login(manager)
    html = client.get(URL, ROUNDS).content.decode()
    assert "Beroende Söder" not in html  # not their unit
    assert f"{CASES}?" in html
    response = client.get(CASES, {**ROUNDS, "answer": "not_asked"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cecilia Testsson" in html and "Eva Testsson" in html and "Bo Testsson" not in html
    assert "/barnfragan/" in html
    entry = AuditEntry.objects.filter(actor=manager, object_type="cases.case").latest("pk")
    assert sorted(entry.changes["ids"]) == sorted(str(c.pk) for c in world["not_asked_cases"])
    html = client.get(CASES, {**ROUNDS, "answer": "unknown"}).content.decode()
    assert "Bo Testsson" in html and "Cecilia" not in html


@pytest.mark.parametrize("count", [1, 8])
def test_the_drill_down_costs_the_same_whatever_its_length(
    client, login, manager, world, worker, django_assert_num_queries, count
):
    for n in range(count):
        person = pf.person(manager.municipality, f"Ny{n}", "Testsson")
        pf.case(person, world["a"], responsible=worker, opened_on=EARLIER)
    login(manager)
    client.get(CASES, {**ROUNDS, "answer": "not_asked"})  # warm the session
    # The page's reads, and the audit row of the cases shown.
    with django_assert_num_queries(6 + write_statements()):
        response = client.get(CASES, {**ROUNDS, "answer": "not_asked"})
    assert response.content.decode().count("/barnfragan/") == count + 2
    client.get(URL, ROUNDS)
    with django_assert_num_queries(9):
        assert client.get(URL, ROUNDS).status_code == 200


@pytest.mark.parametrize(
    "user", ["worker", "colleague", "outsider", "administrator", "child_worker"]
)
def test_it_answers_404_to_those_without_the_dashboard(client, login, request, world, user):
    login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "csv/", {"table": "october_unit"}).status_code == 404
    assert client.get(CASES, {"answer": "unknown"}).status_code == 404
    assert client.get(API).status_code == 404


def test_bad_input_gets_a_clear_swedish_message(client, login, head, world):
    login(head)
    response = client.get(URL, {"census": "31/10/2026"})
    assert response.status_code == 400
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in response.content.decode()
    response = client.get(URL, {"census": "2099-10-31"})
    assert "inte ligger i framtiden" in response.content.decode()
    response = client.get(URL, {"census": "2026-10-31", "compare": "2026-10-31"})
    assert "Välj ett annat datum" in response.content.decode()
    data = client.get(API, {"unit_types": "no_such_type"}).json()
    assert "unit_types" in data
    assert client.get(URL + "csv/", {"table": "no_such_table"}).status_code == 404


def test_the_csv_is_published_safe_and_audited(client, login, head, world):
    world["a"].name = "=HYPERLINK(1)"
    world["a"].save()
    login(head)
    response = client.get(URL + "csv/", {**ROUNDS, "table": "october_unit"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Enhet", "Vuxna 20+", "Ja"]
    by_label = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(1)" in by_label
    assert by_label["Beroende Söder"][1] == "<5"  # 2 adults: suppressed when it leaves
    assert exports(head).count() == 1
    assert exports(head).get().changes["tables"] == ["october_unit"]
    assert_csv_marked(response.content, head)


def test_the_api_returns_published_tables_and_audits_the_export(client, login, head, world):
    login(head)
    data = client.get(API, {**ROUNDS, "unit_types": "adults_addiction"}).json()
    assert data["census"] == "2026-10-31" and data["compare"] == "2024-10-31"
    tables = {table["key"]: table for table in data["tables"]}
    assert set(tables) == {"october_unit", "october_sex", "october_age", "october_living"}
    assert tables["october_unit"]["total"]["adults"] == 6
    assert tables["october_unit"]["total"]["unknown"] == "<5"
    assert data["comparison"]["suppression_threshold"] == 5
    assert exports(head).count() == 1
    assert data["exported_by"] == "Test Person (ifochef1)" and data["exported_at"]


def test_a_unit_manager_gets_their_unit_in_the_api(client, login, manager, world):
    login(manager)
    data = client.get(API, ROUNDS).json()
    unit_table = next(t for t in data["tables"] if t["key"] == "october_unit")
    assert [row["label"] for row in unit_table["rows"]] == [world["a"].name]
    assert unit_table["total"]["adults"] == 5


def test_a_unit_outside_the_managers_units_is_refused(client, login, manager, world):
    login(manager)
    response = client.get(URL, {**ROUNDS, "unit": world["b"].pk})
    assert response.status_code == 400
    assert "Beroende Söder" not in response.content.decode()
    assert client.get(API, {"unit": world["b"].pk}).status_code == 400
    assert not exports(manager).exists()


@pytest.mark.parametrize("limit", [5, 3])
def test_the_pages_name_the_suppression_threshold_of_the_setting(
    client, login, head, world, settings, limit
):
    settings.KINSIGHT_SUPPRESSION_THRESHOLD = limit
    login(head)
    for url in (URL, "/uppfoljning/nyckeltal/"):
        html = client.get(url, ROUNDS if url == URL else {}).content.decode()
        assert f"visas antal under {limit} som &lt;{limit}." in html


def test_the_page_costs_the_same_whatever_the_number_of_persons(
    client, login, head, world, municipality, worker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinsight.followup.october_rounds import recount_rounds

    login(head)
    client.get(URL, ROUNDS)  # the first visit counts the rounds and keeps them

    def statements():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, ROUNDS).status_code == 200
        return len(captured.captured_queries)

    few = statements()
    for n in range(12):
        person = pf.person(municipality, f"Fler{n}", "Testsson", sex="male")
        pf.case(person, world["a"], responsible=worker, opened_on=EARLIER)
    recount_rounds(municipality=municipality)
    assert statements() == few
    from kinsight.followup.figures import Scope
    from kinsight.followup.october_tables import october_survey

    [by_unit, *_rest] = october_survey(scope=Scope.for_actor(head), census=CENSUS)
    assert by_unit.total.values["adults"] == 6 + 12  # the page read the recounted round
