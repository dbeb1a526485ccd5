"""Pages for a child across cases: an expected child (väntat barn), and recording a
child of the parent's other case afresh on this case. Its birth is posted from the
child page (``child_records.child_change``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.detection import services
from kinsight.detection.forms import ExpectedChildForm
from kinsight.detection.models import ChildRecord
from kinsight.detection.views.common import case_for_change
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


@route("arenden/<int:case_pk>/barn/vantat/", name="expected_new")
def expected_new(request, case_pk):
    case = case_for_change(request, case_pk)
    audit_read_on_get(request, case)
    fields = ("expected_month", "custody", "lives_with")
    return form_page(
        request,
        ExpectedChildForm(request.POST or None),
        call_with(services.child_record_add_expected, *fields, actor=request.user, case=case),
        done=_("Det väntade barnet är registrerat."),
        back_to=lambda record: reverse("detection:child_detail", args=[record.pk]),
        template="detection/expected_form.html",
        context={
            "title": _("Lägg till väntat barn"),
            "case": case,
            "cancel_url": reverse("cases:case_detail", args=[case.pk]),
            "nav": "my_cases",
        },
    )


@route("arenden/<int:case_pk>/barn/<int:pk>/registrera/", name="child_renew")
@require_POST
def child_renew(request, case_pk, pk):
    case = case_for_change(request, case_pk)
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
