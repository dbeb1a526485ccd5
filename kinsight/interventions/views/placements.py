"""Placements of a child, their contact plans and contact events."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.interventions import queries, services
from kinsight.interventions.forms import (
    ContactEventForm,
    ContactPlanForm,
    PlacementEndForm,
    PlacementForm,
)
from kinsight.interventions.views.common import FAMILY_NAV, current_members
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail
from kinsight.ui.routes import route


@route("familjearenden/<int:pk>/placeringar/ny/", name="placement_new")
def placement_new(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if not queries.can_place(request.user, family_work):
        raise PermissionDenied
    form = PlacementForm(
        request.POST or None, user=request.user, members=current_members(request, family_work)
    )
    fields = ("child", "kind", "place", "responsible_unit", "start_on", "end_on", "note")
    return form_page(
        request,
        form,
        call_with(services.placement_create, *fields, actor=request.user, family_work=family_work),
        done=_("Placeringen är registrerad."),
        back_to=lambda saved: reverse("interventions:placement_detail", args=[saved.pk]),
        template="interventions/plan_form.html",
        context={"work": family_work, "title": _("Ny placering"), "nav": FAMILY_NAV},
    )


def _placement_context(request, placement, **extra):
    can_change = queries.placement_may_change(actor=request.user, placement=placement)
    contact_plans = queries.contact_plans(actor=request.user, placement=placement)
    failed = extra.pop("event_plan", None)
    for plan in contact_plans:
        plan.event_form = None
        if can_change:
            plan.event_form = ContactEventForm(prefix=f"c{plan.pk}")
            if failed is not None and failed.pk == plan.pk:
                plan.event_form = extra.pop("event_form")
    context = {
        "placement": placement,
        "contact_plans": contact_plans,
        "can_change": can_change,
        "end_form": PlacementEndForm(initial={"version": placement.version})
        if can_change and placement.end_on is None
        else None,
        "contact_plan_form": ContactPlanForm(
            members=current_members(request, placement.family_work)
        )
        if can_change
        else None,
        "nav": FAMILY_NAV,
    }
    context.update(extra)
    return context


def _post_on_placement(request, placement, form, call, *, done, page_extra):
    """A form posted from the placement's page: saved, ``done`` and back to the page;
    else the page with the form (400)."""
    return post_on_detail(
        request,
        form,
        call,
        done=done,
        back_to=reverse("interventions:placement_detail", args=[placement.pk]),
        template="interventions/placement_detail.html",
        context=lambda form: _placement_context(request, placement, **page_extra(form)),
    )


@route("placeringar/<int:pk>/", name="placement_detail")
def placement_detail(request, pk):
    placement = queries.placement_get(actor=request.user, pk=pk)
    return render(
        request, "interventions/placement_detail.html", _placement_context(request, placement)
    )


# The changes posted from the placement's page: the form (of the POST and the
# placement; its fields are the service's arguments), its name on the page (shown again
# with its errors), the service and its message. One view serves them all.
PLACEMENT_CHANGES = {
    "end": (
        lambda request, placement: PlacementEndForm(request.POST),
        "end_form",
        services.placement_end,
        gettext_lazy("Placeringen är avslutad."),
    ),
    "contact_plan": (
        lambda request, placement: ContactPlanForm(
            request.POST, members=current_members(request, placement.family_work)
        ),
        "contact_plan_form",
        services.contact_plan_add,
        gettext_lazy("Umgänget är planerat."),
    ),
}


@route("placeringar/<int:pk>/avsluta/", name="placement_end", change="end")
@route("placeringar/<int:pk>/umgange/", name="contact_plan_new", change="contact_plan")
@require_POST
def placement_change(request, pk, change):
    """End the placement, or plan contact with a parent."""
    make_form, form_key, service, done = PLACEMENT_CHANGES[change]
    placement = queries.placement_for_change(actor=request.user, pk=pk)
    form = make_form(request, placement)
    return _post_on_placement(
        request,
        placement,
        form,
        call_with(service, *form.fields, actor=request.user, placement=placement),
        done=done,
        page_extra=lambda form: {form_key: form},
    )


@route("umgange/<int:pk>/tillfallen/", name="contact_event_new")
@require_POST
def contact_event_new(request, pk):
    contact_plan = queries.contact_plan_for_change(actor=request.user, pk=pk)
    placement = contact_plan.placement
    fields = ("on", "status", "note")
    return _post_on_placement(
        request,
        placement,
        ContactEventForm(request.POST, prefix=f"c{contact_plan.pk}"),
        call_with(
            services.contact_event_record, *fields, actor=request.user, contact_plan=contact_plan
        ),
        done=_("Umgänget är registrerat."),
        page_extra=lambda form: {"event_form": form, "event_plan": contact_plan},
    )
