"""Flags on a child record: noted from the child page, ended from the flag's line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.core.services import StaleEdit
from kinsight.detection import queries, services
from kinsight.detection.forms import FlagEndForm, FlagForm
from kinsight.detection.models import ChildFlag
from kinsight.detection.views.common import post_on_child
from kinsight.ui.routes import route


@route("barn-som-anhoriga/<int:pk>/markeringar/", name="flag_add")
@require_POST
def flag_add(request, pk):
    record = queries.child_record_for_change(actor=request.user, pk=pk)
    return post_on_child(
        request,
        record,
        FlagForm(request.POST, auto_id="flag_%s"),
        services.child_flag_add,
        done=lambda flag: _("Markeringen är sparad: %(flag)s.") % {"flag": flag.get_kind_display()},
        form_key="flag_form",
    )


@route("markeringar/<int:pk>/avsluta/", name="flag_end")
@require_POST
def flag_end(request, pk):
    flag = ChildFlag.objects.visible_to(request.user, "view").filter(pk=pk).first()
    if flag is None:
        raise Http404
    record = queries.child_record_for_change(actor=request.user, pk=flag.record_id)
    form = FlagEndForm(request.POST, prefix=f"f{flag.pk}")
    if form.is_valid():
        try:
            services.child_flag_end(
                actor=request.user,
                flag=flag,
                expected_version=form.cleaned_data["version"],
                ended_on=form.cleaned_data["ended_on"],
            )
            messages.success(request, _("Markeringen är avslutad."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except StaleEdit as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Ange ett giltigt slutdatum."))
    return redirect("detection:child_detail", pk=record.pk)
