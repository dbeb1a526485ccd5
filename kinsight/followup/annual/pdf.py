"""The annual report as a PDF a board can read (WeasyPrint): a title page, the contents
with page numbers, per section the head of services' text, a chart and the data tables
(hidden counts as "<5"), and an appendix with every definition and its legal reference.
The print stylesheet is a static file (no inline styles). A table of more than
``WIDE_COLUMNS`` columns (beside its row heading) is printed on landscape pages, so that
its last columns are not cut off."""

from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from kinsight.followup.annual.sections import Section
from kinsight.followup.charts import table_bars
from kinsight.followup.suppression import threshold
from kinsight.followup.tables import Table

WIDE_COLUMNS = 5
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "followup" / "annual_print.css"


@dataclass
class Shown:
    """A table as the template prints it: every cell already text."""

    title: str
    head: list[str]
    rows: list[list[str]]
    total: list[str] | None
    chart: dict | None
    wide: bool = False


def shown(table: Table, *, chart: bool) -> Shown:
    def line(row) -> list[str]:
        return [row.label, *(table.text(row, column) for column in table.columns)]

    return Shown(
        table.title,
        [table.row_label, *(column.label for column in table.columns)],
        [line(row) for row in table.rows],
        line(table.total) if table.total is not None else None,
        table_bars(table) if chart else None,
        wide=len(table.columns) > WIDE_COLUMNS,
    )


def render(*, municipality: str, scope: str, year: int, sections: list[Section]) -> bytes:
    from weasyprint import CSS, HTML

    context = {
        "municipality": municipality,
        "scope": scope,
        "year": year,
        "made_at": timezone.localtime(),
        "limit": threshold(),
        "sections": [
            {
                "section": section,
                "anchor": f"avsnitt-{number}",
                "trend": [shown(table, chart=True) for table in section.trend],
                "by_unit": [shown(table, chart=False) for table in section.by_unit],
            }
            for number, section in enumerate(sections, start=1)
        ],
    }
    html = render_to_string("followup/annual/print.html", context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
