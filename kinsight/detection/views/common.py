"""What the child pages share: the case being worked on, the child page's context,
and a form posted from the child page."""

from django.urls import reverse

from kinsight.cases import queries as case_queries
from kinsight.detection import queries
from kinsight.detection.forms import BornForm, FlagEndForm, FlagForm, StepForm
from kinsight.ui.forms_flow import call_with, post_on_detail


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
