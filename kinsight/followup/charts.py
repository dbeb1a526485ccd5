"""Server-rendered SVG geometry for the minimum-level charts: numbers only, drawn by
templates with SVG attributes (x, y, width, height) — no inline styles, no script
(CSP), and every chart has a data table beside it."""

from dataclasses import dataclass

CHART_HEIGHT = 200
BAR_WIDTH = 8
GAP = 2
GROUP_GAP = 8
LEFT = 40
TOP = 10


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    css: str
    label: str


def _height(value, top):
    return round(CHART_HEIGHT * value / top) if top else 0


def trend(months):
    """Per month: a bar of children split into attended and not attended, and one bar
    each for parents with the answer unknown and without an answer."""
    top = max([max(f.children, f.unknown_parents, f.unanswered_parents) for _m, f in months] + [1])
    step = 3 * (BAR_WIDTH + GAP) + GROUP_GAP
    groups = []
    for index, (month, f) in enumerate(months):
        x = LEFT + index * step
        base = TOP + CHART_HEIGHT
        attended_h = _height(f.attended, top)
        not_attended_h = _height(f.not_attended, top)
        unknown_h = _height(f.unknown_parents, top)
        unanswered_h = _height(f.unanswered_parents, top)
        bars = [
            Bar(x, base - attended_h, BAR_WIDTH, attended_h, "bar-attended", "attended"),
            Bar(
                x,
                base - attended_h - not_attended_h,
                BAR_WIDTH,
                not_attended_h,
                "bar-not-attended",
                "not_attended",
            ),
            Bar(x + BAR_WIDTH + GAP, base - unknown_h, BAR_WIDTH, unknown_h, "bar-unknown", "u"),
            Bar(
                x + 2 * (BAR_WIDTH + GAP),
                base - unanswered_h,
                BAR_WIDTH,
                unanswered_h,
                "bar-unanswered",
                "a",
            ),
        ]
        groups.append(
            {
                "month": month,
                "figures": f,
                "bars": bars,
                "label_x": x,
                "show_label": index % 3 == 0 or index == len(months) - 1,
            }
        )
    width = LEFT + len(months) * step + 10
    return {
        "width": width,
        "height": TOP + CHART_HEIGHT + 30,
        "groups": groups,
        "top": top,
        "axis_y": TOP + CHART_HEIGHT,
        "label_y": TOP + CHART_HEIGHT + 16,
        "top_y": TOP + 4,
    }


def share_bar(share, width=120):
    """A horizontal bar for a share in per cent (None: no children)."""
    filled = round(width * (share or 0) / 100)
    return {"width": width, "filled": filled, "rest": width - filled}
