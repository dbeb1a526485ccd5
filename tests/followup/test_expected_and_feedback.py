"""Issue 9 §4 in the follow-up pages: expected children counted on their own (dashboard,
CSV, API, rollup), and the two new work-queue groups ("Väntade barn att planera för",
"Återkoppling till anmälaren") at a query count that does not grow with their length."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinsight.detection.models import ChildRecord, add_months
from kinsight.followup.models import MinimumLevelMonth
from tests.followup import factories as ff
from tests.people import factories as pf

URL = "/uppfoljning/miniminiva/"
today = timezone.localdate


def expected_child(case, *, months_ahead=3, identified_on=None):
    month = add_months(today().replace(day=1), months_ahead)
    return ChildRecord.objects.create(
        municipality=case.municipality,
        case=case,
        unit=case.unit,
        parent=case.person,
        first_name="",
        birth_year=month.year,
        expected_month=month,
        identified_on=identified_on or today(),
    )


def test_the_dashboard_csv_and_api_count_expected_children_on_their_own(
    client, login, manager, open_case
):
    ff.child_record(open_case, "Född", attended_on=today())
    expected_child(open_case)
    login(manager)
    html = client.get(URL).content.decode()
    assert "Väntade barn (räknas inte i andelen): 1, varav 0 uppmärksammade." in html
    assert "100,0 %" in html or "100.0 %" in html  # the expected child is not in the share
    rows = list(
        csv.reader(io.StringIO(client.get(URL + "csv/").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][-2:] == ["Väntade barn", "Väntade barn uppmärksammade"]
    totals = [row for row in rows if row[1] == "Totalt"]
    assert totals[-1][-2:] == ["1", "0"]
    figures = client.get("/api/v1/minimum-level/").json()
    assert figures["total"]["expected"] == 1 and figures["total"]["children"] == 1


def test_the_rollup_keeps_expected_children_apart(manager, open_case):
    month_ago = today() - datetime.timedelta(days=40)
    type(open_case).objects.filter(pk=open_case.pk).update(opened_on=month_ago)
    expected_child(open_case, months_ahead=2, identified_on=month_ago)
    call_command("rollup_minimum_level", verbosity=0)
    row = MinimumLevelMonth.objects.filter(unit=open_case.unit).order_by("month").last()
    assert (row.children, row.expected, row.expected_attended) == (0, 1, 0)


def _queue_queries(client, group):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/att-gora/", {"group": group})
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("group", ["expected", "feedback"])
def test_the_new_groups_run_the_same_number_of_queries_at_1_and_12_rows(
    client, login, worker, child_worker, municipality, adult_unit, child_unit, group
):
    user = child_worker if group == "feedback" else worker

    def add(index):
        if group == "expected":
            case = pf.case(
                pf.person(municipality, f"Väntande{index}"), adult_unit, responsible=worker
            )
            expected_child(case)
        else:
            report = ff.report(child_unit, f"Anmält Barn{index}", due_in=5)
            decided = today() - datetime.timedelta(days=1)
            type(report).objects.filter(pk=report.pk).update(
                feedback_requested=True,
                pre_assessment_decision="no_investigation",
                pre_assessment_decided_on=decided,
                status="closed",
                feedback_due_on=decided + datetime.timedelta(days=7),
            )

    add(0)
    login(user)
    one, html = _queue_queries(client, group)
    assert ("Väntande0" if group == "expected" else "Anmält Barn0") in html
    for index in range(1, 12):
        add(index)
    many, html = _queue_queries(client, group)
    assert html.count("Väntande" if group == "expected" else "Anmält Barn") >= 12
    assert many == one
