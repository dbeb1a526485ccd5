"""What needs the attention of a head of services or a unit manager this month: the
start page's panel "Behöver uppmärksamhet" (registered in apps.py). Counts only, for
the units the user sees figures for (dashboard_units / Scope.for_actor), each one
aggregate statement whatever the size of the municipality:

- overdue: concern reports received by the scope's units whose running clock
  (förhandsbedömning or utredning) has passed, by the work queue's own rule
  (ConcernReport.due_by of yesterday, as queue.deadlines uses it);
- lowest: the three units with the lowest minimum level last month, from the rollup
  (MinimumLevelMonth, units with children only);
- unknown: the share of open cases of adults whose child question is unknown or not
  asked, today against the same day three months ago (the answer as it stood then,
  minimum_level.answer_on); rising is a sign.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q
from django.utils import timezone

from kinsight.cases.models import Case
from kinsight.core.models import OrgUnit, User
from kinsight.detection.models import Answer, ConcernReport
from kinsight.followup import queue
from kinsight.followup.figures import Scope
from kinsight.followup.minimum_level import (
    add_months,
    adult_on_q,
    answer_on,
    month_start,
    open_on_q,
)
from kinsight.followup.models import MinimumLevelMonth, dashboard_units
from kinsight.ui.panels import Panel

LOWEST = 3
MONTHS_BACK = 3
NOT_KNOWN = [Answer.UNKNOWN, ""]


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
    month = add_months(month_start(day), -MONTHS_BACK)
    try:
        return month.replace(day=day.day)
    except ValueError:  # 31 May -> 28/29/30 February
        return add_months(month, 1) - datetime.timedelta(days=1)


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


def unknown_shares(scope: Scope, today: datetime.date, then: datetime.date) -> dict[str, int]:
    """Open adult cases now and then, and those whose answer was unknown or none."""
    now_open = open_on_q(today) & adult_on_q(today)
    then_open = open_on_q(then) & adult_on_q(then)
    cases = Case.objects.filter(
        Q(now_open) | Q(then_open),
        municipality_id=scope.municipality_id,
        unit_id__in=scope.unit_ids,
    ).annotate(answer_now=answer_on(today, live=True), answer_then=answer_on(then))
    return cases.aggregate(
        cases_now=Count("pk", filter=now_open),
        unknown_now=Count("pk", filter=now_open & Q(answer_now__in=NOT_KNOWN)),
        cases_then=Count("pk", filter=then_open),
        unknown_then=Count("pk", filter=then_open & Q(answer_then__in=NOT_KNOWN)),
    )


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
        **unknown_shares(scope, today, then),
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
