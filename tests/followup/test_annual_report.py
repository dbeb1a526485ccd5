"""The annual report: asked for on its page, made by the background task (the immediate
backend in tests), its PDF and workbook read back, access, audit, texts and failures."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kinsight.audit.models import AuditEntry
from kinsight.core.models import OrgUnit, Role
from kinsight.followup import figures
from kinsight.followup.annual import services
from kinsight.followup.annual.models import AnnualReport, AnnualReportText
from kinsight.followup.annual.sections import ORDER, definitions
from kinsight.followup.figures import Definition
from kinsight.followup.tables import Column, Row, Table
from tests import factories
from tests.watermark import assert_pdf_marked, assert_workbook_marked

YEAR = 2025
CALLS: list[tuple[str, str, int]] = []


def _table(key: str, title: str, row_label: str, rows: list[tuple[str, str, int, int]]) -> Table:
    columns = [
        Column("reports", "Anmälningar", parts=("early", "late")),
        Column("early", "Inom 14 dagar"),
        Column("late", "Senare"),
        Column("share", "Andel inom 14 dagar", kind="share", depends=("early", "reports")),
    ]
    lines = [
        Row(k, label, {"reports": e + la, "early": e, "late": la, "share": e / (e + la)})
        for k, label, e, la in rows
    ]
    early, late = sum(r[2] for r in rows), sum(r[3] for r in rows)
    total = Row(
        "total",
        "Totalt",
        {"reports": early + late, "early": early, "late": late, "share": early / (early + late)},
    )
    return Table(key, title, row_label, columns, lines, total, definition="Test")


def _compute(scope, period, by):
    CALLS.append((by, period.step, len(scope.units)))
    if by == "period":
        rows = [
            (label, label, 2 if n == 0 else 10 + n, 6)
            for n, (_s, _e, label) in enumerate(period.buckets())
        ]
        return [_table("trend", "Anmälningar per månad", "Månad", rows)]
    rows = [(str(u.pk), u.name, 20, 9) for u in scope.units]
    rows.append(("other", "=1+1 övriga", 30, 11))
    return [_table("units", "Anmälningar per enhet", "Enhet", rows)]


TEST_DEFINITION = Definition(
    key="test_reports",
    title="Testanmälningar",
    text="Anmälningar som bedömts inom 14 dagar, av alla anmälningar.",
    legal="11 kap. 1 a § SoL",
    breakdowns=("period", "unit"),
    compute=_compute,
)


@pytest.fixture
def registered():
    saved = dict(figures.REGISTRY)
    figures.REGISTRY.clear()
    figures.register(TEST_DEFINITION)
    CALLS.clear()
    yield TEST_DEFINITION
    figures.REGISTRY.clear()
    figures.REGISTRY.update(saved)


def _ask(client, login, user, node, year=YEAR):
    login(user)
    url = reverse("followup:annual_reports")
    return client.post(url, {"year": year, "scope_unit": node.pk})


def _report(head, node):
    return services.annual_report_request(actor=head, year=YEAR, scope_unit=node)


def test_it_makes_the_report_in_the_background_and_shows_the_downloads(
    client, login, head, org, registered
):
    response = _ask(client, login, head, org["administration"])
    report = AnnualReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:annual_report", args=[report.pk])
    assert (report.status, report.progress, report.message) == ("done", 100, "")
    assert ("period", "month", 8) in CALLS and ("unit", "year", 8) in CALLS
    page = client.get(response["Location"]).content.decode()
    assert "Ladda ner PDF" in page and "Ladda ner Excel" in page
    assert 'hx-trigger="every 2s"' not in page


def test_the_pdf_has_the_title_contents_sections_tables_and_appendix(
    client, login, head, org, registered
):
    AnnualReportText.objects.create(
        municipality=head.municipality,
        year=YEAR,
        scope_unit=org["administration"],
        section="test_reports",
        text="Året präglades av fler anmälningar.",
        updated_by=head,
    )
    report = _report(head, org["administration"])
    login(head)
    response = client.get(reverse("followup:annual_report_file", args=[report.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Årsrapport 2025" in reader.pages[0].extract_text()
    assert "Testkommun" in reader.pages[0].extract_text()
    assert "Socialförvaltningen" in reader.pages[0].extract_text()
    assert "Innehåll" in reader.pages[1].extract_text()
    assert_pdf_marked(response.content, head)
    assert "Testanmälningar" in reader.pages[1].extract_text()
    for expected in (
        "Året präglades av fler anmälningar.",
        "Anmälningar per månad",
        "2025-01",
        "<5",
        "Anmälningar per enhet",
        "Bilaga: definitioner och lagrum",
        "Anmälningar som bedömts inom 14 dagar",
        "11 kap. 1 a § SoL",
    ):
        assert expected in text, expected


def test_the_workbook_has_a_sheet_per_table_charts_frozen_headers_and_safe_text(
    client, login, head, org, registered
):
    report = _report(head, org["administration"])
    login(head)
    response = client.get(reverse("followup:annual_report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Årsrapport",
        "1 Anmälningar per månad",
        "2 Anmälningar per enhet",
        "Definitioner",
    ]
    trend, units = book["1 Anmälningar per månad"], book["2 Anmälningar per enhet"]
    assert len(trend._charts) == 1 and units._charts == []  # the watermark keeps the charts
    assert_workbook_marked(response.content, head)
    assert trend.freeze_panes == units.freeze_panes == "B2"
    assert [c.value for c in trend[1]] == [
        "Månad",
        "Anmälningar",
        "Inom 14 dagar",
        "Senare",
        "Andel inom 14 dagar",
    ]
    january = [c.value for c in trend[2]]
    assert january[0] == "2025-01" and january[2] == "<5"  # 2 early reports in January
    assert trend["B3"].value == 17 and trend["B3"].number_format == "#,##0"
    shares = [row[4] for row in trend.iter_rows(min_row=2)]
    assert shares[0].value == "–"  # hidden with the count it is computed from
    assert {c.number_format for c in shares if isinstance(c.value, float)} == {"0%"}
    labels = [row[0].value for row in units.iter_rows(min_row=2)]
    assert "'=1+1 övriga" in labels and units["A2"].data_type == "s"
    definitions_sheet = [[c.value for c in row] for row in book["Definitioner"].iter_rows()]
    assert ["Testanmälningar", TEST_DEFINITION.text, "11 kap. 1 a § SoL"] in definitions_sheet


def test_the_sections_follow_the_fixed_order_and_unknown_keys_come_last(registered):
    for key in ("zeta", ORDER[1], "alpha", ORDER[0]):
        figures.register(Definition(key, key, "", "", ("unit",), _compute))
    assert [d.key for d in definitions()] == [ORDER[0], ORDER[1], "alpha", "test_reports", "zeta"]


def test_the_order_names_every_registered_definition_and_only_those():
    # The report's order and the figure registry agree on the keys: a key in the order
    # that no definition registers (a table's key, an old name) orders nothing.
    assert sorted(ORDER) == sorted(figures.REGISTRY)


def test_the_run_costs_the_same_whatever_the_number_of_units(head, org, registered, municipality):
    def run(node):
        report = AnnualReport.objects.create(
            municipality=municipality, year=YEAR, scope_unit=node, requested_by=head
        )
        with CaptureQueriesContext(connection) as queries:
            services.annual_report_generate(report.pk)
        return len(queries)

    one = run(org["units"]["violence"])
    for n in range(5):
        OrgUnit.objects.create(
            municipality=municipality,
            parent=org["district"],
            kind="unit",
            unit_type="violence",
            name=f"Extra {n}",
        )
    assert run(org["administration"]) == one
    # the report, running, the tree, the role scopes, the units, the texts, a progress
    # per section (one here), 90 %, done
    assert one == 9


def test_a_failed_run_says_why_and_can_be_started_again(client, login, head, org, registered):
    def broken(scope, period, by):
        raise RuntimeError("boom")

    figures.register(Definition("broken", "Trasig", "", "", ("unit",), broken))
    _ask(client, login, head, org["district"])
    report = AnnualReport.objects.get()
    assert report.status == "failed" and report.pdf is None
    page = client.get(reverse("followup:annual_report", args=[report.pk])).content.decode()
    assert "Rapporten kunde inte skapas" in page and "Starta igen" in page
    del figures.REGISTRY["broken"]
    response = client.post(reverse("followup:annual_report_restart", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "done" and report.message == ""


def test_a_requester_who_lost_the_scope_gets_a_clear_message(head, org, registered):
    report = AnnualReport.objects.create(
        municipality=head.municipality, year=YEAR, scope_unit=org["board"], requested_by=head
    )
    services.annual_report_generate(report.pk)
    report.refresh_from_db()
    assert report.status == "failed"
    assert "ser inte längre nyckeltalen för Socialnämnden" in report.message


def test_the_status_fragment_polls_while_the_report_runs(client, login, head, org):
    report = AnnualReport.objects.create(
        municipality=head.municipality,
        year=YEAR,
        scope_unit=org["district"],
        requested_by=head,
        status="running",
        progress=40,
    )
    login(head)
    fragment = client.get(reverse("followup:annual_report_status", args=[report.pk]))
    html = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in html and "40 % klart" in html
    AnnualReport.objects.filter(pk=report.pk).update(status="done", progress=100)
    html = client.get(reverse("followup:annual_report_status", args=[report.pk])).content.decode()
    assert "hx-trigger" not in html and "Ladda ner PDF" in html


def test_downloads_and_requests_are_audited(client, login, head, org, registered):
    _ask(client, login, head, org["district"])
    report = AnnualReport.objects.get()
    created = AuditEntry.objects.get(action="create", object_type="followup.annualreport")
    assert created.changes["year"] == [None, YEAR]
    for fmt in ("pdf", "xlsx"):
        client.get(reverse("followup:annual_report_file", args=[report.pk, fmt]))
    exports = AuditEntry.objects.filter(action="export", object_id=str(report.pk)).order_by("seq")
    assert [e.changes["format"] for e in exports] == ["pdf", "xlsx"]
    assert all(e.actor_id == head.pk for e in exports)


@pytest.mark.parametrize("who", ["worker", "outsider", "child_manager"])
def test_it_is_404_outside_the_scope(client, login, head, org, registered, who, request):
    report = _report(head, org["district"])
    login(request.getfixturevalue(who))
    urls = [
        reverse("followup:annual_report", args=[report.pk]),
        reverse("followup:annual_report_status", args=[report.pk]),
        reverse("followup:annual_report_file", args=[report.pk, "pdf"]),
        reverse("followup:annual_report_file", args=[report.pk, "xlsx"]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 4
    assert client.post(reverse("followup:annual_report_texts", args=[report.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_list_is_404_without_a_dashboard_role(client, login, worker):
    login(worker)
    assert client.get(reverse("followup:annual_reports")).status_code == 404


def test_a_unit_manager_sees_the_reports_of_their_unit_and_may_not_write_texts(
    client, login, head, child_manager, child_unit, org, registered
):
    mine = _report(head, child_unit)
    _report(head, org["district"])
    login(child_manager)
    page = client.get(reverse("followup:annual_reports")).content.decode()
    assert reverse("followup:annual_report", args=[mine.pk]) in page
    assert len(re.findall(r'href="/uppfoljning/arsrapport/\d+/"', page)) == 1
    scopes = client.get(reverse("followup:annual_reports")).context["form"].fields["scope_unit"]
    assert [pk for pk, _label in scopes.choices] == [child_unit.pk]
    texts = reverse("followup:annual_report_texts", args=[mine.pk])
    assert client.post(texts, {"text_test_reports": "x"}).status_code == 403
    assert (
        client.get(reverse("followup:annual_report_file", args=[mine.pk, "pdf"])).status_code == 200
    )


def test_bad_input_gets_a_clear_message(client, login, head, org):
    login(head)
    url = reverse("followup:annual_reports")
    response = client.post(url, {"year": "tjugo", "scope_unit": org["district"].pk})
    assert response.status_code == 400
    assert "Skriv året med fyra siffror" in response.content.decode()
    response = client.post(url, {"year": 2999, "scope_unit": org["board"].pk})
    assert response.status_code == 400
    assert not AnnualReport.objects.exists()


def test_texts_are_kept_per_year_and_a_stale_save_keeps_the_input(
    client, login, head, org, registered
):
    report = _report(head, org["district"])
    login(head)
    url = reverse("followup:annual_report_texts", args=[report.pk])
    first = {"text_test_reports": "Första texten.", "version_test_reports": 0}
    assert client.post(url, first).status_code == 302
    row = AnnualReportText.objects.get()
    assert (row.text, row.version, row.year, row.scope_unit_id) == (
        "Första texten.",
        1,
        YEAR,
        org["district"].pk,
    )
    second = {"text_test_reports": "Min ändring.", "version_test_reports": 1}
    assert client.post(url, second).status_code == 302
    stale = {"text_test_reports": "En gammal sida.", "version_test_reports": 1}
    response = client.post(url, stale)
    assert response.status_code == 400
    html = response.content.decode()
    assert "En gammal sida." in html and "Någon annan har sparat" in html
    assert AnnualReportText.objects.get().text == "Min ändring."
    page = client.get(reverse("followup:annual_report", args=[report.pk])).content.decode()
    assert "Min ändring." in page
    assert AuditEntry.objects.filter(object_type="followup.annualreporttext").count() == 2


def test_a_new_text_made_meanwhile_by_someone_else_is_not_overwritten(
    client, login, head, org, registered
):
    report = _report(head, org["district"])
    AnnualReportText.objects.create(
        municipality=head.municipality,
        year=YEAR,
        scope_unit=org["district"],
        section="test_reports",
        text="Någon annans.",
        updated_by=head,
    )
    login(head)
    url = reverse("followup:annual_report_texts", args=[report.pk])
    response = client.post(url, {"text_test_reports": "Min.", "version_test_reports": 0})
    assert response.status_code == 400
    assert AnnualReportText.objects.get().text == "Någon annans."


def test_a_head_of_another_municipality_cannot_ask_for_a_report_here(
    client, login, other_municipality, other_org, org, registered
):
    other = factories.staff(
        other_municipality,
        role=Role.HEAD_OF_SERVICES,
        unit=other_org["administration"],
        username="otherhead",
    )
    response = _ask(client, login, other, org["district"])
    assert response.status_code == 400
    assert not AnnualReport.objects.exists()


def test_the_bench_stage_makes_the_widest_report_and_counts_its_statements(
    head, org, municipality, registered
):
    from kinsight.demo.bench.annual import annual_report_figures

    row = annual_report_figures(municipality, username=head.username)
    assert row["scope"] == "Socialförvaltningen" and row["sections"] == 1
    assert row["status"] == "done" and row["statements"] == 9
    assert row["pdf_kb"] > 0 and row["xlsx_kb"] > 0


def test_every_published_cell_is_in_the_workbook_as_it_leaves_the_unit(head, org, registered):
    from kinsight.followup.annual.sections import scope_of, section

    report = _report(head, org["district"])
    book = load_workbook(io.BytesIO(bytes(AnnualReport.objects.get(pk=report.pk).xlsx)))
    found = section(TEST_DEFINITION, scope_of(head, org["district"]), YEAR)
    for number, table in enumerate(found.tables, start=1):
        sheet = book[f"{number} {table.title}"]
        for line, row in zip(sheet.iter_rows(min_row=2), table.all_rows(), strict=True):
            for cell, column in zip(line[1:], table.columns, strict=True):
                value = row.values[column.key]
                assert cell.value == (table.text(row, column) if value is None else value)
