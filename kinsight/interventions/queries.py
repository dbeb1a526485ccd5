"""Reads for the catalogue, family plans, referrals and placements, each starting from
visible_to(user, action); reads of personal data are audited."""

from django.db.models import Prefetch, Q
from django.http import Http404

from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.family.access import (
    consent_covers_unit,
    coordinated_work_ids,
    in_force_q,
    participations,
    work_unit_ids,
)
from kinsight.family.models import Consent, ConsentPurpose, FamilyWork
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


def _for_change(actor, queryset, pk):
    """The row ``pk`` the actor is about to change: 404 when they do not see it, 403
    when they may not change it. Not audited: the write that follows is."""
    return get_for(actor, queryset, pk, "change")


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


def goal_for_change(*, actor, pk):
    return _for_change(actor, PlanGoal.objects.select_related("plan__family_work"), pk)


def _plan_items():
    return _plan_interventions(PlanIntervention.objects.select_related("plan__family_work"))


def plan_intervention_get(*, actor, pk):
    """The plan intervention for its page (404 when not seen); the read audited."""
    item = _get(_plan_items().visible_to(actor, "view"), pk)
    audit_read(actor=actor, obj=item)
    return item


def plan_intervention_for_change(*, actor, pk):
    return _for_change(actor, _plan_items(), pk)


def follow_up_for_change(*, actor, pk):
    rows = PlanFollowUp.objects.select_related(
        "plan_intervention__plan__family_work", "plan_intervention__intervention"
    )
    return _for_change(actor, rows, pk)


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


def _referral_rows(actor):
    steps = ReferralStep.objects.select_related("by", "unit").order_by("on", "pk")
    return _referrals(Referral.objects.visible_to(actor, "view")).prefetch_related(
        Prefetch("steps", queryset=steps)
    )


def referral_get(*, actor, pk):
    """The referral for its page (404 when not seen); the read audited."""
    referral = _get(_referral_rows(actor), pk)
    audit_read(actor=actor, obj=referral)
    return referral


def referral_for_step(*, actor, pk):
    """The referral a step is posted to (404 when not seen). Not audited: the step
    that follows is; who may take it is the acting unit's (referral_acting_unit)."""
    return _get(_referral_rows(actor), pk)


# Placements ---------------------------------------------------------------------------


def placements_for_work(*, actor, family_work):
    found = list(
        Placement.objects.visible_to(actor, "view")
        .filter(family_work=family_work)
        .select_related("child", "responsible_unit")
    )
    audit_read_many(actor=actor, objects=found, object_type=PLACEMENT_TYPE)
    return found


def _placement_rows():
    return Placement.objects.select_related("child", "responsible_unit", "family_work")


def placement_get(*, actor, pk):
    """The placement for its page (404 when not seen); the read audited. It carries
    ``may_change``, read with it."""
    placement = get_for(actor, _placement_rows(), pk, flags=("change",))
    audit_read(actor=actor, obj=placement)
    return placement


def placement_for_change(*, actor, pk):
    return _for_change(actor, _placement_rows(), pk)


def placement_may_change(*, actor, placement):
    """Read with the placement (``may_change``) when it came from here, else asked."""
    if hasattr(placement, "may_change"):
        return placement.may_change
    return Placement.objects.visible_to(actor, "change").filter(pk=placement.pk).exists()


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


def contact_plan_for_change(*, actor, pk):
    return _for_change(actor, ContactPlan.objects.select_related("placement", "parent"), pk)


# Read by the services: the plan as data, consent, the acting unit -----------------


def plan_snapshot(plan):
    """The whole plan as data: goals with their interventions and follow-ups."""
    interventions = {}
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


def referral_consent(*, family_work, person, to_unit=None, on=None):
    """The consent a referral relies on, or None: for a unit, a consent in force for
    purpose REFERRAL naming it or for all units while it takes part
    (consent_covers_unit); for an external provider, one for all units."""
    consents = Consent.objects.filter(
        family_work=family_work, person=person, purpose=ConsentPurpose.REFERRAL
    ).filter(in_force_q(on))
    if to_unit is None:
        return consents.filter(all_units=True).order_by("-valid_from", "-pk").first()
    if not consent_covers_unit(
        family_work=family_work,
        person=person,
        unit=to_unit,
        purpose=ConsentPurpose.REFERRAL,
        on=on,
    ):
        return None
    named = consents.filter(consent_units__unit=to_unit).order_by("-valid_from", "-pk").first()
    return named or consents.filter(all_units=True).order_by("-valid_from", "-pk").first()


def sending_unit(actor, family_work):
    """The actor's participating unit in the family work (the first, coordinator's
    first), or None."""
    found = (
        participations(actor)
        .filter(family_work_id=family_work.pk)
        .select_related("unit")
        .order_by("-is_coordinator", "pk")
        .first()
    )
    return found.unit if found is not None else None


def referral_acting_unit(actor, referral):
    """The unit through which ``actor`` may take the referral's next step, or None:
    the receiving unit; for an external provider the sending unit."""
    if not Referral.objects.visible_to(actor, "change").filter(pk=referral.pk).exists():
        return None
    units = work_unit_ids(actor)
    if referral.is_external:
        if referral.from_unit_id in units or referral.sent_by_id == actor.pk:
            return referral.from_unit
        return None
    if referral.to_unit_id in units:
        return referral.to_unit
    return None


def can_place(actor, family_work):
    if not participations(actor).filter(family_work_id=family_work.pk).exists():
        return False
    return bool(work_unit_ids(actor)) and (
        FamilyWork.objects.filter(pk=family_work.pk, pk__in=coordinated_work_ids(actor)).exists()
        or participations(actor)
        .filter(family_work_id=family_work.pk, unit_id__in=work_unit_ids(actor))
        .exists()
    )
