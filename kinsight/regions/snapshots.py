"""What a member publishes: one registered figure definition (kinsight.followup.figures)
for one closed period, computed in the municipality for the whole of it, every table
``published()`` (small counts and their complements hidden) and only then turned into
JSON. The hidden cells' values are dropped before the JSON is made, so the region's
copy cannot give them back. ``table_from`` reads a stored table back for the
comparisons."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.followup.figures import REGISTRY, Definition, Period
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.followup.tables import Column, Row, Table

MONTHS = {"month": 1, "quarter": 3, "year": 12}
# The breakdowns a municipality's figure for the whole period can be published by: the
# period itself (one row), else a breakdown that names no unit of the municipality.
PUBLISHED_BY = ("period", "sex", "age_band")


@dataclass(frozen=True)
class Chosen:
    """A closed period of one step: its first and last day and its label."""

    step: str
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, self.step)


def period_of(step: str, day: datetime.date, today: datetime.date | None = None) -> Chosen:
    """The month, quarter or year (``step``) holding ``day``; refused while it has not
    ended (its figures would still change)."""
    if step not in MONTHS:
        raise ValidationError({"step": _("Välj månad, kvartal eller år.")})
    months = MONTHS[step]
    start = month_start(day).replace(month=(day.month - 1) // months * months + 1)
    period = Period(start, add_months(start, months - 1), step)
    start, end, label = period.buckets()[0]
    today = today or timezone.localdate()
    if end >= today:
        message = _(
            "Perioden %(period)s är inte avslutad (den slutar %(end)s). Publicera en period "
            "som har tagit slut, så att siffrorna inte ändras efteråt."
        ) % {"period": label, "end": end.isoformat()}
        raise ValidationError({"period_start": message})
    return Chosen(step, start, end, label)


def publishable() -> list[Definition]:
    """The definitions a member may publish: those with a breakdown without units."""
    return [d for d in REGISTRY.values() if any(by in d.breakdowns for by in PUBLISHED_BY)]


def breakdown_of(definition: Definition) -> str:
    return next(by for by in PUBLISHED_BY if by in definition.breakdowns)


def version_of(definition: Definition) -> str:
    """The definition's version: a digest of its words and legal reference, so a
    snapshot says which definition its numbers were counted by."""
    text = "\n".join([definition.key, definition.title, definition.text, definition.legal])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _row_json(row: Row) -> dict[str, Any]:
    return {"key": row.key, "label": row.label, "values": row.values}


def table_json(table: Table) -> dict[str, Any]:
    """A published table as JSON: hidden cells are None (published() dropped them)."""
    assert table.limit, "only a published table leaves the municipality"
    return {
        "key": table.key,
        "title": table.title,
        "row_label": table.row_label,
        "definition": table.definition,
        "limit": table.limit,
        "columns": [
            {
                "key": c.key,
                "label": c.label,
                "kind": c.kind,
                "parts": list(c.parts),
                "depends": list(c.depends),
            }
            for c in table.columns
        ],
        "rows": [_row_json(row) for row in table.rows],
        "total": _row_json(table.total) if table.total is not None else None,
        "hidden": sorted([list(cell) for cell in table.hidden]),
    }


def _row(data: dict[str, Any]) -> Row:
    return Row(data["key"], data["label"], dict(data["values"]))


def table_from(data: dict[str, Any]) -> Table:
    """A stored table read back (still published: hidden cells None and named)."""
    columns = [
        Column(c["key"], c["label"], c["kind"], tuple(c["parts"]), tuple(c["depends"]))
        for c in data["columns"]
    ]
    return Table(
        key=data["key"],
        title=data["title"],
        row_label=data["row_label"],
        columns=columns,
        rows=[_row(row) for row in data["rows"]],
        total=_row(data["total"]) if data["total"] else None,
        definition=data["definition"],
        hidden=frozenset((row, column) for row, column in data["hidden"]),
        limit=data["limit"],
    )


def frozen(definition: Definition, chosen: Chosen, published: list[Table]) -> dict[str, Any]:
    """A PublishedFigure's fields for ``definition``'s ``published`` tables of ``chosen``."""
    return {
        "definition": definition.key,
        "title": definition.title,
        "definitions_version": version_of(definition),
        "step": chosen.step,
        "period_start": chosen.start,
        "period_end": chosen.end,
        "period_label": chosen.label,
        "tables": [table_json(table) for table in published],
        "suppression_threshold": published[0].limit if published else 0,
    }


def summary(table: Table) -> Row | None:
    """The row that stands for the whole municipality: the total, or the only row."""
    if table.total is not None:
        return table.total
    return table.rows[0] if len(table.rows) == 1 else None
