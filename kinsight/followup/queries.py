"""Reads of the follow-up app, each starting from visible_to(user, action).

- work_queue_page: one group of the work queue, sorted and paginated, audited as a
  list read (kinsight.followup.queue has the rules).
- minimum_level: the figures for the months and units the user may see, from the
  rollup (MinimumLevelMonth.objects.visible_to) plus the running month (and last
  month until the rollup has run) computed live for the same units.
- not_attended_children: the drill-down, ChildRecord.objects.visible_to(user, "view").
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.audit.services import audit_read_many, audit_record
from kinsight.core.models import OrgUnit, UnitType, User
from kinsight.detection.models import ChildRecord
from kinsight.followup import queue
from kinsight.followup.minimum_level import (
    Figures,
    add_months,
    child_under_18_q,
    figures_by_unit,
    month_end,
    month_start,
    months_between,
)
from kinsight.followup.models import MinimumLevelMonth, dashboard_units
from kinsight.people.access import WORK_ROLES

PAGE_SIZE = 25


class QueuePage(Page):
    """A page of the work queue: its rows, and each as the queue shows it."""

    items: list[Any]


def work_queue_page(
    *,
    actor: User,
    scope: queue.Scope,
    group: str,
    sort: str,
    page_number: Any,
    today: datetime.date | None = None,
    count: int | None = None,
) -> QueuePage:
    """One page of a group; ``count`` (from queue.counts) saves the paginator's query."""
    today = today or timezone.localdate()
    objects = queue.ordered(group, queue.QUERIES[group](actor, scope, today), sort)
    paginator = Paginator(objects, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    found = paginator.get_page(page_number)
    page = QueuePage(list(found.object_list), found.number, paginator)
    audit_read_many(actor=actor, objects=page.object_list, object_type=queue.AUDIT_TYPES[group])
    page.items = queue.items(group, page.object_list, today)
    return page


# The minimum level -------------------------------------------------------------------


def can_see_dashboard(user: User) -> bool:
    return bool(dashboard_units(user))


def can_drill_down(user: User) -> bool:
    """Only those who work with cases see the children behind the figures; and then
    only the child records visible_to them."""
    return bool(user.units_with_role(*WORK_ROLES))


@dataclass
class Dashboard:
    months: list[tuple[datetime.date, Figures]]  # oldest first
    by_unit: list[tuple[OrgUnit, Figures]]  # for the last month
    by_unit_type: Sequence[tuple[str | Promise, Figures]]  # (label, figures) for the last month
    total: Figures
    last_month: datetime.date
    live_months: list[datetime.date] = field(default_factory=list)
    # When the running month's figures were kept (rollup --running), if they were used.
    running_kept_at: datetime.datetime | None = None

    @property
    def max_children(self) -> int:
        return max([f.children for _m, f in self.months] + [1])


def scope_units(actor: User, *, unit: OrgUnit | None = None, unit_type: str = "") -> list[OrgUnit]:
    """The units (kind "unit") whose figures the actor asks for and may see."""
    if actor.municipality_id is None:
        return []
    units = OrgUnit.objects.filter(
        municipality_id=actor.municipality_id, pk__in=dashboard_units(actor), kind="unit"
    )
    if unit is not None:
        units = units.filter(pk=unit.pk)
    if unit_type:
        units = units.filter(unit_type=unit_type)
    return list(units.order_by("name"))


def minimum_level(
    *,
    actor: User,
    start: datetime.date,
    end: datetime.date,
    unit: OrgUnit | None = None,
    unit_type: str = "",
    today: datetime.date | None = None,
) -> Dashboard:
    today = today or timezone.localdate()
    units = scope_units(actor, unit=unit, unit_type=unit_type)
    months = months_between(start, end)
    rows = MinimumLevelMonth.objects.visible_to(actor, "view")
    monthly = monthly_by_unit(rows, actor.municipality_id, [u.pk for u in units], months, today)
    per_month, live, running_kept_at = monthly
    trend = []
    for month in months:
        total = Figures()
        for figures in per_month[month].values():
            total.add(figures)
        trend.append((month, total))
    last = per_month[end]
    by_unit = [(u, last.get(u.pk, Figures())) for u in units]
    types: defaultdict[str, Figures] = defaultdict(Figures)
    for u, figures in by_unit:
        types[u.unit_type].add(figures)
    by_type = [(label, types[value]) for value, label in UnitType.choices if value in types]
    return Dashboard(
        months=trend,
        by_unit=by_unit,
        by_unit_type=by_type,
        total=trend[-1][1],
        last_month=end,
        live_months=sorted(live),
        running_kept_at=running_kept_at if month_start(today) in per_month else None,
    )


def monthly_by_unit(
    rows: QuerySet[MinimumLevelMonth],
    municipality_id: int | None,
    unit_ids: list[int],
    months: list[datetime.date],
    today: datetime.date,
) -> tuple[dict[datetime.date, dict[int, Figures]], list[datetime.date], Any]:
    """{month: {unit_id: Figures}} from the rollup ``rows`` (one query), the running
    month (and last month until the rollup has run) computed live (two queries each);
    with the live months and when the running month was kept, if it was used."""
    per_month: dict[datetime.date, dict[int, Figures]] = {m: {} for m in months}
    kept_at: dict[datetime.date, datetime.datetime] = {}
    found = rows.filter(unit_id__in=unit_ids, month__in=months)
    for row in found.values_list(
        "month",
        "computed_at",
        "unit_id",
        "children",
        "attended",
        "unknown_parents",
        "unanswered_parents",
        "expected",
        "expected_attended",
        "adults",
    ):
        per_month[row[0]][row[2]] = Figures(*row[3:])
        kept_at[row[0]] = max(kept_at.get(row[0], row[1]), row[1])
    # The running month is live unless the frequent rollup kept it lately; so is last
    # month while the nightly rollup has not written it yet (it has rows as soon as
    # the unit had any data).
    this_month = month_start(today)
    running_kept_at = _fresh(kept_at.get(this_month))
    live = [m for m in months if m >= this_month and not running_kept_at]
    previous = add_months(this_month, -1)
    if previous in per_month and not per_month[previous]:
        live.append(previous)
    for month in live:
        end_day = today if month == this_month else month_end(month)
        per_month[month] = figures_by_unit(
            municipality_id=municipality_id,
            end=end_day,
            unit_ids=unit_ids,
            live=month == this_month,
        )
    return per_month, live, running_kept_at


def _fresh(computed_at: datetime.datetime | None) -> datetime.datetime | None:
    """``computed_at`` when the running month kept then is still shown (setting
    KINSIGHT_RUNNING_MONTH_MINUTES), else None."""
    limit = timezone.now() - datetime.timedelta(minutes=settings.KINSIGHT_RUNNING_MONTH_MINUTES)
    return computed_at if computed_at and computed_at >= limit else None


def minimum_level_export(*, actor: User, dashboard: Dashboard, filters: dict[str, Any]) -> None:
    """Record that the figures were exported (counts only: no personal data)."""
    from django.db import transaction

    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="followup.minimumlevelmonth",
            object_id="*",
            changes={"filters": filters},
        )


def not_attended_children(
    *,
    actor: User,
    unit: OrgUnit | None = None,
    unit_type: str = "",
    today: datetime.date | None = None,
) -> QuerySet[ChildRecord]:
    today = today or timezone.localdate()
    unit_ids = [u.pk for u in scope_units(actor, unit=unit, unit_type=unit_type)]
    return (
        ChildRecord.objects.visible_to(actor, "view")
        .not_attended()
        .born(today)
        .filter(unit_id__in=unit_ids)
        .exclude(case__status="avslutad")
        .filter(child_under_18_q(today))
        .select_related("child", "parent", "unit", "case__responsible")
        .order_by("identified_on", "pk")
    )


def audit_list(*, actor: User, objects: Iterable[Model]) -> AuditEntry | None:
    return audit_read_many(actor=actor, objects=list(objects), object_type=queue.RECORD_TYPE)
