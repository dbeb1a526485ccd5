"""Small numbers are not let out: a count below the threshold (setting
``KINSIGHT_SUPPRESSION_THRESHOLD``, default 5) is shown as "<5" in everything meant to
leave the unit (PDF, Excel, CSV, API aggregates), and enough other cells are hidden with
it that no published total minus the shown cells gives it back (complementary
suppression). Zero is shown: it says nobody, which is no one's personal data. Inside the
system, those allowed drill down to the rows instead.

The rule works on any table as cells and *lines*: a line is a published total and the
cells that add up to it (a column and its total row; the parts of a row and the row's
total). While some line has exactly one hidden cell, the smallest shown part of that
line is hidden too (a non-zero one first, as a hidden zero only protects in pairs; the
total itself last). Each round hides one more cell, so it ends.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from django.conf import settings

K = TypeVar("K", bound=Hashable)
Line = tuple[K, Sequence[K]]


def threshold() -> int:
    return int(settings.KINSIGHT_SUPPRESSION_THRESHOLD)


def shown(value: int | None, limit: int | None = None) -> str:
    """The text of a count that leaves the unit: hidden counts (None) as "<5"."""
    return f"<{limit or threshold()}" if value is None else str(value)


def _complement(values: Mapping[K, int], line: Line[K], hidden: set[K]) -> K | None:
    total, parts = line
    if sum(1 for key in (total, *parts) if key in hidden) != 1:
        return None
    candidates = [key for key in parts if key not in hidden]
    if candidates:
        return min(candidates, key=lambda key: (values[key] == 0, values[key]))
    return total if total not in hidden else None


def hidden_cells(
    values: Mapping[K, int], lines: Iterable[Line[K]], limit: int | None = None
) -> set[K]:
    """The keys of ``values`` to hide: below ``limit`` (and above zero), and their
    complements in ``lines``."""
    limit = limit or threshold()
    lines = list(lines)
    hidden = {key for key, value in values.items() if 0 < value < limit}
    while True:
        found = next(
            (key for line in lines if (key := _complement(values, line, hidden)) is not None),
            None,
        )
        if found is None:
            return hidden
        hidden.add(found)
