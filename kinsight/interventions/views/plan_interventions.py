"""Interventions in the family plan and their follow-ups."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.interventions import queries, services
from kinsight.interventions.forms import (
    FollowUpForm,
    OutcomeForm,
    PlanInterventionEditForm,
    PlanInterventionForm,
)
from kinsight.interventions.models import PlanGoal
from kinsight.interventions.views.common import FAMILY_NAV, coordinated_work, plan_version
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail
from kinsight.ui.routes import route


@route("familjearenden/<int:pk>/plan/insatser/ny/", name="plan_intervention_new")
def plan_intervention_new(request, pk):
    family_work = coordinated_work(request, pk)
    goals = PlanGoal.objects.visible_to(request.user, "change").filter(
        plan__family_work=family_work
    )
    initial = {"plan_version": plan_version(family_work)}
    if request.GET.get("goal"):
        initial["goal"] = request.GET["goal"]
    form = PlanInterventionForm(
        request.POST or None, user=request.user, goals=goals, initial=initial
    )
    fields = ("goal", "intervention", "responsible_unit", "responsible", "start_on", "end_on")
    fields += ("note", "follow_up_dates", "plan_version")
    return form_page(
        request,
        form,
        call_with(
            services.plan_intervention_add, *fields, actor=request.user, family_work=family_work
        ),
        done=_("Insatsen är sparad i planen."),
        back_to=reverse("interventions:plan", args=[family_work.pk]),
        template="interventions/plan_form.html",
        context={
            "work": family_work,
            "title": _("Ny insats i planen"),
            "no_goals": not goals.exists(),
            "nav": FAMILY_NAV,
        },
    )


def _goal_visible(user, item):
    """The responsible unit may act on its intervention without seeing the whole plan:
    the goal (its text and the perspective, which names family members) follows the
    goal's own rule (whole-family consent)."""
    return PlanGoal.objects.visible_to(user, "view").filter(pk=item.goal_id).exists()


ITEM_FIELDS = ("responsible_unit", "responsible", "start_on", "end_on", "note")


def _edit_form(request, item, data=None):
    initial = {"version": item.version} | {name: getattr(item, name) for name in ITEM_FIELDS}
    initial |= {"responsible_unit": item.responsible_unit_id, "responsible": item.responsible_id}
    return PlanInterventionEditForm(data, user=request.user, initial=initial)


def _item_context(request, item, follow_up_form=None):
    """The plan intervention's page: its edit form goes in as ``form``."""
    return {
        "item": item,
        "work": item.plan.family_work,
        "follow_up_form": follow_up_form or FollowUpForm(),
        "follow_ups": list(item.follow_ups.all()),
        "goal_visible": _goal_visible(request.user, item),
        "nav": FAMILY_NAV,
    }


@route("familjeplan/insatser/<int:pk>/", name="plan_intervention")
def plan_intervention_edit(request, pk):
    item = queries.plan_intervention_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, item)
    return form_page(
        request,
        _edit_form(request, item, request.POST or None),
        call_with(
            services.plan_intervention_update,
            "version",
            *ITEM_FIELDS,
            actor=request.user,
            plan_intervention=item,
        ),
        done=_("Insatsen är sparad i planen."),
        back_to=reverse("interventions:plan", args=[item.plan.family_work_id]),
        template="interventions/plan_intervention.html",
        context=_item_context(request, item),
    )


@route("familjeplan/insatser/<int:pk>/uppfoljningar/", name="follow_up_new")
@require_POST
def follow_up_new(request, pk):
    """A follow-up date added from the plan intervention's page; refused, that page
    again with the date's error (400)."""
    item = queries.plan_intervention_for_change(actor=request.user, pk=pk)
    return post_on_detail(
        request,
        FollowUpForm(request.POST),
        call_with(services.follow_up_add, "due_on", actor=request.user, plan_intervention=item),
        done=_("Uppföljningen är inlagd."),
        back_to=reverse("interventions:plan_intervention", args=[item.pk]),
        template="interventions/plan_intervention.html",
        context=lambda form: (
            {"form": _edit_form(request, item)} | _item_context(request, item, form)
        ),
    )


@route("familjeplan/uppfoljningar/<int:pk>/", name="follow_up")
def follow_up_record(request, pk):
    follow_up = queries.follow_up_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, follow_up)
    item = follow_up.plan_intervention
    fields = ("outcome", "outcome_on", "note")
    initial = {"version": follow_up.version} | {n: getattr(follow_up, n) for n in fields}
    form = OutcomeForm(request.POST or None, prefix=f"f{follow_up.pk}", initial=initial)
    return form_page(
        request,
        form,
        call_with(
            services.follow_up_record, "version", *fields, actor=request.user, follow_up=follow_up
        ),
        done=_("Uppföljningen är sparad."),
        back_to=reverse("interventions:plan", args=[item.plan.family_work_id]),
        template="interventions/plan_form.html",
        context={
            "follow_up": follow_up,
            "item": item,
            "work": item.plan.family_work,
            "title": _("Uppföljning av %(name)s") % {"name": item.intervention},
            "goal_visible": _goal_visible(request.user, item),
            "nav": FAMILY_NAV,
        },
    )
