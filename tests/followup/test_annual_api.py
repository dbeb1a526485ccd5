"""The annual report through the API (/api/v1/followup/annual-reports/): asked for and
made (the immediate task backend in tests), its status, the files audited as exports,
the section texts with their versions; 404 outside the scope and without a dashboard
role, 403 for a unit manager writing texts, 400 for bad input, fixed query counts."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinsight.audit.models import AuditEntry
from kinsight.audit.registry import labels
from kinsight.followup.annual import services
from kinsight.followup.annual.models import AnnualReport, AnnualReportText
from tests.followup.test_annual_report import YEAR, registered  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registered")]
URL = "/api/v1/followup/annual-reports/"
JSON = "application/json"


def _report(head, node):
    return services.annual_report_request(actor=head, year=YEAR, scope_unit=node)


def test_a_head_asks_for_a_report_and_downloads_both_files(client, login, head, org):
    login(head)
    made = client.post(URL, {"year": YEAR, "scope_unit": org["district"].pk}, content_type=JSON)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["progress"], body["scope_name"]) == (
        "done",
        100,
        org["district"].name,
    )
    assert set(body["files"]) == {"pdf", "xlsx"}
    listed = client.get(URL).json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    pdf = client.get(body["files"]["pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "Årsrapport 2025" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    book = load_workbook(io.BytesIO(client.get(body["files"]["xlsx"]).content))
    assert "Definitioner" in book.sheetnames
    exports = AuditEntry.objects.filter(action="export", object_id=str(body["id"])).order_by("seq")
    assert [e.changes["format"] for e in exports] == ["pdf", "xlsx"]
    assert AuditEntry.objects.filter(action="create", object_type="followup.annualreport").exists()


def test_bad_input_is_400_with_what_to_fix(client, login, head, org, child_unit):
    login(head)
    node = org["administration"].pk
    bad_year = client.post(URL, {"year": 2999, "scope_unit": node}, content_type=JSON)
    assert bad_year.status_code == 400 and "year" in bad_year.json()
    unseen = client.post(URL, {"year": YEAR, "scope_unit": 999999}, content_type=JSON)
    assert unseen.json()["scope_unit"] == ["Välj en enhet som du ser nyckeltalen för."]
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("who", ["worker", "outsider", "child_manager"])
def test_it_is_404_outside_the_scope(client, login, head, org, who, request):
    report = _report(head, org["district"])
    login(request.getfixturevalue(who))
    for path in ("", "pdf/", "xlsx/", "texts/"):
        assert client.get(f"{URL}{report.pk}/{path}").status_code == 404, path
    saved = client.post(f"{URL}{report.pk}/texts/", {"texts": {}}, content_type=JSON)
    assert saved.status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_list_and_a_request_are_404_without_a_dashboard_role(client, login, worker, org):
    login(worker)
    assert client.get(URL).status_code == 404
    asked = client.post(URL, {"year": YEAR, "scope_unit": org["board"].pk}, content_type=JSON)
    assert asked.status_code == 404


def test_a_report_not_yet_made_has_no_files(client, login, head, org):
    report = AnnualReport.objects.create(
        municipality=head.municipality, year=YEAR, scope_unit=org["district"], requested_by=head
    )
    login(head)
    body = client.get(f"{URL}{report.pk}/").json()
    assert (body["status"], body["files"]) == ("queued", {})
    assert client.get(f"{URL}{report.pk}/pdf/").status_code == 404


def test_texts_are_read_and_written_with_their_versions(
    client, login, head, child_manager, child_unit
):
    report = _report(head, child_unit)
    login(head)
    texts = f"{URL}{report.pk}/texts/"
    shown = client.get(texts).json()
    assert shown == [{"key": "test_reports", "title": "Testanmälningar", "text": "", "version": 0}]
    saved = client.post(texts, {"texts": {"test_reports": "Fler anmälningar."}}, content_type=JSON)
    assert saved.status_code == 200, saved.content
    row = AnnualReportText.objects.get()
    assert saved.json()[0] == {**shown[0], "text": "Fler anmälningar.", "version": row.version}
    stale = client.post(
        texts,
        {"texts": {"test_reports": "Ny"}, "versions": {"test_reports": row.version + 3}},
        content_type=JSON,
    )
    assert stale.status_code == 409 and AnnualReportText.objects.get().text == "Fler anmälningar."
    unknown = client.post(texts, {"texts": {"nothing": "x"}}, content_type=JSON)
    assert unknown.status_code == 400 and "Okända avsnitt: nothing." in unknown.json()["texts"]
    updates = AuditEntry.objects.filter(object_type="followup.annualreporttext")
    assert list(updates.values_list("action", flat=True)) == ["create"]
    login(child_manager)
    assert client.get(texts).status_code == 200
    refused = client.post(texts, {"texts": {"test_reports": "x"}}, content_type=JSON)
    assert refused.status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_costs_the_same_for_one_report_and_many(
    client, login, head, org, count, django_assert_num_queries
):
    for _n in range(count):
        AnnualReport.objects.create(
            municipality=head.municipality, year=YEAR, scope_unit=org["district"], requested_by=head
        )
    login(head)
    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == count


def test_the_log_names_a_report_and_its_texts_without_reading_the_files(
    head, org, municipality, django_assert_num_queries
):
    report = _report(head, org["district"])
    services.annual_report_texts_save(
        actor=head, report=report, texts={"test_reports": "Text"}, versions={}
    )
    entries = list(
        AuditEntry.objects.filter(
            object_type__in=["followup.annualreport", "followup.annualreporttext"]
        ).order_by("seq")
    )
    with django_assert_num_queries(2) as run:
        named = labels(entries, municipality.pk)
    assert all('"pdf"' not in q["sql"] for q in run.captured_queries)
    district = org["district"].name
    assert set(named.values()) == {
        f"Årsrapport: {YEAR}, {district}",
        f"Årsrapportens text: {YEAR}, {district}: Testanmälningar",
    }
