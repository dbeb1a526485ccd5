"""The family plan's page, its history and its goals."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.audit.services import audit_read_on_get
from kinsight.interventions import queries, services
from kinsight.interventions.forms import GoalEditForm, GoalForm
from kinsight.interventions.views.common import FAMILY_NAV, coordinated_work, plan_version
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


@route("familjearenden/<int:pk>/plan/", name="plan")
def plan_detail(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    overview = queries.plan_overview(actor=request.user, family_work=family_work)
    is_coordinator = queries.is_coordinator(actor=request.user, family_work=family_work)
    context = {
        "work": family_work,
        "is_coordinator": is_coordinator and not family_work.is_closed,
        "plan_made": overview["plan"] is not None or queries.plan_exists(family_work=family_work),
        "referrals": queries.referrals_for_work(actor=request.user, family_work=family_work),
        "placements": queries.placements_for_work(actor=request.user, family_work=family_work),
        "can_refer": queries.sending_unit(request.user, family_work) is not None
        and not family_work.is_closed,
        "can_place": queries.can_place(request.user, family_work) and not family_work.is_closed,
        "nav": FAMILY_NAV,
        **overview,
    }
    return render(request, "interventions/plan_detail.html", context)


@route("familjearenden/<int:pk>/plan/historik/", name="plan_history")
def plan_history(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    plan, revisions = queries.plan_history(actor=request.user, family_work=family_work)
    context = {"work": family_work, "plan": plan, "revisions": revisions, "nav": FAMILY_NAV}
    return render(request, "interventions/plan_history.html", context)


@route("familjearenden/<int:pk>/plan/mal/nytt/", name="goal_new")
def goal_new(request, pk):
    family_work = coordinated_work(request, pk)
    form = GoalForm(
        request.POST or None,
        family_work=family_work,
        initial={"plan_version": plan_version(family_work)},
    )
    return _goal_page(
        request,
        form,
        call_with(
            services.goal_add,
            "plan_version",
            "perspective_key",
            "text",
            actor=request.user,
            family_work=family_work,
        ),
        family_work,
        _("Nytt mål"),
    )


@route("familjeplan/mal/<int:pk>/", name="goal_edit")
def goal_edit(request, pk):
    goal = queries.goal_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, goal)
    family_work = goal.plan.family_work
    form = GoalEditForm(request.POST or None, initial={"version": goal.version, "text": goal.text})
    return _goal_page(
        request,
        form,
        call_with(services.goal_update, "version", "text", actor=request.user, goal=goal),
        family_work,
        _("Ändra mål: %(label)s") % {"label": goal.perspective_label},
    )


def _goal_page(request, form, call, family_work, title):
    """A goal's form page: saved, back to the plan."""
    return form_page(
        request,
        form,
        call,
        done=_("Målet är sparat i planen."),
        back_to=reverse("interventions:plan", args=[family_work.pk]),
        template="interventions/plan_form.html",
        context={"work": family_work, "title": title, "nav": FAMILY_NAV},
    )
