"""Cases: open, see, change status, assign; "Mina ärenden"; journal notes with
autosaved drafts, signing and corrections."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.cases import queries, services
from kinsight.cases.forms import (
    CaseAssignForm,
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseStatusForm,
    NoteForm,
    PersonLookupForm,
)
from kinsight.core.models import Role
from kinsight.core.notes import link_corrections
from kinsight.people import queries as people_queries
from kinsight.people.forms import work_units
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail, run_service
from kinsight.ui.notes import NotePage
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.panels import gather_panels
from kinsight.ui.routes import route

OPEN_FIELDS = ("unit", "subject", "legal_basis", "opened_on")


def _page(request, cases):
    page = page_of(request, cases)
    queries.audit_list(actor=request.user, objects=page.object_list)
    return page, query_without_page(request)


@route("arenden/mina/", name="my_cases")
def my_cases(request):
    include_closed = request.GET.get("avslutade") == "1"
    page, query = _page(
        request, queries.my_cases(actor=request.user, include_closed=include_closed)
    )
    context = {
        "title": _("Mina ärenden"),
        "page": page,
        "query": query,
        "include_closed": include_closed,
        "nav": "my_cases",
        "is_manager": bool(request.user.units_with_role(Role.UNIT_MANAGER)),
    }
    return render(request, "cases/my_cases.html", context)


@route("arenden/", name="unit_cases")
def unit_cases(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = queries.unit_cases(
        actor=request.user,
        status=filters.get("status", ""),
        unassigned=filters.get("unassigned", False),
    )
    page, query = _page(request, cases)
    return render(
        request,
        "cases/unit_cases.html",
        {
            "title": _("Enhetens ärenden"),
            "page": page,
            "query": query,
            "form": form,
            "nav": "my_cases",
        },
    )


@route("personer/<int:person_pk>/arenden/nytt/", name="case_open")
def case_open(request, person_pk):
    person = people_queries.person_for_write(actor=request.user, pk=person_pk, action="view")
    form = CaseOpenForm(request.POST or None, user=request.user)
    if not form.fields["unit"].queryset.exists():
        raise Http404
    audit_read_on_get(request, person)
    return form_page(
        request,
        form,
        call_with(services.case_open, *OPEN_FIELDS, actor=request.user, person=person),
        done=_("Ärendet är öppnat."),
        back_to=lambda case: case.get_absolute_url(),
        template="ui/form_page.html",
        context={
            "title": _("Öppna ärende för %(name)s") % {"name": person},
            "nav": "my_cases",
            "cancel_url": reverse("people:person_detail", args=[person.pk]),
        },
    )


@route("arenden/nytt/", name="case_open_lookup")
def case_open_lookup(request):
    """A new case for a person another unit works with: the worker types the whole
    number; the page shows only the name and birth date (the lookup is audited) and
    opens the case in one of the worker's units."""
    if not work_units(request.user).exists():
        raise Http404
    lookup = PersonLookupForm(request.POST or None)
    context = {"lookup": lookup, "title": _("Nytt ärende"), "nav": "my_cases"}
    if request.method == "POST" and lookup.is_valid():
        known = run_service(
            request,
            lookup,
            lambda: people_queries.person_lookup(actor=request.user, **lookup.cleaned_data),
        )
        if lookup.errors:
            pass
        elif known is None:
            context["outcome"] = "not_found"
        elif known.visible:
            return redirect("cases:case_open", person_pk=known.person.pk)
        elif known.allowed:
            return _open_for_known(request, known, context)
        else:
            context["outcome"] = "refused"
    return render(request, "cases/case_open_lookup.html", context)


def _open_for_known(request, known, context):
    """The second step: the found person's case, opened in one of the worker's units
    (the form is bound only when the worker presses "open")."""
    bound = request.POST if request.POST.get("action") == "open" else None
    return form_page(
        request,
        CaseOpenForm(bound, user=request.user, unit_ids=known.unit_ids),
        call_with(
            services.case_open_for_known_person, *OPEN_FIELDS, actor=request.user, known=known
        ),
        done=_("Ärendet är öppnat."),
        back_to=lambda case: reverse("cases:case_detail", args=[case.pk]),
        template="cases/case_open_lookup.html",
        context={**context, "known": known},
    )


def _case_context(request, case, **extra):
    can_change = queries.case_can_change(actor=request.user, case=case)
    is_manager = case.unit_id in request.user.units_with_role(Role.UNIT_MANAGER)
    context = {
        "case": case,
        "person": case.person,
        "notes": link_corrections(queries.notes_for_case(actor=request.user, case=case)),
        "can_change": can_change and not case.is_closed,
        "can_write_notes": can_change,
        "status_form": CaseStatusForm(case=case) if can_change and not case.is_closed else None,
        "assign_form": CaseAssignForm(case=case) if is_manager and not case.is_closed else None,
        "nav": "my_cases",
        "panels": gather_panels(
            "case", request, case, can_change=can_change and not case.is_closed
        ),
    }
    context.update(extra)
    return context


@route("arenden/<int:pk>/", name="case_detail")
def case_detail(request, pk):
    case = queries.case_get(actor=request.user, pk=pk)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@route("arenden/<int:pk>/andra/", name="case_edit")
def case_edit(request, pk):
    case = queries.case_for_write(actor=request.user, pk=pk)
    audit_read_on_get(request, case)
    form = CaseEditForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        call_with(
            services.case_update, "version", "subject", "legal_basis", actor=request.user, case=case
        ),
        done=_("Ärendet är sparat."),
        back_to=case.get_absolute_url(),
        template="ui/form_page.html",
        context={
            "title": _("Ändra ärende"),
            "nav": "my_cases",
            "cancel_url": case.get_absolute_url(),
        },
    )


# A change posted from the case page: its form, the form's name on the page, the
# service and what is said when it is saved.
CASE_STEPS = {
    "status": (
        CaseStatusForm,
        "status_form",
        services.case_change_status,
        lambda saved: _("Status är nu %(status)s.") % {"status": saved.get_status_display()},
    ),
    "assign": (
        CaseAssignForm,
        "assign_form",
        services.case_assign,
        lambda saved: _("%(name)s är ansvarig för ärendet.") % {"name": saved.responsible},
    ),
}


@route("arenden/<int:pk>/status/", name="case_status", step="status")
@route("arenden/<int:pk>/ansvarig/", name="case_assign", step="assign")
@require_POST
def case_step(request, pk, step):
    """A change posted from the case page (status, responsible worker): the form's
    fields are the service's arguments (its version the expected one)."""
    form_class, form_key, service, done = CASE_STEPS[step]
    case = queries.case_for_write(actor=request.user, pk=pk)
    form = form_class(request.POST, case=case)
    return post_on_detail(
        request,
        form,
        call_with(service, *form.fields, actor=request.user, case=case),
        done=done,
        back_to=case.get_absolute_url(),
        template="cases/case_detail.html",
        context=lambda form: _case_context(
            request, queries.case_get(actor=request.user, pk=pk), **{form_key: form}
        ),
    )


# Journal notes ---------------------------------------------------------------------


@route("arenden/<int:pk>/anteckningar/ny/", name="note_new")
@route("anteckningar/<int:pk>/ratta/", name="note_correct", correct=True)
@require_POST
def note_new(request, pk, correct=False):
    """A new draft on the case ``pk``, or (``correct``) a correction of the note ``pk``."""
    original = queries.note_for_write(actor=request.user, pk=pk) if correct else None
    case = original.case if original else queries.case_for_write(actor=request.user, pk=pk)
    return NOTE_PAGE.start(request, services.note_create, case, corrects=original)


NOTE_PAGE = NotePage(
    "cases:note",
    NoteForm,
    services.NOTES,
    parent_page="cases:case_detail",
    nav="my_cases",
    sign_label=gettext_lazy("Signera och lås"),
)


@route("anteckningar/<int:pk>/", name="note_edit")
@route("anteckningar/<int:pk>/autospara/", name="note_autosave", autosave=True)
def note_edit(request, pk, autosave=False):
    """The draft's page, or (htmx, POST) its autosave: one view, NotePage.answer."""
    read = queries.note_for_write if autosave else queries.note_get
    return NOTE_PAGE.answer(request, read, pk, autosave=autosave)
