"""Reads of the family plan: the page, its history, the rows a change acts on, and
the whole plan as data (each revision's snapshot)."""

from typing import Any, TypedDict, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from kinsight.access.lists import audited_list
from kinsight.access.querysets import TenantQuerySet
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.models import User
from kinsight.family.models import FamilyWork
from kinsight.interventions.models import (
    FamilyPlan,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
    PlanRevision,
)
from kinsight.interventions.queries.common import PLAN_INTERVENTION_TYPE, row_for_change, row_or_404

_Items = TypeVar("_Items", bound=QuerySet[PlanIntervention])


def _plan_interventions(queryset: _Items) -> _Items:
    return queryset.select_related(
        "intervention", "responsible_unit", "responsible", "goal"
    ).prefetch_related(Prefetch("follow_ups", queryset=PlanFollowUp.objects.order_by("due_on")))


class PlanOverview(TypedDict):
    """What the plan page shows (``plan_overview``)."""

    plan: FamilyPlan | None
    goals: list[PlanGoal]
    own_items: list[PlanIntervention]


def plan_overview(*, actor: User, family_work: FamilyWork) -> PlanOverview:
    """What the plan page shows: the plan (None if not visible or not made), its
    goals with the interventions the actor sees, and the actor's own interventions in
    a plan they may not see as a whole. Audited as reads."""
    plan = FamilyPlan.objects.visible_to(actor, "view").filter(family_work=family_work).first()
    own: list[PlanIntervention] = []
    goals: list[PlanGoal] = []
    if plan is not None:
        plan.family_work = family_work
        items = list(
            _plan_interventions(
                PlanIntervention.objects.visible_to(actor, "view").filter(plan=plan)
            ).order_by("start_on", "pk")
        )
        by_goal: dict[int | None, list[PlanIntervention]] = {}
        for item in items:
            by_goal.setdefault(item.goal_id, []).append(item)
        goals = list(PlanGoal.objects.visible_to(actor, "view").filter(plan=plan).order_by("pk"))
        for goal in goals:
            goal.items = by_goal.get(goal.pk, [])
        audit_read(actor=actor, obj=plan)
        audit_read_many(actor=actor, objects=items, object_type=PLAN_INTERVENTION_TYPE)
    else:
        own = list(
            _plan_interventions(
                PlanIntervention.objects.visible_to(actor, "view").filter(
                    plan__family_work=family_work
                )
            ).order_by("start_on", "pk")
        )
        audit_read_many(actor=actor, objects=own, object_type=PLAN_INTERVENTION_TYPE)
    return {"plan": plan, "goals": goals, "own_items": own}


def plan_exists(*, family_work: FamilyWork) -> bool:
    return FamilyPlan.objects.filter(family_work=family_work).exists()


def plan_history(*, actor: User, family_work: FamilyWork) -> tuple[FamilyPlan, list[PlanRevision]]:
    plan = FamilyPlan.objects.visible_to(actor, "view").filter(family_work=family_work).first()
    if plan is None:
        raise Http404
    revisions = audited_list(
        actor, PlanRevision, plan=plan, related=("saved_by",), order=("-version",)
    )
    return plan, revisions


def goal_for_change(*, actor: User, pk: int) -> PlanGoal:
    return row_for_change(actor, PlanGoal.objects.select_related("plan__family_work"), pk)


def _plan_items() -> TenantQuerySet[PlanIntervention, PlanIntervention]:
    return _plan_interventions(PlanIntervention.objects.select_related("plan__family_work"))


def plan_intervention_get(*, actor: User, pk: int) -> PlanIntervention:
    """The plan intervention for its page (404 when not seen); the read audited."""
    item = row_or_404(_plan_items().visible_to(actor, "view"), pk)
    audit_read(actor=actor, obj=item)
    return item


def plan_intervention_for_change(*, actor: User, pk: int) -> PlanIntervention:
    return row_for_change(actor, _plan_items(), pk)


def follow_up_for_change(*, actor: User, pk: int) -> PlanFollowUp:
    rows = PlanFollowUp.objects.select_related(
        "plan_intervention__plan__family_work", "plan_intervention__intervention"
    )
    return row_for_change(actor, rows, pk)


def plan_snapshot(plan: FamilyPlan) -> dict[str, Any]:
    """The whole plan as data: goals with their interventions and follow-ups."""
    interventions: dict[int | None, list[dict[str, Any]]] = {}
    for item in (
        PlanIntervention.objects.filter(plan=plan)
        .select_related("intervention", "responsible_unit", "responsible")
        .prefetch_related("follow_ups")
        .order_by("start_on", "pk")
    ):
        interventions.setdefault(item.goal_id, []).append(
            {
                "id": item.pk,
                "intervention": item.intervention.name,
                "responsible_unit": item.responsible_unit.name,
                "responsible": str(item.responsible) if item.responsible_id else "",
                "start_on": item.start_on.isoformat(),
                "end_on": item.end_on.isoformat() if item.end_on else None,
                "note": item.note,
                "follow_ups": [
                    {
                        "due_on": f.due_on.isoformat(),
                        "outcome": f.get_outcome_display() if f.outcome else "",
                        "outcome_on": f.outcome_on.isoformat() if f.outcome_on else None,
                        "note": f.note,
                    }
                    for f in sorted(item.follow_ups.all(), key=lambda f: (f.due_on, f.pk))
                ],
            }
        )
    return {
        "goals": [
            {
                "id": goal.pk,
                "perspective_key": goal.perspective_key,
                "perspective": goal.perspective_label,
                "text": goal.text,
                "interventions": interventions.get(goal.pk, []),
            }
            for goal in PlanGoal.objects.filter(plan=plan).order_by("pk")
        ]
    }
