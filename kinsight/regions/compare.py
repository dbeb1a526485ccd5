"""The region's comparisons, made only from published figures (PublishedFigure rows):
the members side by side for one table of one period, with the region total, and one
column over the periods (the trend). Both are ``Table``s, so the page, the chart, the
PDF, the workbook and the API show them alike.

The region total adds the members' *published* cells. A hidden cell ("<5", or a
complement hidden with it) is not known to the region, so a total over a column with
one is the sum of the shown cells, written "minst N" (at least N): it can be computed
from the shown cells by anyone who reads the table, so it gives no hidden value back,
and it never pretends to be exact. A share of the region is computed from its two
totals only when neither is such a lower bound; other derived columns (a median, a
mean change) cannot be added and are left empty.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from kinsight.followup.tables import Column, Row, Table
from kinsight.regions.models import PublishedFigure
from kinsight.regions.snapshots import summary, table_from

REGION_ROW = "region"


def _table(figure: PublishedFigure, key: str) -> Table | None:
    data = next((t for t in figure.tables if t["key"] == key), None)
    return table_from(data) if data is not None else None


def table_keys(figures: Iterable[PublishedFigure]) -> list[tuple[str, str]]:
    """(key, title) of the tables in the figures, in the order first met."""
    found: dict[str, str] = {}
    for figure in figures:
        for data in figure.tables:
            found.setdefault(data["key"], data["title"])
    return list(found.items())


def _summaries(
    figures: Iterable[PublishedFigure], key: str, labels: Mapping[int, str]
) -> tuple[Table | None, list[tuple[PublishedFigure, Row, set[str]]]]:
    """The table's first published copy (for its columns) and each figure's row for the
    whole municipality, with the columns hidden in it."""
    template, found = None, []
    for figure in figures:
        table = _table(figure, key)
        row = summary(table) if table is not None else None
        if table is None or row is None:
            continue
        template = template or table
        hidden = {column for row_key, column in table.hidden if row_key == row.key}
        label = labels.get(figure.municipality_id, str(figure.municipality_id))
        found.append((figure, Row(str(figure.municipality_id), label, dict(row.values)), hidden))
    return template, found


def region_total(columns: list[Column], rows: list[Row], hidden: set[tuple[str, str]]) -> Row:
    """The region's row from the published cells (see the module's text)."""
    values: dict[str, Any] = {}
    bounded: set[str] = set()
    for column in columns:
        if not column.is_count:
            continue
        known = sum(
            int(row.values.get(column.key) or 0)
            for row in rows
            if (row.key, column.key) not in hidden
        )
        if any((row.key, column.key) in hidden for row in rows):
            bounded.add(column.key)
            values[column.key] = _("minst %(count)s") % {"count": known}
        else:
            values[column.key] = known
    for column in columns:
        if column.is_count:
            continue
        values[column.key] = None
        if column.kind == "share" and len(column.depends) == 2:
            part, whole = column.depends
            if not {part, whole} & bounded and values.get(whole):
                values[column.key] = values[part] / values[whole]
    return Row(REGION_ROW, _("Regionen (publicerade siffror)"), values)


def comparison(
    figures: Iterable[PublishedFigure], key: str, labels: Mapping[int, str]
) -> Table | None:
    """The members side by side (one row each, as ``labels`` names them) for the table
    ``key`` of one definition's figures for one period, with the region's total row.
    None when no member's table has a row for the whole municipality."""
    template, found = _summaries(figures, key, labels)
    if template is None:
        return None
    rows = [row for _figure, row, _hidden in found]
    hidden = {(row.key, column) for _figure, row, columns in found for column in columns}
    return Table(
        key=key,
        title=template.title,
        row_label=_("Medlem"),
        columns=template.columns,
        rows=rows,
        total=region_total(template.columns, rows, hidden),
        definition=template.definition,
        hidden=frozenset(hidden),
        limit=template.limit,
    )


def trend(
    figures: Iterable[PublishedFigure], key: str, column_key: str, labels: Mapping[int, str]
) -> Table | None:
    """One column of the table ``key`` over the periods: a row per period, a column per
    member (``labels``, in its order); hidden where the member's cell was hidden."""
    figures = sorted(figures, key=lambda figure: figure.period_start)
    template, found = _summaries(figures, key, labels)
    if template is None:
        return None
    source = next((c for c in template.columns if c.key == column_key), None)
    if source is None:
        return None
    columns = [Column(str(pk), label, source.kind) for pk, label in labels.items()]
    rows: dict[str, Row] = {}
    hidden = set()
    for figure, member, columns_hidden in found:
        period = rows.setdefault(
            figure.period_label, Row(figure.period_label, figure.period_label, {})
        )
        period.values[member.key] = member.values.get(column_key)
        if column_key in columns_hidden:
            hidden.add((figure.period_label, member.key))
    title = f"{template.title}: {source.label}"
    return Table(
        key=f"{key}-{column_key}",
        title=title,
        row_label=_("Period"),
        columns=columns,
        rows=list(rows.values()),
        definition=template.definition,
        hidden=frozenset(hidden),
        limit=template.limit,
    )
