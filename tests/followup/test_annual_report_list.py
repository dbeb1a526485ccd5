"""The annual reports' list costs the same statements with one kept report as with
three, and shows the newest first."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinsight.followup.annual.models import AnnualReport


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
