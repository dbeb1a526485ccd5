"""Server-rendered SVG geometry for the follow-up charts: numbers only, drawn by
templates with SVG attributes (x, y, width, height) — no inline styles, no script
(CSP), and every chart has a data table beside it. ``share_line`` is the one line
chart of a share against its goal (the minimum level, the figures page);
``table_bars`` the one bar chart of a figure table (the annual report's PDF)."""

from collections.abc import Sequence
from dataclasses import dataclass

from kinsight.followup.tables import Column, Table

CHART_HEIGHT = 200
LEFT = 40
TOP = 10


STEP = 36
RIGHT = 16

# table_bars: up to SERIES bars a row, coloured by fill attributes (WeasyPrint draws the
# SVG without the site's stylesheet; no inline style: CSP).
BAR_WIDTH = 8
GAP = 2
GROUP_GAP = 8
SERIES = 3
COLOURS = ("#1f5f8b", "#d9822b", "#5b8c3a")


@dataclass
class Point:
    x: int
    y: int
    label: str  # the bucket (a month, a quarter, a year)
    title: str  # what a screen reader or a hover says: "2026-03: 75 %"


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


def _y(share: float) -> int:
    return TOP + round(CHART_HEIGHT * (1 - share))


def share_line(points: Sequence[tuple[str, float | None]], goal: float | None = 1.0) -> dict:
    """The one line chart of a share (0..1) over time, against its goal: per point
    (label, share or None when there is nothing to share), the line's segments (a
    bucket without data breaks the line), focusable points with titles, the goal line
    and the 0/50/100 % grid. The same numbers are in the table beside the chart."""
    found: list[Point] = []
    segments: list[list[Point]] = []
    current: list[Point] = []
    for index, (label, share) in enumerate(points):
        x = LEFT + index * STEP + STEP // 2
        if share is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = Point(x, _y(share), label, f"{label}: {share * 100:.0f} %")
        found.append(point)
        current.append(point)
    if current:
        segments.append(current)
    width = LEFT + len(points) * STEP + RIGHT
    every = max(1, len(points) // 12)
    return {
        "width": width,
        "height": TOP + CHART_HEIGHT + 30,
        "points": found,
        "lines": [" ".join(f"{p.x},{p.y}" for p in segment) for segment in segments],
        "labels": [
            (LEFT + index * STEP + STEP // 2, label)
            for index, (label, _share) in enumerate(points)
            if index % every == 0 or index == len(points) - 1
        ],
        "grid": [(_y(v), f"{v * 100:.0f} %") for v in (0.0, 0.5, 1.0)],
        "goal_y": _y(goal) if goal is not None else None,
        "goal": f"{goal * 100:.0f} %" if goal is not None else "",
        "left": LEFT,
        "right": width - RIGHT // 2,
        "label_y": TOP + CHART_HEIGHT + 18,
        "empty": not found,
    }


def share_bar(share, width=120):
    """A horizontal bar for a share in per cent (None: no children)."""
    filled = round(width * (share or 0) / 100)
    return {"width": width, "filled": filled, "rest": width - filled}


def _columns(table: Table) -> list[Column]:
    counts = [column for column in table.columns if column.is_count]
    return (counts or [c for c in table.columns if c.kind == "share"])[:SERIES]


def table_bars(table: Table) -> dict | None:
    """A bar chart of a (published) table: per row (a month, a unit) one bar for each
    of up to three count columns (shares when the table has no counts); a hidden cell
    ("<5") gets no bar, the data table beside it says why. None when the table has
    nothing to draw."""
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
