"""The groups' catalogue: providers with their yearly grants, programmes with their
measurement plan, and the leader register with where leaders are missing. Everyone in
the municipality reads it; heads of services and administrators keep it (403 for
others, from the services' own check)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.rules import get_for
from kinsight.groups import queries_catalogue, services
from kinsight.groups.access import leads_groups
from kinsight.groups.forms_catalogue import (
    GrantForm,
    LeaderTrainingForm,
    MeasureForm,
    ProgrammeForm,
    ProviderForm,
)
from kinsight.groups.models import Programme, Provider
from kinsight.groups.services.catalogue import require_catalogue_keeper
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route

NAV = "groups"


# The catalogue's two pages to read, by template name: the title, and the name the
# template reads and the query it comes from.
PAGES = {
    "catalogue": (
        gettext_lazy("Stödgruppsprogram och utförare"),
        "catalogue",
        queries_catalogue.catalogue,
    ),
    "leaders": (gettext_lazy("Gruppledarregister"), "register", queries_catalogue.leader_register),
}


@route("stodgrupper/program/", name="catalogue", page="catalogue")
@route("stodgrupper/ledare/", name="leaders", page="leaders")
def catalogue(request, page):
    """The programmes and providers, and the leader register: everyone in the
    municipality reads them, the links to change them only for their keepers."""
    title, name, read = PAGES[page]
    context = {"title": title, name: read(actor=request.user)}
    context |= {"can_edit": leads_groups(request.user), "nav": NAV}
    return render(request, f"groups/{page}.html", context)


def _catalogue_form(request, form, call, *, title, done, back_to=None, **context):
    """A form page of the catalogue: saved, ``done`` and back to ``back_to`` (a URL or
    a function of what was saved; the catalogue without it). ``template`` in
    ``context`` replaces ui/form_page.html."""
    home = reverse("groups:catalogue")
    return form_page(
        request,
        form,
        call,
        done=done,
        back_to=back_to or home,
        template=context.pop("template", "ui/form_page.html"),
        context={"title": title, "cancel_url": home, "nav": NAV} | context,
    )


def _saved(saved):
    return _("%(name)s är sparad.") % {"name": saved}


def _for_change(user, model, pk):
    """The row an edit starts from (404 unseen, 403 seen but not changeable), or None
    for a new one (403 unless the user keeps the catalogue)."""
    if pk is None:
        require_catalogue_keeper(user)
        return None
    return get_for(user, model.objects, pk, "change")


# What a keeper creates and changes on one form: the form (its fields are the
# services' fields) and the two services; the update takes the row by the model's name.
KEPT = {
    Provider: (ProviderForm, services.provider_create, services.provider_update),
    Programme: (ProgrammeForm, services.programme_create, services.programme_update),
}


def _new_or_change(request, model, pk, *, new, back_to=None):
    """A provider or programme: new (``pk`` None; titled ``new``, then to ``back_to``)
    or changed with its version (then to the catalogue), one form either way."""
    form_class, create, update = KEPT[model]
    row = _for_change(request.user, model, pk)
    form = form_class(request.POST or None, instance=row, user=request.user)
    fields = form_class.Meta.fields
    if row is None:
        call, title = call_with(create, *fields, actor=request.user), new
    else:
        row_as = {model.__name__.lower(): row}
        call = call_with(update, "version", *fields, actor=request.user, **row_as)
        title, back_to = _("Ändra %(name)s") % {"name": row.name}, None
    return _catalogue_form(request, form, call, title=title, done=_saved, back_to=back_to)


@route("stodgrupper/utforare/ny/", name="provider_new")
@route("stodgrupper/utforare/<int:pk>/andra/", name="provider_edit")
def provider_edit(request, pk=None):
    return _new_or_change(request, Provider, pk, new=_("Ny utförare"))


@route("stodgrupper/utforare/<int:pk>/bidrag/", name="grant_set")
def grant_set(request, pk):
    provider = get_for(request.user, Provider.objects, pk, "change")
    form = GrantForm(request.POST or None)
    return _catalogue_form(
        request,
        form,
        call_with(
            services.grant_set, "year", "amount", "note", actor=request.user, provider=provider
        ),
        title=_("Verksamhetsbidrag till %(name)s") % {"name": provider.name},
        intro=_("Ett år som redan har ett bidrag får det nya beloppet."),
        done=lambda grant: _("Bidraget för %(year)s är sparat.") % {"year": grant.year},
    )


def _plan_url(programme):
    return reverse("groups:measure_add", args=[programme.pk])


@route("stodgrupper/program/nytt/", name="programme_new")
@route("stodgrupper/program/<int:pk>/andra/", name="programme_edit")
def programme_edit(request, pk=None):
    return _new_or_change(
        request, Programme, pk, new=_("Nytt stödgruppsprogram"), back_to=_plan_url
    )


@route("stodgrupper/program/<int:pk>/matplan/", name="measure_add")
def measure_add(request, pk):
    programme = get_for(request.user, Programme.objects, pk, "change")
    form = MeasureForm(request.POST or None, user=request.user)
    fields = ("instrument", "point", "months_after_end")
    return _catalogue_form(
        request,
        form,
        call_with(services.programme_measure_add, *fields, actor=request.user, programme=programme),
        title=_("Mätplan för %(name)s") % {"name": programme.name},
        template="groups/programme_plan.html",
        submit=_("Lägg till i mätplanen"),
        measures=queries_catalogue.programme_plan(actor=request.user, programme=programme),
        done=lambda m: (
            _("%(instrument)s %(point)s är tillagd i mätplanen.")
            % {"instrument": m.instrument.name, "point": m.get_point_display().lower()}
        ),
        back_to=lambda m: _plan_url(m.programme),
    )


@route("stodgrupper/ledare/ny/", name="leader_add")
def leader_add(request):
    require_catalogue_keeper(request.user)
    form = LeaderTrainingForm(request.POST or None, user=request.user)
    fields = ("leader", "district", "programme", "training", "trained_on")
    register = reverse("groups:leaders")
    return _catalogue_form(
        request,
        form,
        call_with(services.leader_training_add, *fields, actor=request.user),
        title=_("Ny utbildad gruppledare"),
        done=_("Gruppledaren är tillagd i registret."),
        back_to=register,
        cancel_url=register,
    )
