"""The watermark helpers of kinsight.ui.exports with names that need care: text that
XML, Excel's header codes (&) or HTML would read as markup stays text."""

import datetime
import io
import zipfile
from types import SimpleNamespace

from openpyxl import Workbook, load_workbook
from openpyxl.chart import LineChart, Reference
from pypdf import PdfReader

from kinsight.ui.exports import Watermark, stamp_pdf, stamp_xlsx, watermark

TRICKY = Watermark(by="Ann & <Bo> (=ann)", at=datetime.datetime(2026, 12, 2, 14, 5))
TEXT = "Exporterad av Ann & <Bo> (=ann) 2026-12-02 14:05"
HEADER = TEXT.replace("&", "&&")  # "&&" is one "&" in Excel's header codes


def _book_with_chart() -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [["Månad", "Antal"], ["2026-01", 3], ["2026-02", 5]]:
        sheet.append(row)
    chart = LineChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    sheet.add_chart(chart, "D2")
    book.create_sheet("Definitioner").append(["Antal", "Hur många"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_made_workbook_gets_the_mark_on_every_sheet_and_keeps_its_chart():
    stamped = stamp_xlsx(_book_with_chart(), TRICKY)
    book = load_workbook(io.BytesIO(stamped))
    for sheet in book.worksheets:
        assert sheet.oddHeader.right.text == HEADER
        assert sheet.oddFooter.right.text == HEADER
    assert any(n.startswith("xl/charts/") for n in zipfile.ZipFile(io.BytesIO(stamped)).namelist())
    assert [c.value for c in book.worksheets[0][3]] == ["2026-02", 5]  # the data as it was


def test_stamping_twice_leaves_one_mark():
    once = stamp_xlsx(_book_with_chart(), TRICKY)
    twice = stamp_xlsx(once, TRICKY)
    sheet = zipfile.ZipFile(io.BytesIO(twice)).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<headerFooter>") == 1


def test_a_made_pdf_gets_the_mark_on_every_page():
    from weasyprint import HTML

    pdf = HTML(string="<p>Ett</p><p style='break-before: page'>Två</p>").write_pdf()
    pages = PdfReader(io.BytesIO(stamp_pdf(pdf, TRICKY))).pages
    assert len(pages) == 2
    assert all(TEXT in page.extract_text() for page in pages)
    assert "Två" in pages[1].extract_text()


def test_the_mark_names_the_user_by_name_and_username_or_username_alone():
    named = SimpleNamespace(get_full_name=lambda: "Eva Ek", username="eva1")
    unnamed = SimpleNamespace(get_full_name=lambda: "", username="teknik")
    assert watermark(named).by == "Eva Ek (eva1)"
    assert watermark(unnamed).by == "teknik"
    assert watermark(named).as_json()["exported_by"] == "Eva Ek (eva1)"
