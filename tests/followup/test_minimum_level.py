import csv
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.core.models import UnitType
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.followup.models import MinimumLevelMonth
from tests.followup import factories as ff
from tests.people import factories as pf
from tests.watermark import assert_csv_marked

URL = "/uppfoljning/miniminiva/"
API = "/api/v1/minimum-level/"
today = timezone.localdate


def months_ago(n, day=15):
    return add_months(month_start(today()), -n).replace(day=day)


@pytest.fixture
def figures(municipality, worker, open_case, adult_unit, org):
    """In the addiction unit: Anna (case open for a year) with three children, one
    attended two months ago and one attended this month; Bo, answer unknown; Cecilia,
    no answer. In the violence unit: one child, not attended."""
    open_case.opened_on = months_ago(12)
    open_case.save()
    ff.question(open_case, "yes", by=worker, on=months_ago(12))
    ff.child_record(open_case, "Alfa", identified_on=months_ago(6), attended_on=months_ago(2))
    ff.child_record(open_case, "Beta", identified_on=months_ago(6), attended_on=today())
    ff.child_record(open_case, "Gamma", identified_on=months_ago(6))
    bo = pf.case(pf.person(municipality, "Bo", "Okänd"), adult_unit, opened_on=months_ago(3))
    ff.question(bo, "unknown", by=worker, on=months_ago(3))
    pf.case(pf.person(municipality, "Cecilia", "Obesvarad"), adult_unit, opened_on=months_ago(1))
    violence = org["units"][UnitType.VIOLENCE]
    other = pf.case(pf.person(municipality, "Dan", "Våld"), violence, opened_on=months_ago(5))
    ff.question(other, "yes", by=worker, on=months_ago(5))
    ff.child_record(other, "Delta", identified_on=months_ago(4))
    return {"violence": violence}


def api(client, **params):
    return client.get(API, params)


def by_month(data):
    return {row["month"]: row for row in data["months"]}


def test_it_computes_the_running_month_live(client, login, manager, figures):
    login(manager)
    data = api(client).json()
    now = by_month(data)[f"{today():%Y-%m}"]
    assert now["live"] is True
    assert (now["children"], now["attended"], now["share"]) == (3, 2, 66.7)
    assert (now["unknown_parents"], now["unanswered_parents"]) == (1, 1)
    assert [u["name"] for u in data["units"]] == ["Vuxna (missbruk och beroende) Norr"]


def test_it_reads_past_months_from_the_rollup_and_counts_as_of_the_months_end(
    client, login, manager, figures
):
    call_command("rollup_minimum_level", verbosity=0)
    login(manager)
    months = by_month(api(client).json())
    three_ago = months[f"{months_ago(3):%Y-%m}"]
    assert three_ago["live"] is False
    assert (three_ago["children"], three_ago["attended"]) == (3, 0)
    assert (three_ago["unknown_parents"], three_ago["unanswered_parents"]) == (1, 0)
    two_ago = months[f"{months_ago(2):%Y-%m}"]
    assert (two_ago["children"], two_ago["attended"]) == (3, 1)
    last = months[f"{months_ago(1):%Y-%m}"]
    assert last["unanswered_parents"] == 1  # Cecilia's case opened last month
    seven_ago = months[f"{months_ago(7):%Y-%m}"]
    assert seven_ago["children"] == 0  # not yet identified


def test_the_rollup_is_idempotent_and_can_start_from_a_month(figures, municipality):
    call_command("rollup_minimum_level", verbosity=0)
    first = list(MinimumLevelMonth.objects.order_by("month", "unit").values())
    call_command("rollup_minimum_level", verbosity=0)
    call_command("rollup_minimum_level", "--from", f"{months_ago(2):%Y-%m}", verbosity=0)
    again = list(MinimumLevelMonth.objects.order_by("month", "unit").values())
    strip = [{k: v for k, v in row.items() if k not in ("id", "computed_at")} for row in first]
    assert strip == [
        {k: v for k, v in row.items() if k not in ("id", "computed_at")} for row in again
    ]
    assert not MinimumLevelMonth.objects.filter(month__gte=month_start(today())).exists()
    assert AuditEntry.objects.filter(object_type="followup.minimumlevelmonth").count() == 3


def test_the_head_of_services_sees_every_unit_and_the_unit_types(client, login, head, figures):
    login(head)
    data = api(client).json()
    assert data["total"]["children"] == 4
    assert {u["unit_type"] for u in data["units"]} >= {"adults_addiction", "violence"}
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Våld Norr" in html and "Våld" in html and "<svg" in html and "<table" in html
    assert "style=" not in html
    # Figures only: a head of services does not see the children behind them.
    assert "/ej-uppmarksammade/" not in html
    assert client.get(URL + "ej-uppmarksammade/").status_code == 404


def test_it_filters_by_unit_type_and_unit(client, login, head, figures, adult_unit):
    login(head)
    data = api(client, unit_type="violence").json()
    assert data["total"]["children"] == 1
    data = api(client, unit=adult_unit.pk).json()
    assert data["total"]["children"] == 3


@pytest.mark.parametrize("user", ["worker", "colleague", "outsider", "administrator"])
def test_it_answers_404_to_those_without_the_dashboard(client, login, request, figures, user):
    login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "csv/").status_code == 404
    assert api(client).status_code == 404


def test_a_unit_manager_sees_only_their_units_figures(client, login, manager, figures):
    login(manager)
    data = api(client, unit_type="violence").json()
    assert data["total"]["children"] == 0 and data["units"] == []
    response = api(client, unit=figures["violence"].pk)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13"},
        {"to": "not-a-month"},
        {"unit_type": "nonsense"},
        {"unit": "abc"},
        {"from": "2020-01", "to": "2025-01"},
        {"to": "2999-01"},
        {"from": "2025-06", "to": "2025-01"},
    ],
)
def test_it_answers_bad_filters_with_messages(client, login, head, params):
    login(head)
    page = client.get(URL, params)
    assert page.status_code == 400
    assert "errorlist" in page.content.decode()
    response = api(client, **params)
    assert response.status_code == 400


def test_it_drills_down_to_the_children_not_attended_that_the_manager_may_see(
    client, login, manager, figures
):
    login(manager)
    html = client.get(URL).content.decode()
    assert "/uppfoljning/miniminiva/ej-uppmarksammade/" in html
    response = client.get(URL + "ej-uppmarksammade/")
    html = response.content.decode()
    assert "Gamma" in html and "Alfa" not in html and "Delta" not in html
    entry = AuditEntry.objects.get(action="read", object_type="detection.childrecord")
    assert len(entry.changes["ids"]) == 1


def test_the_csv_is_safe_against_formula_injection(client, login, head, figures, municipality):
    unit = figures["violence"]
    unit.name = '=HYPERLINK("http://evil")'
    unit.save()
    login(head)
    response = client.get(URL + "csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = [row[2] for row in rows]
    assert '\'=HYPERLINK("http://evil")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert AuditEntry.objects.filter(action="export").count() == 1
    assert_csv_marked(response.content, head)


@pytest.mark.parametrize("rows", [1, 15])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, login, head, municipality, org, worker, django_assert_max_num_queries, rows
):
    for index in range(rows):
        unit = list(org["units"].values())[index % 8]
        case = pf.case(pf.person(municipality, f"Klient{index}"), unit, opened_on=months_ago(6))
        ff.child_record(case, f"Barn{index}", identified_on=months_ago(5))
    call_command("rollup_minimum_level", verbosity=0)
    login(head)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(7):
        assert api(client).status_code == 200


def test_last_month_is_computed_live_until_the_rollup_has_run(client, login, manager, figures):
    login(manager)
    months = by_month(api(client).json())
    assert months[f"{months_ago(1):%Y-%m}"]["live"] is True
    assert months[f"{months_ago(2):%Y-%m}"]["children"] == 0  # not rolled up yet


def test_the_api_is_in_the_openapi_schema(client, login, head):
    login(head)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/minimum-level/" in schema


def test_the_dashboard_shows_figures_with_a_data_table_and_no_inline_styles(
    client, login, manager, figures
):
    login(manager)
    html = client.get(URL).content.decode()
    assert "66,7" in html or "66.7" in html
    assert "<caption>Per månad</caption>" in html
    assert 'role="img"' in html and "style=" not in html


def test_the_frequent_rollup_keeps_the_running_month_and_the_page_reads_it(
    client, login, manager, figures, settings, adult_unit
):
    call_command("rollup_minimum_level", verbosity=0)
    call_command("rollup_minimum_level", "--running", verbosity=0)
    kept = MinimumLevelMonth.objects.filter(month=month_start(today()))
    assert {(row.children, row.attended) for row in kept} >= {(3, 2)}
    entry = AuditEntry.objects.filter(object_type="followup.minimumlevelmonth").last()
    this = f"{today():%Y-%m}"
    assert entry.changes["rollup"] == {"from": this, "to": this, "rows": kept.count()}
    # A change after the run shows at the next run, not before: the page reads the kept
    # figures (and says when they were computed) instead of counting live.
    ff.child_record(pf.case(pf.person(manager.municipality, "Ny"), adult_unit), "Nytt")
    login(manager)
    data = api(client).json()
    assert by_month(data)[this]["live"] is False
    assert by_month(data)[this]["children"] == 3
    assert "beräknat " in client.get(URL).content.decode()
    settings.KINSIGHT_RUNNING_MONTH_MINUTES = 0
    data = api(client).json()
    assert by_month(data)[this]["live"] is True, "too old: computed live again"
    assert by_month(data)[this]["children"] == 4


def test_the_running_rollup_writes_every_month_on_its_first_run(municipality, figures):
    call_command("rollup_minimum_level", "--running", verbosity=0)
    months = set(MinimumLevelMonth.objects.values_list("month", flat=True))
    assert {month_start(today()), add_months(month_start(today()), -5)} <= months
