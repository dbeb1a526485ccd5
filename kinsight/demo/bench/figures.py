"""The figures page (nyckeltal) and the October survey at scale: each registered
definition at its default period (the last 12 months), broken down by period and by
unit where it has them, and the October survey's default page (its two rounds kept by
the nightly rollup the bench runs at setup, as in production), as the head of services
(``ifochef``, the widest scope) opens them; in process with the Django test client,
beside the bare page (/healthz) timed in the same stage. A definition computes its
tables in a fixed number of statements whatever the municipality's size; its time
grows with the rows those statements read (for the October survey: the kept counts,
which grow with the units, not the persons)."""

from collections.abc import Callable
from typing import Any

from kinsight.followup.figures import REGISTRY

VIEWER = "ifochef"
BARE = ("bare page (/healthz)", None, lambda m: "/healthz")
OCTOBER = ("October survey", VIEWER, lambda m: "/uppfoljning/oktoberkartlaggning/")

Page = tuple[str, str | None, Callable[[Any], str]]


def _figure(key: str, by: str) -> Page:
    url = f"/uppfoljning/nyckeltal/?definition={key}&by={by}"
    return (f"figures: {key} by {by}", VIEWER, lambda m: url)


def figures_pages() -> list[Page]:
    """The bare page first, then each definition by period and by unit (those it
    has), then the October survey page."""
    figures = [
        _figure(key, by)
        for key, definition in REGISTRY.items()
        for by in ("period", "unit")
        if by in definition.breakdowns
    ]
    return [BARE, *figures, OCTOBER]
