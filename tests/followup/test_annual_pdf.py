"""The annual report's PDF with a wide table (the 7 columns of "Året per enhet"): the
table gets landscape pages, and every heading, the last one too, is in the PDF."""

import io

from pypdf import PdfReader

from kinsight.followup.annual.pdf import WIDE_COLUMNS, render
from kinsight.followup.annual.sections import Section
from kinsight.followup.tables import Column, Row, Table

HEADINGS = [
    "Identifierade barn",
    "Uppmärksammade",
    "Andel uppmärksammade",
    "Bedömda",
    "Erbjudna stöd",
    "Andel erbjudna stöd (sista kolumnen)",
]


def _section(columns: int) -> Section:
    keys = [f"c{n}" for n in range(columns)]
    table = Table(
        key="wide",
        title="Barn som anhöriga per enhet",
        row_label="Enhet",
        columns=[Column(key, label) for key, label in zip(keys, HEADINGS, strict=False)],
        rows=[
            Row(str(n), f"Vuxna (missbruk och beroende) enhet {n}", dict.fromkeys(keys, 10 + n))
            for n in range(3)
        ],
        total=None,
        definition="Test",
    )
    return Section(
        key="wide",
        title="Barn som anhöriga",
        definition="Test",
        legal="",
        text="",
        trend=[],
        by_unit=[table],
    )


def _pages(columns: int) -> list:
    pdf = render(
        municipality="Testkommun",
        scope="Socialförvaltningen",
        year=2025,
        sections=[_section(columns)],
    )
    return list(PdfReader(io.BytesIO(pdf)).pages)


def _landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def test_a_wide_table_is_printed_on_a_landscape_page_with_its_last_column():
    assert len(HEADINGS) > WIDE_COLUMNS
    pages = _pages(len(HEADINGS))
    [wide] = [page for page in pages if "Barn som anhöriga per enhet" in page.extract_text()]
    assert _landscape(wide)
    text = " ".join(wide.extract_text().split())
    assert "Andel erbjudna stöd (sista kolumnen)" in text
    assert "Vuxna (missbruk och beroende) enhet 2" in text
    assert not _landscape(pages[0])  # the title page stays portrait


def test_a_narrow_table_stays_on_portrait_pages():
    pages = _pages(WIDE_COLUMNS)
    assert not any(_landscape(page) for page in pages)
    assert any("Erbjudna stöd" in page.extract_text() for page in pages)
