"""Pages composed from panels. A page belongs to the app that owns its object (the
start page to ui, the person page to people, the case page to cases); an app above it
that has something to show there registers a panel builder for the page in its
AppConfig.ready(), so the page's app never imports the apps above it.

A builder is called with the request and the page's object (None on the start page)
and returns a Panel, or None when it has nothing for this user. It does its reads
(through visible_to) and writes their audit rows before it returns: the template only
renders what it is given and never queries. The panel's template sees its context as
``panel`` (``{{ panel.cases }}``) beside the page's own context.

Pages: "start", "person", "case", "child" (a child as next of kin, detection) and "region"
(the network leader's start page, kinsight.regions). A
panel's ``slot`` says where on the page it goes ("main", or "top" above the page's own
content).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PAGES = ("start", "person", "case", "child", "region")
_builders: defaultdict[str, list[Callable[..., Any]]] = defaultdict(list)


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    slot: str = "main"


def register_panel(page, builder):
    """Add ``builder(request, obj, **page_facts) -> Panel | [Panel] | None`` to
    ``page`` (once per builder)."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}: one of {PAGES}")
    if builder not in _builders[page]:
        _builders[page].append(builder)
    return builder


def gather_panels(page, request, obj=None, **page_facts):
    """The page's panels for this request by slot, each slot in the panels' order
    (``page_facts``, e.g. ``can_change``, go to every builder; a builder may return a
    list of panels when one read feeds several):
    ``{"main": [Panel, …], "top": […]}`` (a missing slot reads as empty)."""
    panels = []
    for build in _builders[page]:
        built = build(request, obj, **page_facts)
        panels += built if isinstance(built, list) else [built] if built else []
    slots = defaultdict(list)
    for panel in sorted(panels, key=lambda panel: panel.order):
        slots[panel.slot].append(panel)
    return slots
