"""Rows of a figure by a breakdown, counted in the database in one statement.

``counted(queryset, key, aggregates)`` groups a queryset by a key expression (a period
bucket, the unit, the unit type, or a definition's own: sex, age band) and returns
``{key: {column: n}}``. ``table(...)`` lays those counts out as a Table with a row for
every slot of the breakdown (zeros included: a month without events is a row of
zeros, never a hole), a total row and the shares the definition names.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import CharField, Expression, ExpressionWrapper, F, IntegerField, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext as _

from kinsight.core.models import UnitType
from kinsight.followup.figures import BREAKDOWNS, Period, Scope
from kinsight.followup.tables import TOTAL, Column, Row, Table, with_shares

TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
Slots = list[tuple[str, str]]  # (key, label) of each row, in order


def key_expression(by: str, period: Period, *, date: str, unit: str) -> Expression:
    """The grouping key of the common breakdowns: the bucket of ``date``, or the
    ``unit`` path (its id or unit type)."""
    if by == "period":
        return TRUNC[period.step](date)
    if by == "unit":
        return ExpressionWrapper(F(unit), output_field=IntegerField())
    if by == "unit_type":
        return ExpressionWrapper(F(f"{unit}__unit_type"), output_field=CharField())
    raise ValueError(by)


def slots(by: str, scope: Scope, period: Period) -> Slots:
    """The rows of a common breakdown: every bucket, unit or unit type of the scope."""
    if by == "period":
        return [(start.isoformat(), label) for start, _last, label in period.buckets()]
    if by == "unit":
        return [(str(unit.pk), unit.name) for unit in scope.units]
    if by == "unit_type":
        present = {unit.unit_type for unit in scope.units}
        return [(str(value), str(label)) for value, label in UnitType.choices if value in present]
    raise ValueError(by)


def _key(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def counted(
    queryset: QuerySet[Any], key: Expression | F, aggregates: Mapping[str, Any]
) -> dict[str, dict[str, int]]:
    """One statement: ``{key: {aggregate: n}}``."""
    rows = queryset.order_by().annotate(row_key=key).values("row_key").annotate(**aggregates)
    return {_key(row.pop("row_key")): {k: int(v or 0) for k, v in row.items()} for row in rows}


def in_period(field: str, period: Period) -> dict[str, datetime.date]:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def table(
    key: str,
    title: str,
    by: str,
    columns: Sequence[Column],
    rows: Slots,
    found: Mapping[str, Mapping[str, int]],
    *,
    definition: str = "",
    other: str = "",
) -> Table:
    """A table with a row per slot (zeros where nothing was found), a total row, and
    each share column (``depends`` = numerator, denominator) computed from its counts.
    Found keys outside the slots (no sex recorded...) make a row ``other``."""
    counts = [c.key for c in columns if c.is_count]
    extra = [k for k in found if k not in {slot for slot, _label in rows}]
    if extra and other:
        rows = [*rows, ("other", other)]
    built = []
    for slot, label in rows:
        sources = extra if slot == "other" and other else [slot]
        values = {c: sum(found.get(s, {}).get(c, 0) for s in sources) for c in counts}
        built.append(Row(slot, label, with_shares(values, columns)))
    total = {c: sum(row.values[c] or 0 for row in built) for c in counts}
    return Table(
        key=key,
        title=title,
        row_label=str(BREAKDOWNS.get(by, by)),
        columns=list(columns),
        rows=built,
        total=Row(TOTAL, _("Totalt"), with_shares(total, columns)),
        definition=definition,
    )


def share(key: str, label: str, part: str, whole: str) -> Column:
    return Column(key, label, kind="share", depends=(part, whole))
