"""Interventions in the family plan and their follow-ups."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.services import audit_updated
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, save_changes, update_audited
from kinsight.core.validation import not_future, today
from kinsight.family.models import FamilyWork
from kinsight.family.rules import refuse_closed
from kinsight.interventions.models import (
    Intervention,
    Outcome,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
)
from kinsight.interventions.rules import check_responsibility
from kinsight.interventions.services.family_plan import (
    plan_for_change,
    plan_locked,
    plan_revise,
    require_coordinator,
)

PLAN_INTERVENTION_FIELDS = [
    "plan",
    "goal",
    "intervention",
    "responsible_unit",
    "responsible",
    "start_on",
    "end_on",
]
PLAN_INTERVENTION_EDIT_FIELDS = ["responsible_unit", "responsible", "start_on", "end_on", "note"]
FOLLOW_UP_FIELDS = ["plan_intervention", "due_on", "outcome", "outcome_on"]


def plan_intervention_add(
    *,
    actor: User,
    family_work: FamilyWork,
    goal: PlanGoal | None,
    intervention: Intervention | None,
    responsible_unit: OrgUnit | None,
    start_on: datetime.date | None,
    end_on: datetime.date | None = None,
    responsible: User | None = None,
    note: str = "",
    follow_up_dates: Iterable[datetime.date] = (),
    expected_version: int | None,
) -> PlanIntervention:
    """An intervention of the catalogue towards a goal of the plan (coordinator), with
    its follow-up dates."""
    require_coordinator(actor, family_work)
    refuse_closed(family_work)
    if goal is None or goal.plan.family_work_id != family_work.pk:
        raise ValidationError({"goal": _("Välj ett av planens mål.")})
    if intervention is None or intervention.municipality_id != actor.municipality_id:
        raise ValidationError({"intervention": _("Välj en insats ur katalogen.")})
    if not intervention.is_active:
        raise ValidationError({"intervention": _("Insatsen erbjuds inte längre.")})
    start_on, responsible_unit = check_responsibility(
        actor, family_work, start_on, end_on, responsible_unit, responsible
    )
    dates = sorted(set(follow_up_dates or ()))
    if dates and dates[0] < start_on:
        raise ValidationError(
            {"follow_up_dates": _("En uppföljning kan inte ligga före insatsens start.")}
        )
    with transaction.atomic():
        plan = plan_for_change(actor, family_work, expected_version)
        item = create_audited(
            actor,
            PlanIntervention,
            PLAN_INTERVENTION_FIELDS,
            plan=plan,
            goal=goal,
            intervention=intervention,
            responsible_unit=responsible_unit,
            responsible=responsible,
            start_on=start_on,
            end_on=end_on,
            note=note or "",
            created_by=actor,
        )
        for day in dates:
            create_audited(
                actor, PlanFollowUp, FOLLOW_UP_FIELDS, plan_intervention=item, due_on=day
            )
        plan_revise(actor, plan, _("Insats tillagd: %(name)s") % {"name": intervention})
        return item


def plan_intervention_update(
    *,
    actor: User,
    plan_intervention: PlanIntervention,
    expected_version: int | None,
    responsible_unit: OrgUnit | None,
    start_on: datetime.date | None,
    end_on: datetime.date | None = None,
    responsible: User | None = None,
    note: str = "",
) -> PlanIntervention:
    """Change dates, responsibility or note (coordinator or responsible unit)."""
    require(PlanIntervention.objects.visible_to(actor, "change"), plan_intervention)
    family_work = plan_intervention.plan.family_work
    refuse_closed(family_work)
    start_on, responsible_unit = check_responsibility(
        actor, family_work, start_on, end_on, responsible_unit, responsible
    )
    with transaction.atomic():
        plan = plan_locked(actor, family_work)
        changes = save_changes(
            plan_intervention,
            {
                "responsible_unit": responsible_unit,
                "responsible": responsible,
                "start_on": start_on,
                "end_on": end_on,
                "note": note or "",
            },
            expected_version=expected_version,
        )
        if "note" in changes:  # the text stays out of the log
            changes["note"] = ["", "(ändrad)"]
        audit_updated(actor, plan_intervention, changes)
        plan_revise(
            actor, plan, _("Insats ändrad: %(name)s") % {"name": plan_intervention.intervention}
        )
        return plan_intervention


def follow_up_add(
    *, actor: User, plan_intervention: PlanIntervention, due_on: datetime.date | None
) -> PlanFollowUp:
    require(PlanIntervention.objects.visible_to(actor, "change"), plan_intervention)
    family_work = plan_intervention.plan.family_work
    refuse_closed(family_work)
    if due_on is None:
        raise ValidationError({"due_on": _("Ange datum för uppföljningen.")})
    if due_on < plan_intervention.start_on:
        raise ValidationError({"due_on": _("En uppföljning kan inte ligga före insatsens start.")})
    with transaction.atomic():
        plan = plan_locked(actor, family_work)
        follow_up = create_audited(
            actor,
            PlanFollowUp,
            FOLLOW_UP_FIELDS,
            plan_intervention=plan_intervention,
            due_on=due_on,
        )
        plan_revise(
            actor,
            plan,
            _("Uppföljning %(day)s tillagd för %(name)s")
            % {"day": due_on.isoformat(), "name": plan_intervention.intervention},
        )
        return follow_up


def follow_up_record(
    *,
    actor: User,
    follow_up: PlanFollowUp,
    expected_version: int | None,
    outcome: str,
    outcome_on: datetime.date | None = None,
    note: str = "",
) -> PlanFollowUp:
    """The outcome of a follow-up: goal met, partly or not, with the day and a note."""
    require(PlanFollowUp.objects.visible_to(actor, "change"), follow_up)
    item = follow_up.plan_intervention
    refuse_closed(item.plan.family_work)
    outcome_on = outcome_on or today()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Välj om målet är uppnått, delvis eller inte.")})
    not_future(outcome_on, "outcome_on", _("Datum för uppföljningen"))
    with transaction.atomic():
        plan = plan_locked(actor, item.plan.family_work)
        update_audited(
            actor,
            follow_up,
            {
                "outcome": outcome,
                "outcome_on": outcome_on,
                "note": note or "",
                "recorded_by": actor,
            },
            expected_version=expected_version,
            audited=FOLLOW_UP_FIELDS,
        )
        plan_revise(
            actor,
            plan,
            _("Uppföljning av %(name)s: %(outcome)s")
            % {"name": item.intervention, "outcome": follow_up.get_outcome_display()},
        )
        return follow_up
