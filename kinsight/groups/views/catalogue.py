"""The groups' catalogue: providers with their yearly grants, programmes with their
measurement plan, and the leader register with where leaders are missing. Everyone in
the municipality reads it; heads of services and administrators keep it (403 for
others, from the services' own check)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

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


@route("stodgrupper/program/", name="catalogue")
def catalogue(request):
    context = {
        "title": _("Stödgruppsprogram och utförare"),
        "catalogue": queries_catalogue.catalogue(actor=request.user),
        "can_edit": leads_groups(request.user),
        "nav": NAV,
    }
    return render(request, "groups/catalogue.html", context)


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


@route("stodgrupper/utforare/ny/", name="provider_new")
@route("stodgrupper/utforare/<int:pk>/andra/", name="provider_edit")
def provider_edit(request, pk=None):
    provider = _for_change(request.user, Provider, pk)
    form = ProviderForm(request.POST or None, instance=provider, user=request.user)
    fields = services.PROVIDER_FIELDS
    if provider is None:
        call = call_with(services.provider_create, *fields, actor=request.user)
        title = _("Ny utförare")
    else:
        call = call_with(
            services.provider_update, "version", *fields, actor=request.user, provider=provider
        )
        title = _("Ändra %(name)s") % {"name": provider.name}
    return _catalogue_form(request, form, call, title=title, done=_saved)


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
    programme = _for_change(request.user, Programme, pk)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    fields = services.PROGRAMME_FIELDS
    if programme is None:
        call = call_with(services.programme_create, *fields, actor=request.user)
        title, back_to = _("Nytt stödgruppsprogram"), _plan_url
    else:
        call = call_with(
            services.programme_update, "version", *fields, actor=request.user, programme=programme
        )
        title, back_to = _("Ändra %(name)s") % {"name": programme.name}, None
    return _catalogue_form(request, form, call, title=title, done=_saved, back_to=back_to)


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


@route("stodgrupper/ledare/", name="leaders")
def leaders(request):
    context = {
        "title": _("Gruppledarregister"),
        "register": queries_catalogue.leader_register(actor=request.user),
        "can_edit": leads_groups(request.user),
        "nav": NAV,
    }
    return render(request, "groups/leaders.html", context)


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
