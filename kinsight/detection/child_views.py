"""Pages for a child across cases and births: an expected child (väntat barn), its
birth, and recording a child of the parent's other case afresh on this case. Thin:
parse, call a service, render (the child page itself is in views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read
from kinsight.detection import queries, services
from kinsight.detection.forms import BornForm, ExpectedChildForm
from kinsight.detection.models import ChildRecord
from kinsight.detection.views import _case, _change_record, _child_context
from kinsight.ui.forms_flow import run_service


def expected_new(request, case_pk):
    case = _case(request, case_pk)
    if request.method == "GET":
        audit_read(actor=request.user, obj=case)
    form = ExpectedChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = run_service(
            request,
            form,
            lambda: services.child_record_add_expected(
                actor=request.user,
                case=case,
                expected_month=data["expected_month"],
                custody=data["custody"],
                lives_with=data["lives_with"],
            ),
        )
        if record:
            messages.success(request, _("Det väntade barnet är registrerat."))
            return redirect("detection:child_detail", pk=record.pk)
    context = {"form": form, "case": case, "nav": "my_cases"}
    status = 400 if form.errors else 200
    return render(request, "detection/expected_form.html", context, status=status)


@require_POST
def child_renew(request, case_pk, pk):
    case = _case(request, case_pk)
    previous = get_object_or_404(
        ChildRecord.objects.visible_to(request.user, "view").select_related("child"), pk=pk
    )
    try:
        record = services.child_record_renew(actor=request.user, case=case, previous=previous)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:case_detail", pk=case.pk)
    messages.success(
        request, _("%(name)s är registrerad i det här ärendet.") % {"name": record.display_name}
    )
    return redirect("detection:child_detail", pk=record.pk)


@require_POST
def child_born(request, pk):
    record = _change_record(request, pk)
    form = BornForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_record_born(
                actor=request.user,
                record=record,
                expected_version=data["version"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
            ),
        )
        if saved:
            messages.success(request, _("Barnet är registrerat som fött."))
            return redirect("detection:child_detail", pk=record.pk)
    record = queries.child_record_get(actor=request.user, pk=pk)
    context = _child_context(request, record, born_form=form)
    return render(request, "detection/child_detail.html", context, status=400)
