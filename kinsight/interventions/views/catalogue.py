"""The catalogue of interventions: searched by everyone, kept by the administrator."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.interventions import queries, services
from kinsight.interventions.forms import CatalogueFilterForm, InterventionEditForm, InterventionForm
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route


@route("insatser/", name="catalogue")
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.interventions(
        actor=request.user,
        search=data.get("q", ""),
        target=data.get("target", ""),
        include_inactive=data.get("inactive", False),
    )
    page = page_of(request, found)
    can_edit = queries.can_edit_catalogue(request.user)
    context = {
        "title": _("Insatskatalog"),
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_edit": can_edit,
        "has_examples": can_edit and page.paginator.count and any(i.is_example for i in page),
        "nav": "interventions",
    }
    return render(request, "interventions/catalogue.html", context)


def _require_admin(request):
    if not queries.can_edit_catalogue(request.user):
        raise Http404


def _intervention_page(request, form, call, *, title, **context):
    """The intervention form (new, edit): saved, back to the catalogue."""
    return form_page(
        request,
        form,
        call,
        done=lambda saved: _("Insatsen %(name)s är sparad.") % {"name": saved},
        back_to=reverse("interventions:catalogue"),
        template="interventions/intervention_form.html",
        context={"title": title, "nav": "interventions", **context},
    )


@route("insatser/ny/", name="intervention_new")
def intervention_new(request):
    _require_admin(request)
    form = InterventionForm(request.POST or None, user=request.user, initial={"is_active": True})
    return _intervention_page(
        request,
        form,
        call_with(services.intervention_create, *services.INTERVENTION_FIELDS, actor=request.user),
        title=_("Ny insats"),
    )


@route("insatser/<int:pk>/andra/", name="intervention_edit")
def intervention_edit(request, pk):
    _require_admin(request)
    intervention = queries.intervention_get(actor=request.user, pk=pk, action="change")
    initial = {name: getattr(intervention, name) for name in services.INTERVENTION_FIELDS}
    initial["provider_unit"] = intervention.provider_unit_id
    initial["version"] = intervention.version
    form = InterventionEditForm(request.POST or None, user=request.user, initial=initial)
    return _intervention_page(
        request,
        form,
        call_with(
            services.intervention_update,
            "version",
            "data",
            actor=request.user,
            intervention=intervention,
        ),
        title=_("Ändra insats"),
        intervention=intervention,
    )


@route("insatser/exempel/", name="examples_add")
@require_POST
def examples_add(request):
    _require_admin(request)
    made = services.examples_add(actor=request.user)
    messages.success(request, _("%(n)s exempelinsatser är inlagda i katalogen.") % {"n": len(made)})
    return redirect("interventions:catalogue")
