"""What needs the attention of a head of services or a unit manager this month: the
start page's panel "Behöver uppmärksamhet" (registered in apps.py). Counts only, for
the units the user sees figures for (dashboard_units / Scope.for_actor), each one
aggregate statement whatever the size of the municipality:

- overdue: concern reports received by the scope's units whose running clock
  (förhandsbedömning or utredning) has passed, by the work queue's own rule
  (ConcernReport.due_by of yesterday, as queue.deadlines uses it);
- lowest: the three units with the lowest minimum level last month, from the rollup
  (MinimumLevelMonth, units with children only);
- unknown: the share of adults with an open case whose child question is unknown or
  not asked (per unit, as the minimum level counts them), in the running month (up to
  today) against the end of the month three months back; rising is a sign. Both are
  read from the rollup (MinimumLevelMonth: the running month as the frequent rollup
  keeps it, counted live only while it has not), so the panel does not grow with the
  municipality.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField
from django.utils import timezone

from kinsight.core.models import OrgUnit, User
from kinsight.detection.models import ConcernReport
from kinsight.followup import queue
from kinsight.followup.figures import Scope
from kinsight.followup.minimum_level import Figures, add_months, month_end, month_start
from kinsight.followup.models import MinimumLevelMonth, dashboard_units
from kinsight.followup.queries import monthly_by_unit
from kinsight.ui.panels import Panel

LOWEST = 3
MONTHS_BACK = 3


@dataclass
class Lowest:
    unit: OrgUnit
    children: int
    attended: int

    @property
    def share(self) -> float:
        return self.attended / self.children


@dataclass
class Attention:
    overdue: int
    lowest: list[Lowest]
    last_month: datetime.date
    cases_now: int
    unknown_now: int
    cases_then: int
    unknown_then: int
    then: datetime.date
    units: list[OrgUnit] = field(default_factory=list)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def share_now(self) -> float | None:
        return self._share(self.unknown_now, self.cases_now)

    @property
    def share_then(self) -> float | None:
        return self._share(self.unknown_then, self.cases_then)

    @property
    def rising(self) -> bool:
        now, then = self.share_now, self.share_then
        return now is not None and then is not None and now > then


def _three_months_before(day: datetime.date) -> datetime.date:
    """The end of the month three months before ``day``'s."""
    return month_end(add_months(month_start(day), -MONTHS_BACK))


def overdue(scope: Scope, today: datetime.date) -> int:
    reports = ConcernReport.objects.filter(
        municipality_id=scope.municipality_id, receiving_unit_id__in=scope.unit_ids
    )
    return reports.due_by(today - datetime.timedelta(days=1)).count()


def lowest(actor: User, scope: Scope, month: datetime.date) -> list[Lowest]:
    share = ExpressionWrapper(F("attended") * 1.0 / F("children"), output_field=FloatField())
    rows = (
        MinimumLevelMonth.objects.visible_to(actor, "view")
        .filter(unit_id__in=scope.unit_ids, month=month, children__gt=0)
        .annotate(share=share)
        .select_related("unit")
        .order_by("share", "unit__name")[:LOWEST]
    )
    return [Lowest(row.unit, row.children, row.attended) for row in rows]


def unknown_shares(
    actor: User, scope: Scope, today: datetime.date, then: datetime.date
) -> dict[str, int]:
    """Adults with an open case now and then, and those whose answer was unknown or
    none, summed over the scope's units from the rollup (one statement when the
    running month is kept)."""
    now_month, then_month = month_start(today), month_start(then)
    rows = MinimumLevelMonth.objects.visible_to(actor, "view")
    per_month, _live, _kept = monthly_by_unit(
        rows, scope.municipality_id, scope.unit_ids, [then_month, now_month], today
    )
    now, earlier = (
        Figures().add_all(per_month[month].values()) for month in (now_month, then_month)
    )
    return {
        "cases_now": now.adults,
        "unknown_now": now.unknown_parents + now.unanswered_parents,
        "cases_then": earlier.adults,
        "unknown_then": earlier.unknown_parents + earlier.unanswered_parents,
    }


def attention(actor: User, today: datetime.date | None = None) -> Attention:
    """The panel's figures for ``actor``'s scope (four statements with the scope's)."""
    today = today or timezone.localdate()
    scope = Scope.for_actor(actor)
    last_month = add_months(month_start(today), -1)
    then = _three_months_before(today)
    return Attention(
        overdue=overdue(scope, today),
        lowest=lowest(actor, scope, last_month),
        last_month=last_month,
        then=then,
        units=list(scope.units),
        **unknown_shares(actor, scope, today, then),
    )


def per_cent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def attention_panel(request: Any, _obj: Any = None) -> Panel | None:
    """The start page's "Behöver uppmärksamhet" for unit managers and heads of services
    (counts only: nothing to audit as a read)."""
    user = request.user
    if not (user.is_authenticated and user.municipality_id and dashboard_units(user)):
        return None
    found = attention(user)
    context = {
        "found": found,
        "now": per_cent(found.share_now),
        "then_share": per_cent(found.share_then),
        "lowest": [(row, per_cent(row.share)) for row in found.lowest],
        "has_queue": bool(queue.managed_units(user)),
    }
    return Panel("followup/_start_attention.html", context, order=5)
