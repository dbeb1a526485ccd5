"""A table of figures: one shape for the page, the CSV, the Excel workbook, the PDF and
the API, so that each figure is computed once (by its query) and shown everywhere alike.

A table has rows (a unit, a month, an age band...) and columns. A *count* column may
be the sum of other columns of the row (``parts``); a table may have a total row. A
derived column (a share, a median of days) names the counts it is computed from
(``depends``): it is hidden whenever one of them is. ``published()`` gives the copy
that may leave the unit: small counts and their complements hidden
(kinsight.followup.suppression), derived values with them.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kinsight.followup.suppression import hidden_cells, shown, threshold

Number = int | float | None
TOTAL = "total"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # count | share (0..1) | days | number
    parts: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()

    @property
    def is_count(self) -> bool:
        return self.kind == "count"


def with_shares(values: dict[str, Any], columns: Sequence[Column]) -> dict[str, Any]:
    """A row's ``values`` (a copy) with each share column computed from the counts it
    depends on (numerator, denominator; None when the denominator is 0). The figures'
    and the October survey's tables share it."""
    values = dict(values)
    for column in columns:
        if column.kind == "share":
            part, whole = (values.get(key) or 0 for key in column.depends)
            values[column.key] = part / whole if whole else None
    return values


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, Number]


@dataclass
class Table:
    key: str
    title: str
    row_label: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    definition: str = ""
    hidden: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    limit: int = 0  # the threshold the table was published with (0: not published)

    def all_rows(self) -> Iterator[Row]:
        yield from self.rows
        if self.total is not None:
            yield self.total

    def _lines(self) -> Iterator[tuple[tuple[str, str], list[tuple[str, str]]]]:
        for column in self.columns:
            if not column.is_count:
                continue
            if self.total is not None:
                yield (self.total.key, column.key), [(row.key, column.key) for row in self.rows]
            if column.parts:
                for row in self.all_rows():
                    yield (row.key, column.key), [(row.key, part) for part in column.parts]

    def published(self, limit: int | None = None) -> "Table":
        """The copy that may leave the unit: hidden cells are None."""
        limit = limit or threshold()
        counts = {
            (row.key, column.key): int(row.values.get(column.key) or 0)
            for row in self.all_rows()
            for column in self.columns
            if column.is_count
        }
        hidden = hidden_cells(counts, list(self._lines()), limit)
        for row in self.all_rows():
            for column in self.columns:
                if any((row.key, key) in hidden for key in column.depends):
                    hidden.add((row.key, column.key))

        def masked(row: Row) -> Row:
            values = {key: None if (row.key, key) in hidden else v for key, v in row.values.items()}
            return replace(row, values=values)

        return replace(
            self,
            rows=[masked(row) for row in self.rows],
            total=masked(self.total) if self.total is not None else None,
            hidden=frozenset(hidden),
            limit=limit,
        )

    def text(self, row: Row, column: Column) -> str:
        """A cell as text for a file: hidden as "<5", shares as per cent."""
        value = row.values.get(column.key)
        if (row.key, column.key) in self.hidden:
            return shown(None, self.limit) if column.is_count else "–"
        if value is None:
            return ""
        if column.kind == "share":
            return f"{value * 100:.0f} %"
        return str(value)

    def as_dict(self) -> dict[str, Any]:
        """The API's shape: hidden counts as the string "<5"."""

        def cell(row: Row, column: Column) -> Any:
            if (row.key, column.key) in self.hidden:
                return shown(None, self.limit) if column.is_count else None
            return row.values.get(column.key)

        def row_dict(row: Row) -> dict[str, Any]:
            return {"key": row.key, "label": row.label} | {
                column.key: cell(row, column) for column in self.columns
            }

        return {
            "key": self.key,
            "title": self.title,
            "definition": self.definition,
            "suppression_threshold": self.limit or None,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [row_dict(row) for row in self.rows],
            "total": row_dict(self.total) if self.total is not None else None,
        }
