"""Reads for the catalogue, family plans, referrals and placements, each starting from
visible_to(user, action); reads of personal data are audited."""

from django.db.models import Prefetch, Q
from django.http import Http404

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.family.access import coordinated_work_ids
from kinsight.family.models import FamilyWork
from kinsight.interventions.models import (
    ContactEvent,
    ContactPlan,
    FamilyPlan,
    Intervention,
    Placement,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
    PlanRevision,
    Referral,
    ReferralStep,
)

REFERRAL_TYPE = "interventions.referral"
PLACEMENT_TYPE = "interventions.placement"
PLAN_INTERVENTION_TYPE = "interventions.planintervention"
REVISION_TYPE = "interventions.planrevision"


def _get(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# The catalogue ------------------------------------------------------------------------


def interventions(*, actor, search="", target="", include_inactive=False):
    found = Intervention.objects.visible_to(actor, "view").select_related("provider_unit")
    if not include_inactive:
        found = found.filter(is_active=True)
    if target:
        found = found.filter(target=target)
    for word in (search or "").split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider_name__icontains=word)
            | Q(code__icontains=word)
        )
    return found.order_by("name", "pk")


def intervention_get(*, actor, pk, action="view"):
    return _get(Intervention.objects.visible_to(actor, action), pk)


def can_edit_catalogue(actor):
    return bool(actor.is_authenticated and actor.is_administrator)


# Family work --------------------------------------------------------------------------


def family_work_get(*, actor, pk):
    """The family work as its participants see it (404 for others). Not audited: the
    family work's summary is no personal data; the pages audit what they show."""
    return _get(FamilyWork.objects.visible_to(actor, "view"), pk)


def is_coordinator(*, actor, family_work):
    return FamilyWork.objects.filter(pk=family_work.pk, pk__in=coordinated_work_ids(actor)).exists()


# The family plan ----------------------------------------------------------------------


def _plan_interventions(queryset):
    return queryset.select_related(
        "intervention", "responsible_unit", "responsible", "goal"
    ).prefetch_related(Prefetch("follow_ups", queryset=PlanFollowUp.objects.order_by("due_on")))


def plan_overview(*, actor, family_work):
    """What the plan page shows: the plan (None if not visible or not made), its
    goals with the interventions the actor sees, and the actor's own interventions in
    a plan they may not see as a whole. Audited as reads."""
    plan = FamilyPlan.objects.visible_to(actor, "view").filter(family_work=family_work).first()
    own = []
    goals = []
    if plan is not None:
        plan.family_work = family_work
        items = list(
            _plan_interventions(
                PlanIntervention.objects.visible_to(actor, "view").filter(plan=plan)
            ).order_by("start_on", "pk")
        )
        by_goal = {}
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


def plan_exists(*, family_work):
    return FamilyPlan.objects.filter(family_work=family_work).exists()


def plan_history(*, actor, family_work):
    plan = FamilyPlan.objects.visible_to(actor, "view").filter(family_work=family_work).first()
    if plan is None:
        raise Http404
    revisions = list(
        PlanRevision.objects.visible_to(actor, "view")
        .filter(plan=plan)
        .select_related("saved_by")
        .order_by("-version")
    )
    audit_read_many(actor=actor, objects=revisions, object_type=REVISION_TYPE)
    return plan, revisions


def goal_get(*, actor, pk, action="view"):
    return _get(PlanGoal.objects.visible_to(actor, action).select_related("plan"), pk)


def plan_intervention_get(*, actor, pk, action="view", audit=True):
    item = _get(
        _plan_interventions(PlanIntervention.objects.visible_to(actor, action)).select_related(
            "plan__family_work"
        ),
        pk,
    )
    if audit:
        audit_read(actor=actor, obj=item)
    return item


def follow_up_get(*, actor, pk, action="view"):
    return _get(
        PlanFollowUp.objects.visible_to(actor, action).select_related(
            "plan_intervention__plan__family_work", "plan_intervention__intervention"
        ),
        pk,
    )


# Referrals ----------------------------------------------------------------------------


def _referrals(queryset):
    return queryset.select_related(
        "person", "from_unit", "to_unit", "intervention", "sent_by", "family_work"
    )


def referral_lists(*, actor, status=""):
    """Referrals received by the actor's units and sent from them. Audited."""
    received = Referral.objects.visible_to(actor, "view").received_by(actor)
    sent = Referral.objects.visible_to(actor, "view").sent_by(actor)
    if status:
        received = received.filter(status=status)
        sent = sent.filter(status=status)
    return _referrals(received).order_by("-sent_on", "-pk"), _referrals(sent).order_by(
        "-sent_on", "-pk"
    )


def referrals_for_work(*, actor, family_work):
    found = list(
        _referrals(Referral.objects.visible_to(actor, "view").filter(family_work=family_work))
    )
    audit_read_many(actor=actor, objects=found, object_type=REFERRAL_TYPE)
    return found


def audit_list(*, actor, objects, object_type):
    audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def referral_get(*, actor, pk, action="view", audit=True):
    referral = _get(
        _referrals(Referral.objects.visible_to(actor, action)).prefetch_related(
            Prefetch(
                "steps",
                queryset=ReferralStep.objects.select_related("by", "unit").order_by("on", "pk"),
            )
        ),
        pk,
    )
    if audit:
        audit_read(actor=actor, obj=referral)
    return referral


# Placements ---------------------------------------------------------------------------


def placements_for_work(*, actor, family_work):
    found = list(
        Placement.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("child", "responsible_unit")
    )
    audit_read_many(actor=actor, objects=found, object_type=PLACEMENT_TYPE)
    return found


def placement_get(*, actor, pk, action="view", audit=True):
    placement = _get(
        Placement.objects.visible_to(actor, action).select_related(
            "child", "responsible_unit", "family_work"
        ),
        pk,
    )
    if audit:
        audit_read(actor=actor, obj=placement)
    return placement


def contact_plans(*, actor, placement):
    plans = list(
        ContactPlan.objects.visible_to(actor, "view")
        .filter(placement=placement)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ContactEvent.objects.visible_to(actor, "view")
                .select_related("recorded_by")
                .order_by("-on", "-pk"),
            )
        )
    )
    audit_read_many(actor=actor, objects=plans, object_type="interventions.contactplan")
    events = [event for plan in plans for event in plan.events.all()]
    audit_read_many(actor=actor, objects=events, object_type="interventions.contactevent")
    return plans


def contact_plan_get(*, actor, pk, action="view"):
    return _get(
        ContactPlan.objects.visible_to(actor, action).select_related("placement", "parent"), pk
    )
