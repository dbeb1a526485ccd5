"""A bar chart of a published table for the PDF: per row (a month, a unit) one bar for
each of up to three count columns (shares when the table has no counts), drawn with the
geometry of the follow-up's SVG charts. Hidden cells ("<5") get no bar; the data table
beside the chart says why. Numbers only; the template draws them (with fill attributes:
WeasyPrint draws the SVG without the site's stylesheet)."""

from dataclasses import dataclass

from kinsight.followup.tables import Column, Table

CHART_HEIGHT = 200
BAR_WIDTH = 8
GAP = 2
GROUP_GAP = 8
LEFT = 40
TOP = 10
SERIES = 3
COLOURS = ("#1f5f8b", "#d9822b", "#5b8c3a")  # fill attributes: no inline style (CSP)


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str


@dataclass
class Legend:
    label: str
    colour: str


def _columns(table: Table) -> list[Column]:
    counts = [column for column in table.columns if column.is_count]
    return (counts or [c for c in table.columns if c.kind == "share"])[:SERIES]


def table_chart(table: Table) -> dict | None:
    """The chart's geometry, or None when the table has nothing to draw."""
    columns = _columns(table)
    if not columns or not table.rows:
        return None
    values = [[row.values.get(column.key) for column in columns] for row in table.rows]
    top = max([float(v) for line in values for v in line if v is not None] + [1.0])
    step = len(columns) * (BAR_WIDTH + GAP) + GROUP_GAP
    base = TOP + CHART_HEIGHT
    groups = []
    for index, (row, line) in enumerate(zip(table.rows, values, strict=True)):
        x = LEFT + index * step
        bars = []
        for number, value in enumerate(line):
            height = round(CHART_HEIGHT * float(value) / top) if value else 0
            left = x + number * (BAR_WIDTH + GAP)
            bars.append(Bar(left, base - height, BAR_WIDTH, height, COLOURS[number]))
        show = len(table.rows) <= 12 or index % 3 == 0
        groups.append({"bars": bars, "label": row.label, "label_x": x, "show_label": show})
    top_label = f"{top * 100:.0f} %" if columns[0].kind == "share" else f"{top:g}"
    return {
        "width": LEFT + len(table.rows) * step + 10,
        "height": base + 30,
        "groups": groups,
        "axis_y": base,
        "label_y": base + 16,
        "top_y": TOP + 4,
        "top": top_label,
        "legend": [Legend(c.label, COLOURS[n]) for n, c in enumerate(columns)],
        "title": table.title,
    }
