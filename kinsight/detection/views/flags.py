"""Flags on a child record: ended from the flag's line (they are noted from the child
page, ``child_records.child_change``)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.detection import queries, services
from kinsight.detection.forms import FlagEndForm
from kinsight.detection.models import ChildFlag
from kinsight.ui.forms_flow import act_and_back, call_with
from kinsight.ui.routes import route


@route("markeringar/<int:pk>/avsluta/", name="flag_end")
@require_POST
def flag_end(request, pk):
    flag = ChildFlag.objects.visible_to(request.user, "view").filter(pk=pk).first()
    if flag is None:
        raise Http404
    record = queries.child_record_for_change(actor=request.user, pk=flag.record_id)
    back = reverse("detection:child_detail", args=[record.pk])
    form = FlagEndForm(request.POST, prefix=f"f{flag.pk}")
    if not form.is_valid():
        messages.error(request, _("Ange ett giltigt slutdatum."))
        return redirect(back)
    end = call_with(services.child_flag_end, "version", "ended_on", actor=request.user, flag=flag)
    return act_and_back(
        request, lambda: end(form.cleaned_data), done=_("Markeringen är avslutad."), back=back
    )
