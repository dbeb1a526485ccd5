"""SVG geometry for the effect report's two charts, made on the server: numbers only,
drawn by a template with SVG attributes and CSS classes (no inline style, no script:
the Content-Security-Policy), each beside a table of the same figures. Coordinates
are whole pixels: a template would write a float with the language's decimal comma.

- ``slopes``: each participant's score before and after as a line between two axes,
  coloured by their reliable change when the report has one.
- ``change_histogram``: how many participants changed by how much, in equal bins, with
  zero and the reliable change threshold marked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kinsight.groups.effect import DETERIORATED, IMPROVED, UNCHANGED, ReliableChange

WIDTH = 320
HEIGHT = 240
LEFT = 44  # room for the tick labels
RIGHT = 20
TOP = 12
BOTTOM = 36  # room for the axis labels
MAX_BINS = 12


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    css: str


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    low: float  # the bin's change, from (inclusive) ...
    high: float  # ... to (exclusive; inclusive for the last bin)
    count: int


def _scale(low: float, high: float):
    """Maps a value in [low, high] to a y coordinate, high at the top."""
    span = (high - low) or 1.0
    plot = HEIGHT - TOP - BOTTOM

    def y(value: float) -> int:
        return round(TOP + plot * (high - value) / span)

    return y


def _number(value: float) -> str:
    """A tick label: whole numbers without decimals, others with one and a comma."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def slopes(
    before: Sequence[float], after: Sequence[float], reliable: ReliableChange | None = None
) -> dict:
    """One line per participant from before (left axis) to after (right axis) and one
    for the mean; ``css`` is the reliable change category, or the direction of the raw
    change without one."""
    low = math.floor(min([*before, *after]))
    high = math.ceil(max([*before, *after]))
    y = _scale(low, high)
    x1, x2 = LEFT + 20, WIDTH - RIGHT - 20
    lines = []
    for index, (b, a) in enumerate(zip(before, after, strict=True)):
        if reliable is not None:
            css = reliable.categories[index]
        else:
            css = IMPROVED if a > b else DETERIORATED if a < b else UNCHANGED
        lines.append(Line(x1, y(b), x2, y(a), f"slope {css}"))
    n = len(before)
    mean = Line(x1, y(sum(before) / n), x2, y(sum(after) / n), "slope mean")
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "mean": mean,
        "ticks": [Tick(y(v), _number(v)) for v in (low, (low + high) / 2, high)],
        "axes": (x1, x2),
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
    }


def _bin_width(low: float, high: float) -> float:
    """A round bin width (1, 2, 5, 10, 20, ...) that gives at most MAX_BINS bins."""
    span = max(high - low, 1.0)
    width = 1.0
    while span / width >= MAX_BINS:
        for step in (2.0, 2.5, 2.0):
            width *= step
            if span / width < MAX_BINS:
                break
    return width


def change_histogram(changes: Sequence[float], reliable: ReliableChange | None = None) -> dict:
    """Bars of how many participants changed by how much (after minus before)."""
    width = _bin_width(min(changes), max(changes))
    start = math.floor(min(changes) / width) * width
    count = int((max(changes) - start) // width) + 1
    counts = [0] * count
    for change in changes:
        counts[min(int((change - start) // width), count - 1)] += 1
    top = max(counts)
    y = _scale(0, top)
    step = (WIDTH - LEFT - RIGHT) / count
    bars = [
        Bar(
            x=round(LEFT + i * step + 1),
            y=y(c),
            width=round(step - 2),
            height=y(0) - y(c),
            low=start + i * width,
            high=start + (i + 1) * width,
            count=c,
        )
        for i, c in enumerate(counts)
    ]

    def x(value: float) -> int:
        return round(LEFT + (value - start) / width * step)

    end = start + count * width
    marks = [("zero", 0.0)] if start <= 0 <= end else []
    if reliable is not None:
        marks += [
            ("threshold", t) for t in (-reliable.threshold, reliable.threshold) if start <= t <= end
        ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "marks": [Line(x(v), TOP, x(v), HEIGHT - BOTTOM, css) for css, v in marks],
        "ticks": [Tick(y(v), str(v)) for v in sorted({0, top})],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 16,
        "first": _number(start),
        "last": _number(end),
    }
