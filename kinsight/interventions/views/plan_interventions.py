"""Interventions in the family plan and their follow-ups."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read, audit_read_on_get
from kinsight.interventions import queries, services
from kinsight.interventions.forms import (
    FollowUpForm,
    OutcomeForm,
    PlanInterventionEditForm,
    PlanInterventionForm,
)
from kinsight.interventions.models import (
    PlanGoal,
)
from kinsight.interventions.views.common import (
    FAMILY_NAV,
    coordinated_work,
    plan_version,
    status_for,
)
from kinsight.ui.forms_flow import form_page, run_service


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.plan_intervention_add(
                actor=request.user,
                family_work=family_work,
                goal=data["goal"],
                intervention=data["intervention"],
                responsible_unit=data["responsible_unit"],
                responsible=data["responsible"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                note=data["note"],
                follow_up_dates=data["follow_up_dates"],
                expected_version=data["plan_version"],
            ),
        )
        if saved:
            messages.success(request, _("Insatsen är sparad i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    context = {
        "form": form,
        "work": family_work,
        "title": _("Ny insats i planen"),
        "no_goals": not goals.exists(),
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_form.html", context, status=status_for(form))


def _goal_visible(user, item):
    """The responsible unit may act on its intervention without seeing the whole plan:
    the goal (its text and the perspective, which names family members) follows the
    goal's own rule (whole-family consent)."""
    return PlanGoal.objects.visible_to(user, "view").filter(pk=item.goal_id).exists()


def plan_intervention_edit(request, pk):
    item = queries.plan_intervention_for_change(actor=request.user, pk=pk)
    if request.method == "GET":
        audit_read(actor=request.user, obj=item)
    family_work = item.plan.family_work
    goal_visible = _goal_visible(request.user, item)
    form = PlanInterventionEditForm(
        request.POST or None,
        user=request.user,
        initial={
            "version": item.version,
            "responsible_unit": item.responsible_unit_id,
            "responsible": item.responsible_id,
            "start_on": item.start_on,
            "end_on": item.end_on,
            "note": item.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.plan_intervention_update(
                actor=request.user,
                plan_intervention=item,
                expected_version=data["version"],
                responsible_unit=data["responsible_unit"],
                responsible=data["responsible"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Insatsen är sparad i planen."))
            return redirect("interventions:plan", pk=family_work.pk)
    follow_up_form = FollowUpForm()
    context = {
        "form": form,
        "item": item,
        "work": family_work,
        "follow_up_form": follow_up_form,
        "follow_ups": list(item.follow_ups.all()),
        "goal_visible": goal_visible,
        "nav": FAMILY_NAV,
    }
    return render(request, "interventions/plan_intervention.html", context, status=status_for(form))


@require_POST
def follow_up_new(request, pk):
    item = queries.plan_intervention_for_change(actor=request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.follow_up_add(
                actor=request.user, plan_intervention=item, due_on=form.cleaned_data["due_on"]
            ),
        )
        if saved:
            messages.success(request, _("Uppföljningen är inlagd."))
            return redirect("interventions:plan_intervention", pk=item.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("interventions:plan_intervention", pk=item.pk)


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
        lambda data: services.follow_up_record(
            actor=request.user,
            follow_up=follow_up,
            expected_version=data["version"],
            **{name: data[name] for name in fields},
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
