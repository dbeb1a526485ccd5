"""What the child pages share: the case being worked on, the child page's context,
and the forms posted from the child page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.cases import queries as case_queries
from kinsight.detection import queries, services
from kinsight.detection.forms import BornForm, FlagEndForm, FlagForm, StepForm
from kinsight.ui.forms_flow import call_with, post_on_detail
from kinsight.ui.panels import gather_panels


def case_for_change(request, case_pk):
    return case_queries.case_for_write(actor=request.user, pk=case_pk)


def child_context(request, record, **extra):
    details = queries.record_details(actor=request.user, record=record)
    can_change = queries.record_can_change(actor=request.user, record=record)
    can_report = can_change and queries.can_send_report(actor=request.user, record=record)
    context = {
        "record": record,
        "can_change": can_change,
        "can_report": can_report,
        "step_form": StepForm(record=record) if can_change and record.next_statuses() else None,
        "born_form": BornForm(initial={"version": record.version})
        if can_change and record.is_expected
        else None,
        "flag_form": FlagForm(auto_id="flag_%s") if can_change else None,
        "nav": "my_cases",
        "panels": gather_panels("child", request, record, can_change=can_change),
        **details,
    }
    for flag in details["flags"]:
        flag.end_form = FlagEndForm(initial={"version": flag.version}, prefix=f"f{flag.pk}")
    context.update(extra)
    return context


def post_on_child(request, record, form, service, *, done, form_key):
    """A form posted from the child page (a step, a flag, a birth): the form's fields
    are the service's arguments (its version the expected one); saved, the message
    ``done`` and back to the child page; else the child page with the form (400)."""
    return post_on_detail(
        request,
        form,
        call_with(service, *form.fields, actor=request.user, record=record),
        done=done,
        back_to=reverse("detection:child_detail", args=[record.pk]),
        template="detection/child_detail.html",
        context=lambda form: child_context(
            request, queries.child_record_get(actor=request.user, pk=record.pk), **{form_key: form}
        ),
    )


# A change posted from the child page: its form (of the POST and the record), the
# form's name on the page, the service and what is said when it is saved.
CHILD_STEPS = {
    "step": (
        lambda data, record: StepForm(data, record=record),
        "step_form",
        services.child_record_step,
        lambda step: _("Steget är sparat: %(status)s.") % {"status": step.get_status_display()},
    ),
    "flag": (
        lambda data, record: FlagForm(data, auto_id="flag_%s"),
        "flag_form",
        services.child_flag_add,
        lambda flag: _("Markeringen är sparad: %(flag)s.") % {"flag": flag.get_kind_display()},
    ),
    "born": (
        lambda data, record: BornForm(data),
        "born_form",
        services.child_record_born,
        gettext_lazy("Barnet är registrerat som fött."),
    ),
}
