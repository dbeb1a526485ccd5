"""A child as next of kin: recorded on the parent's case, its page, its details, and
what is posted from its page (a step, a flag, its birth)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.cases import queries as case_queries
from kinsight.detection import queries, services
from kinsight.detection.forms import ChildRecordEditForm, ChildRecordForm
from kinsight.detection.services import DuplicateChild
from kinsight.detection.views.common import CHILD_STEPS, child_context, post_on_child
from kinsight.ui.forms_flow import call_with, form_page, run_service
from kinsight.ui.routes import route


@route("arenden/<int:case_pk>/barn/nytt/", name="child_new")
def child_new(request, case_pk):
    case = case_queries.case_for_write(actor=request.user, pk=case_pk)
    audit_read_on_get(request, case)
    form = ChildRecordForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        add = call_with(services.child_record_add, *form.fields, actor=request.user, case=case)

        def call():
            nonlocal duplicate
            try:
                return add(form.cleaned_data)
            except DuplicateChild as error:
                duplicate = error.existing
                raise

        record = run_service(request, form, call)
        if record:
            messages.success(
                request, _("%(name)s är registrerad som barn som anhörig.") % {"name": record}
            )
            if request.POST.get("action") == "another":
                return redirect("detection:child_new", case_pk=case.pk)
            return redirect("cases:case_detail", pk=case.pk)
    context = {"form": form, "case": case, "duplicate": duplicate, "nav": "my_cases"}
    return render(request, "detection/child_form.html", context, status=400 if form.errors else 200)


@route("barn-som-anhoriga/<int:pk>/", name="child_detail")
def child_detail(request, pk):
    record = queries.child_record_get(actor=request.user, pk=pk)
    return render(request, "detection/child_detail.html", child_context(request, record))


@route("barn-som-anhoriga/<int:pk>/andra/", name="child_edit")
def child_edit(request, pk):
    record = queries.child_record_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, record)
    fields = ("custody", "lives_with", "other_carers")
    initial = {"version": record.version} | {name: getattr(record, name) for name in fields}
    form = ChildRecordEditForm(request.POST or None, initial=initial)
    back = reverse("detection:child_detail", args=[record.pk])
    return form_page(
        request,
        form,
        call_with(
            services.child_record_update, "version", *fields, actor=request.user, record=record
        ),
        done=_("Uppgifterna om barnet är sparade."),
        back_to=back,
        template="ui/form_page.html",
        context={
            "title": _("Ändra uppgifter om %(name)s") % {"name": record.display_name},
            "cancel_url": back,
            "nav": "my_cases",
        },
    )


@route("barn-som-anhoriga/<int:pk>/steg/", name="child_step", step="step")
@route("barn-som-anhoriga/<int:pk>/markeringar/", name="flag_add", step="flag")
@route("barn-som-anhoriga/<int:pk>/fott/", name="child_born", step="born")
@require_POST
def child_change(request, pk, step):
    """A change posted from the child page (a step, a flag, a birth)."""
    make_form, form_key, service, done = CHILD_STEPS[step]
    record = queries.child_record_for_change(actor=request.user, pk=pk)
    form = make_form(request.POST, record)
    return post_on_child(request, record, form, service, done=done, form_key=form_key)
