"""Reads of the groups' catalogue and the head of services' reports: providers with
their grants, programmes with their plans, the leader register and where leaders are
missing, the reach as a table, and the audit row of an exported report. The catalogue
is reference data (no client's personal data): read through visible_to, not audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, Prefetch, Value, When

from kinsight.access.lists import visible_list
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.groups import queries
from kinsight.groups.models import (
    LeaderTraining,
    Point,
    Programme,
    ProgrammeMeasure,
    Provider,
    TargetGroup,
)

# A plan reads in the order it is measured: before, after, follow-up.
PLAN_ORDER = (
    "instrument__name",
    Case(*(When(point=p, then=Value(i)) for i, p in enumerate(Point)), default=Value(9)),
)


def programme_plan(*, actor: User, programme: Programme) -> list[ProgrammeMeasure]:
    return list(
        ProgrammeMeasure.objects.visible_to(actor, "view")
        .filter(programme=programme)
        .select_related("instrument")
        .order_by(*PLAN_ORDER)
    )


@dataclass
class Catalogue:
    providers: list[Provider]
    programmes: list[Programme]


def catalogue(*, actor: User) -> Catalogue:
    """Every provider with its grants (latest year first) and every programme with its
    provider and measurement plan: four queries, whatever their number."""
    measures = ProgrammeMeasure.objects.select_related("instrument").order_by(*PLAN_ORDER)
    plan = Prefetch("measures", queryset=measures)
    return Catalogue(
        providers=visible_list(actor, Provider, related=("unit",), prefetch=("grants",)),
        programmes=visible_list(actor, Programme, related=("provider",), prefetch=(plan,)),
    )


@dataclass
class Gap:
    """A district without a leader trained for an active programme."""

    district: OrgUnit
    programmes: list[Programme]


@dataclass
class LeaderRegister:
    trainings: list[LeaderTraining]
    gaps: list[Gap]


def leader_register(*, actor: User) -> LeaderRegister:
    """The trained leaders, and the districts (org nodes of kind district) with no
    active leader trained for an active programme: three queries."""
    trainings = visible_list(actor, LeaderTraining, related=("leader", "district", "programme"))
    active = visible_list(actor, Programme, is_active=True)
    districts = visible_list(
        actor, OrgUnit, kind=NodeKind.DISTRICT, is_active=True, order=("name",)
    )
    covered = {(t.district_id, t.programme_id) for t in trainings if t.leader.is_active}
    gaps = []
    for district in districts:
        missing = [p for p in active if (district.pk, p.pk) not in covered]
        if missing:
            gaps.append(Gap(district, missing))
    return LeaderRegister(trainings=trainings, gaps=gaps)


TARGETS = list(TargetGroup)


@dataclass
class ReachRow:
    provider: str
    district: str
    total: dict[str, int] = field(default_factory=dict)  # per target group
    anonymous: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(participants, of whom anonymous) per target group, in TARGETS' order."""
        return [(self.total.get(t, 0), self.anonymous.get(t, 0)) for t in TARGETS]

    @property
    def sum(self) -> tuple[int, int]:
        return sum(self.total.values()), sum(self.anonymous.values())


@dataclass
class Reach:
    year: int
    rows: list[ReachRow]
    totals: ReachRow


def reach_table(*, actor: User, year: int) -> Reach:
    """``queries.reach`` as a table: a row per provider and district, a column per
    target group, with the totals (PermissionDenied unless the actor keeps the groups)."""
    rows: dict[tuple[str, str], ReachRow] = {}
    totals = ReachRow("", "")
    for found in queries.reach(actor=actor, year=year):
        key = (found["cycle__programme__provider__name"], found["cycle__district__name"])
        row = rows.setdefault(key, ReachRow(*key))
        target = found["cycle__programme__target_group"]
        for each in (row, totals):
            each.total[target] = each.total.get(target, 0) + found["total"]
            each.anonymous[target] = each.anonymous.get(target, 0) + found["anonymous"]
    return Reach(year=year, rows=list(rows.values()), totals=totals)


def report_export(*, actor: User, report: str, fmt: str, filters: dict[str, Any]) -> None:
    """Record that a report (``effect`` or ``reach``: aggregates, no participant) was
    exported, with the choices it was made from."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type=f"groups.{report}",
            object_id="*",
            changes={"format": fmt, "filters": filters},
        )
