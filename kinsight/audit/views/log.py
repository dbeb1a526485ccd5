"""The log reviewer's view of the audit log (loggranskning): the whole log, and the
log of one person. Everyone else gets 404."""

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.audit import queries
from kinsight.audit.forms import AuditFilterForm, PersonLogFilterForm, PersonSearchForm
from kinsight.ui import search_terms
from kinsight.ui.paging import query_without_page
from kinsight.ui.routes import route

SEARCH_KIND = "audit"


FILTER_KIND = "audit_filter"


@route("logg/", name="entry_list")
def entry_list(request):
    """The filters are posted: the person's number or name is kept in the session and
    the URL names it by a key (``?s=``); the other filters go in the URL."""
    municipality_id = queries.require_log_reviewer(request.user)
    if request.method == "POST":
        return _filtered(request, AuditFilterForm(request.POST, municipality_id=municipality_id))
    data = request.GET.copy()
    text = search_terms.term_of(request, FILTER_KIND)
    if text:
        data["person_text"] = text
    form = AuditFilterForm(data or None, municipality_id=municipality_id)
    valid = form.is_valid() if form.is_bound else True
    page = queries.entry_page(
        actor=request.user,
        filters=form.cleaned_data if form.is_bound and valid else {},
        page_number=request.GET.get("page"),
    )
    return _entry_list_page(request, form, page, status=200 if valid else 400)


def _filtered(request, form):
    if not form.is_valid():
        return _entry_list_page(request, form, None, status=400)
    query = QueryDict(mutable=True)
    for name, value in form.data.items():
        if value and name not in ("person_text", "csrfmiddlewaretoken"):
            query[name] = value
    text = form.cleaned_data["person_text"]
    if text:
        query[search_terms.PARAMETER] = search_terms.remember(request.session, FILTER_KIND, text)
    url = reverse("audit:entry_list")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _entry_list_page(request, form, page, status=200):
    context = {
        "form": form,
        "person_form": PersonSearchForm(),
        "page": page,
        "nav": "audit",
        "query": query_without_page(request),
    }
    return render(request, "audit/entry_list.html", context, status=status)


@route("logg/person/", name="person_search")
def person_search(request):
    """The person's number or name is posted, never put in the URL: the results' URL
    names it by a key kept in the session (``ui.search_terms``)."""
    queries.require_log_reviewer(request.user)
    if request.method == "POST":
        form = PersonSearchForm(request.POST)
        if not form.is_valid():
            return _person_search_page(request, form, status=400)
        url = reverse("audit:person_search")
        return redirect(search_terms.results_url(request, SEARCH_KIND, form.cleaned_data["q"], url))
    text = search_terms.term_of(request, SEARCH_KIND)
    form = PersonSearchForm({"q": text} if text else None)
    return _person_search_page(request, form)


def _person_search_page(request, form, status=200):
    page = None
    if form.is_bound and form.is_valid():
        page = queries.person_search(
            actor=request.user, text=form.cleaned_data["q"], page_number=request.GET.get("page")
        )
    context = {
        "title": _("Vem har sett en person?"),
        "form": form,
        "page": page,
        "nav": "audit",
        "query": query_without_page(request),
    }
    return render(request, "audit/person_search.html", context, status=status)


@route("logg/person/<int:pk>/", name="person_log")
def person_log(request, pk):
    person = queries.person_get(actor=request.user, pk=pk)
    form = PersonLogFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = {} if not form.is_bound else form.cleaned_data if valid else None
    page = queries.person_log_page(
        actor=request.user, person=person, filters=filters, page_number=request.GET.get("page")
    )
    context = {
        "title": _("Logg för %(name)s") % {"name": person.full_name},
        "form": form,
        "person": person,
        "page": page,
        "access": queries.person_access(actor=request.user, person=person),
        "nav": "audit",
        "query": query_without_page(request),
    }
    return render(request, "audit/person_log.html", context, status=200 if valid else 400)
