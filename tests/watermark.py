"""Reading an export's watermark back ("Exporterad av <namn> (<användarnamn>) <tid>"):
PDF pages with pypdf, workbooks with openpyxl, CSV as text."""

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

STAMP = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"


def mark_of(user) -> re.Pattern[str]:
    return re.compile(
        rf"Exporterad av {re.escape(user.get_full_name())} \({user.username}\) {STAMP}"
    )


def assert_pdf_marked(content: bytes, user) -> None:
    """Every page carries the mark."""
    pages = PdfReader(io.BytesIO(content)).pages
    assert pages
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert mark_of(user).search(text), text[:200]


def assert_workbook_marked(content: bytes, user) -> None:
    """Every sheet's printed header and footer, and the first sheet's last line."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        assert mark_of(user).fullmatch(sheet.oddHeader.right.text or ""), sheet.title
        assert mark_of(user).fullmatch(sheet.oddFooter.right.text or ""), sheet.title


def assert_first_sheet_line(content: bytes, user) -> None:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    last = [row for row in sheet.iter_rows(values_only=True) if any(row)][-1]
    assert mark_of(user).fullmatch(last[0])


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def assert_csv_marked(content: bytes, user) -> None:
    """The last line is the mark, as wide as the header."""
    rows = csv_rows(content)
    assert mark_of(user).fullmatch(rows[-1][0]) and len(rows[-1]) == len(rows[0])
    assert not any(mark_of(user).search(cell) for row in rows[:-1] for cell in row)
