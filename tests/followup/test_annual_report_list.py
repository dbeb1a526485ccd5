"""The annual reports' list costs the same statements with one kept report as with
three, and shows the newest first; a run lost with its worker may be started again."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinsight.followup.annual.models import AnnualReport
from tests.followup.test_annual_report import registered  # noqa: F401 - the fixture


def _kept(head, node, year):
    return AnnualReport.objects.create(
        municipality=head.municipality,
        year=year,
        scope_unit=node,
        requested_by=head,
        status="done",
        progress=100,
        pdf=b"%PDF",
        xlsx=b"PK",
    )


def _statements(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_list_costs_the_same_for_one_and_three_reports(client, login, head, org):
    url = reverse("followup:annual_reports")
    login(head)
    _kept(head, org["district"], 2023)
    client.get(url)  # the session's first request refreshes it
    one, _html = _statements(client, url)
    _kept(head, org["administration"], 2024)
    _kept(head, org["units"]["violence"], 2025)
    three, html = _statements(client, url)
    assert one == three
    assert html.index(">2025<") < html.index(">2024<") < html.index(">2023<")
    assert html.count("Klar") == 3
    assert "Antal under 5 visas som &lt;5." in html


def test_the_page_names_the_threshold_in_force(client, login, head, settings):
    settings.KINSIGHT_SUPPRESSION_THRESHOLD = 3
    login(head)
    html = client.get(reverse("followup:annual_reports")).content.decode()
    assert "Antal under 3 visas som &lt;3." in html


def test_a_run_lost_with_its_worker_may_be_started_again_but_not_a_fresh_one(
    client,
    login,
    head,
    org,
    registered,  # noqa: F811
):
    fresh = _kept(head, org["district"], 2024)
    lost = _kept(head, org["district"], 2025)
    AnnualReport.objects.filter(pk__in=[fresh.pk, lost.pk]).update(status="running", progress=30)
    hours_ago = timezone.now() - datetime.timedelta(hours=2)
    AnnualReport.objects.filter(pk=lost.pk).update(requested_at=hours_ago)
    login(head)
    fresh_page = client.get(reverse("followup:annual_report_status", args=[fresh.pk]))
    assert "Starta igen" not in fresh_page.content.decode()
    client.post(reverse("followup:annual_report_restart", args=[fresh.pk]))
    assert AnnualReport.objects.get(pk=fresh.pk).status == "running"
    lost_page = client.get(reverse("followup:annual_report_status", args=[lost.pk]))
    assert "inte blivit klar på över en timme" in lost_page.content.decode()
    client.post(reverse("followup:annual_report_restart", args=[lost.pk]))
    lost.refresh_from_db()
    assert (lost.status, lost.progress) == ("done", 100)
    assert lost.requested_at > hours_ago
