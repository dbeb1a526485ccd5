"""The October survey's chart: per round, one horizontal bar split into the shares of
the answers (yes, no, unknown, not asked). Numbers only: the template draws them with
SVG attributes and the classes of the minimum-level chart (no inline styles, CSP)."""

from dataclasses import dataclass
from typing import Any

from kinsight.followup.tables import Table

WIDTH = 220  # the bar at 100 % (the chart fits .chart-pair, 22rem)
LEFT = 76
BAR_HEIGHT = 22
ROW = 34
CSS = {"yes": "bar-attended", "no": "bar-not-attended"}
CSS |= {"unknown": "bar-unknown", "not_asked": "bar-unanswered"}


@dataclass
class Segment:
    x: int
    width: int
    css: str
    label: str


def answer_bars(comparison: Table) -> dict[str, Any]:
    """The rounds of ``comparison`` (columns first/second, a row per answer) as bars."""
    rounds = []
    for index, key in enumerate(("first", "second")):
        adults = (comparison.total.values.get(key) if comparison.total else 0) or 0
        x, segments = LEFT, []
        for row in comparison.rows:
            width = round(WIDTH * (row.values.get(key) or 0) / adults) if adults else 0
            segments.append(Segment(x, width, CSS[row.key], row.label))
            x += width
        column = next(c for c in comparison.columns if c.key == key)
        rounds.append({"label": column.label, "y": 10 + index * ROW, "segments": segments})
    return {
        "width": LEFT + WIDTH + 10,
        "height": 20 + len(rounds) * ROW,
        "bar_height": BAR_HEIGHT,
        "label_x": 2,
        "rounds": rounds,
        "legend": [(CSS[row.key], row.label) for row in comparison.rows],
    }
