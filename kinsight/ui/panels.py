"""Start-page panels. The start page belongs to the lowest layer, which may not import
the apps above it; an app that has something for the start page registers a panel
builder in its AppConfig.ready(), and the start page gathers them.

A builder is called with the request and returns a Panel, or None when it has nothing
for this user. It does its reads (through visible_to) and writes their audit rows
before it returns: the template only renders what it is given and never queries.
The panel's template sees its context as ``panel`` (``{{ panel.cases }}``).
"""

from dataclasses import dataclass, field

_builders = []


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def register_start_panel(builder):
    """Add ``builder(request) -> Panel | None`` to the start page (once per builder)."""
    if builder not in _builders:
        _builders.append(builder)
    return builder


def start_panels(request):
    """The panels for this request, in their order."""
    panels = [panel for panel in (build(request) for build in _builders) if panel]
    return sorted(panels, key=lambda panel: panel.order)
