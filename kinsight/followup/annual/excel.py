"""The annual report as an Excel workbook (openpyxl): a sheet per published table with a
frozen header row, number formats and column widths, a native chart on each trend
sheet, and a "Definitioner" sheet. Hidden counts are the text "<5"; every text cell is
formula-safe (``csv_safe``: a label starting with = + - @ gets a leading quote, and is
stored as text)."""

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinsight.followup.annual.sections import Section
from kinsight.followup.tables import Column, Row, Table
from kinsight.ui.exports import csv_safe

FORMATS = {"count": "#,##0", "share": "0%", "days": "0", "number": "0.0"}
BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _cell(table: Table, row: Row, column: Column) -> Any:
    if (row.key, column.key) in table.hidden or row.values.get(column.key) is None:
        return table.text(row, column) or None
    return row.values[column.key]


def _text(sheet: Worksheet, line: list[Any]) -> None:
    sheet.append([csv_safe(value) for value in line])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _title(book: Workbook, number: int, title: str) -> str:
    name = BAD_TITLE.sub(" ", f"{number} {title}")[:31].strip()
    return name if name not in book.sheetnames else f"{number}"[:31]


def _table_sheet(book: Workbook, number: int, table: Table, *, trend: bool) -> None:
    sheet = book.create_sheet(_title(book, number, table.title))
    _text(sheet, [table.row_label, *(column.label for column in table.columns)])
    for row in table.all_rows():
        _text(sheet, [row.label, *(_cell(table, row, column) for column in table.columns)])
    sheet.freeze_panes = "B2"
    for index, column in enumerate(table.columns, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.label) + 2))
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if not isinstance(cell.value, str):
                cell.number_format = FORMATS.get(column.kind, "General")
    sheet.column_dimensions["A"].width = max(16, *(len(r.label) + 2 for r in table.all_rows()))
    if trend and table.rows:
        _chart(sheet, table)


def _chart(sheet: Worksheet, table: Table) -> None:
    """A line chart of the count columns over the months (shares when no counts)."""
    indexes = [i for i, c in enumerate(table.columns, start=2) if c.is_count]
    indexes = indexes or [i for i, c in enumerate(table.columns, start=2) if c.kind == "share"]
    if not indexes:
        return
    chart = LineChart() if len(table.rows) > 1 else BarChart()
    chart.title = table.title
    chart.y_axis.title = _("Antal")
    last = len(table.rows) + 1  # the rows without the total
    for index in indexes[:3]:
        data = Reference(sheet, min_col=index, min_row=1, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 20, 9
    sheet.add_chart(chart, f"{get_column_letter(len(table.columns) + 3)}2")


def workbook(*, municipality: str, scope: str, year: int, sections: list[Section]) -> bytes:
    book = Workbook()
    about = book.active
    about.title = _("Årsrapport")
    _text(about, [_("Årsrapport"), year])
    _text(about, [_("Kommun"), municipality])
    _text(about, [_("Omfattning"), scope])
    _text(about, [_("Antal under %(limit)s visas som <%(limit)s.") % {"limit": _limit(sections)}])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 40
    number = 0
    for section in sections:
        for table, trend in [
            *((t, True) for t in section.trend),
            *((t, False) for t in section.by_unit),
        ]:
            number += 1
            _table_sheet(book, number, table, trend=trend)
    definitions = book.create_sheet(_("Definitioner"))
    _text(definitions, [_("Nyckeltal"), _("Definition"), _("Lagrum")])
    for section in sections:
        _text(definitions, [section.title, section.definition, section.legal])
    definitions.freeze_panes = "A2"
    for letter, width in (("A", 36), ("B", 80), ("C", 40)):
        definitions.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _limit(sections: list[Section]) -> int:
    from kinsight.followup.suppression import threshold

    return next((t.limit for s in sections for t in s.tables if t.limit), threshold())
