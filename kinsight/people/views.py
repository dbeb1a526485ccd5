"""Person search, registration, the person page and the family around a person."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.people import queries, services
from kinsight.people.forms import (
    FamilyAddForm,
    PersonEditForm,
    PersonRegisterForm,
    PersonSearchForm,
    RelationshipEndForm,
)
from kinsight.people.register import register_choice
from kinsight.ui import search_terms
from kinsight.ui.forms_flow import act_and_back, call_with, form_page
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.panels import gather_panels
from kinsight.ui.routes import route

SEARCH_KIND = "people"


@route("personer/", name="person_search")
def person_search(request):
    """The search posts its term (never in the URL); the results' URL names it by a
    key kept in the session (``ui.search_terms``), so paging and going back work."""
    if request.method == "POST":
        return _search_posted(request)
    q = search_terms.term_of(request, SEARCH_KIND)
    return _search_page(request, q, query=query_without_page(request))


def _search_posted(request):
    form = PersonSearchForm(request.POST)
    if not form.is_valid():
        return _search_page(request, "", query="", form=form, status=400)
    q = form.cleaned_data["q"]
    url = search_terms.results_url(request, SEARCH_KIND, q, reverse("people:person_search"))
    if not request.htmx:
        return redirect(url)
    response = _search_page(request, q, query=url.partition("?")[2])
    response["HX-Push-Url"] = url
    return response


def _search_page(request, q, *, query, form=None, status=200):
    page = None
    if q:
        results = queries.person_search(actor=request.user, q=q)
        page = page_of(request, results)
        queries.audit_list(actor=request.user, objects=page.object_list)
    context = {
        "title": _("Sök person"),
        "form": form or PersonSearchForm(initial={"q": q}),
        "page": page,
        "q": q,
        "nav": "people",
        "query": query,
    }
    template = "people/_search_results.html" if request.htmx else "people/person_search.html"
    return render(request, template, context, status=status)


def _duplicate_call(form, context, call):
    """Run a registering service; a duplicate number keeps a link to the person."""
    try:
        return call()
    except services.DuplicateIdentifier as duplicate:
        form.add_error("identifier", duplicate.message_dict["identifier"])
        context["duplicate_url"] = duplicate.url
        context["known_elsewhere"] = duplicate.existing is None
        return None


def _person_page_of(person):
    return reverse("people:person_detail", args=[person.pk])


def _person_form_page(request, form, context, register, done, back_to=_person_page_of):
    """The person form (register, edit, add a relative): ``register(data)`` runs the
    service; a duplicate number keeps a link to the person; back to the saved person's
    page (``back_to``: a URL, or a function of what was saved)."""
    return form_page(
        request,
        form,
        lambda data: _duplicate_call(form, context, lambda: register(data)),
        done=done,
        back_to=back_to,
        template="people/person_form.html",
        context=context,
    )


@route("personer/ny/", name="person_register")
def person_register(request):
    form = PersonRegisterForm(request.POST or None, user=request.user)
    if not form.fields["unit"].queryset.exists():
        raise Http404
    context = {"nav": "people", "title": _("Registrera person"), "offer_case": True}
    return _person_form_page(
        request,
        form,
        context,
        lambda data: services.person_register(
            actor=request.user, unit=data["unit"], **form.person_data()
        ),
        lambda person: _("%(name)s är registrerad.") % {"name": person},
    )


@route("personer/<int:pk>/", name="person_detail")
def person_detail(request, pk):
    view = queries.person_get(actor=request.user, pk=pk)
    if not view.full:
        return render(request, "people/person_limited.html", {"view": view, "person": view.person})
    panels = gather_panels("person", request, view.person, can_change=view.can_change)
    context = {"view": view, "person": view.person, "panels": panels, "nav": "people"}
    context["register_on"] = bool(register_choice())
    return render(request, "people/person_detail.html", context)


@route("personer/<int:pk>/andra/", name="person_edit")
def person_edit(request, pk):
    person = queries.person_for_write(actor=request.user, pk=pk)
    audit_read_on_get(request, person)
    form = PersonEditForm(request.POST or None, person=person)
    context = {"person": person, "nav": "people", "title": _("Ändra %(name)s") % {"name": person}}
    context["register_on"] = bool(register_choice())
    return _person_form_page(
        request,
        form,
        context,
        call_with(services.person_update, "version", "data", actor=request.user, person=person),
        _("Uppgifterna är sparade."),
    )


@route("personer/<int:pk>/familj/ny/", name="family_add")
def family_add(request, pk):
    person = queries.person_for_write(actor=request.user, pk=pk)
    audit_read_on_get(request, person)
    form = FamilyAddForm(request.POST or None)
    title = _("Lägg till i familjen runt %(name)s") % {"name": person}
    context = {"person": person, "nav": "people", "title": title}
    fields = ("relation", "guardian", "living", "valid_from")
    return _person_form_page(
        request,
        form,
        context,
        lambda data: services.person_add_relative(
            actor=request.user,
            person=person,
            **{name: data[name] for name in fields},
            **form.person_data(),
        ),
        lambda relative: (
            _("%(relative)s är tillagd i familjen runt %(name)s.")
            % {"relative": relative, "name": person}
        ),
        back_to=_person_page_of(person),  # back to the person whose family it is
    )


def _relationship_for_change(request, pk):
    """The relationship, and the person page to return to (one of its two persons)."""
    relationship = queries.relationship_get(actor=request.user, pk=pk)
    raw = request.POST.get("person") or str(relationship.from_person_id)
    if not raw.isdigit():
        raise Http404
    person_pk = int(raw)
    if person_pk not in (relationship.from_person_id, relationship.to_person_id):
        raise Http404
    return relationship, person_pk


@route("relationer/<int:pk>/avsluta/", name="relationship_end")
@require_POST
def relationship_end(request, pk):
    relationship, person_pk = _relationship_for_change(request, pk)
    back = reverse("people:person_detail", args=[person_pk])
    form = RelationshipEndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    end = call_with(
        services.relationship_end,
        "valid_to",
        "version",
        actor=request.user,
        relationship=relationship,
    )
    return act_and_back(
        request, lambda: end(form.cleaned_data), done=_("Relationen är avslutad."), back=back
    )


@route("relationer/<int:pk>/ta-bort/", name="relationship_remove")
@require_POST
def relationship_remove(request, pk):
    relationship, person_pk = _relationship_for_change(request, pk)
    services.relationship_remove(actor=request.user, relationship=relationship)
    messages.success(request, _("Relationen är borttagen."))
    return redirect("people:person_detail", pk=person_pk)
