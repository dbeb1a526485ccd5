"""Server-rendered SVG geometry for the follow-up charts: numbers only, drawn by
templates with SVG attributes (x, y, width, height) — no inline styles, no script
(CSP), and every chart has a data table beside it. ``share_line`` is the one line
chart of a share against its goal (the minimum level, the figures page)."""

from collections.abc import Sequence
from dataclasses import dataclass

CHART_HEIGHT = 200
LEFT = 40
TOP = 10


STEP = 36
RIGHT = 16


@dataclass
class Point:
    x: int
    y: int
    label: str  # the bucket (a month, a quarter, a year)
    title: str  # what a screen reader or a hover says: "2026-03: 75 %"


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
