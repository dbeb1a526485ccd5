"""Concern reports: sent from a child record, registered by the receiving unit, listed,
and taken step by step (förhandsbedömning, investigation, feedback)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.detection import queries, services
from kinsight.detection.forms import (
    ExternalReportForm,
    FeedbackForm,
    InternalReportForm,
    InvestigationForm,
    PreAssessmentForm,
)
from kinsight.detection.models import ConcernReport, ReportStatus
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail
from kinsight.ui.paging import page_of
from kinsight.ui.routes import route

REPORT_FIELDS = (
    "receiving_unit",
    "reporter_category",
    "reporter_name",
    "reporter_contact",
    "child_name",
    "child_age",
    "received_on",
    "concern",
    "feedback_requested",
)


@route("barn-som-anhoriga/<int:pk>/orosanmalan/", name="report_send")
def report_send(request, pk):
    """Internal concern report from a child record: the form comes filled in, one more
    click sends it."""
    if request.method == "GET":
        record = queries.child_record_get(actor=request.user, pk=pk)
    else:
        record = queries.child_record_for_change(actor=request.user, pk=pk, action="view")
    if not queries.can_send_report(actor=request.user, record=record):
        raise PermissionDenied
    form = InternalReportForm(
        request.POST or None,
        user=request.user,
        initial={"concern": queries.suggested_concern(actor=request.user, record=record)},
    )
    if not form.fields["receiving_unit"].queryset.exists():
        messages.error(request, _("Kommunen har ingen enhet för barn och ungdom att skicka till."))
        return redirect("detection:child_detail", pk=record.pk)
    fields = ("receiving_unit", "concern", "feedback_requested")
    back = reverse("detection:child_detail", args=[record.pk])
    return form_page(
        request,
        form,
        lambda data: services.concern_report_send(
            actor=request.user, record=record, **{name: data[name] for name in fields}
        ),
        done=lambda report: (
            _("Orosanmälan är skickad till %(unit)s.") % {"unit": report.receiving_unit}
        ),
        back_to=back,
        template="detection/report_send.html",
        context={
            "title": _("Orosanmälan om %(name)s") % {"name": record.display_name},
            "submit": _("Skicka orosanmälan"),
            "cancel_url": back,
            "nav": "my_cases",
        },
    )


def _page(request, queryset, key):
    page = page_of(request, queryset, key=key)
    queries.audit_list(
        actor=request.user, objects=page.object_list, object_type=queries.REPORT_TYPE
    )
    return page


@route("orosanmalningar/", name="report_list")
def report_list(request):
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    received = _page(request, queries.reports_received(actor=request.user, status=status), "sida")
    sent = _page(request, queries.reports_sent(actor=request.user), "skickade")
    context = {
        "title": _("Orosanmälningar"),
        "received": received,
        "sent": sent,
        "status": status,
        "statuses": ReportStatus.choices,
        "can_register": ExternalReportForm(user=request.user)
        .fields["receiving_unit"]
        .queryset.exists(),
        "nav": "reports",
    }
    return render(request, "detection/report_list.html", context)


@route("orosanmalningar/ny/", name="report_new")
def report_new(request):
    form = ExternalReportForm(request.POST or None, user=request.user)
    if not form.fields["receiving_unit"].queryset.exists():
        raise Http404
    return form_page(
        request,
        form,
        lambda data: services.concern_report_register(
            actor=request.user, **{name: data[name] for name in REPORT_FIELDS}
        ),
        done=_("Orosanmälan är registrerad."),
        back_to=lambda report: reverse("detection:report_detail", args=[report.pk]),
        template="ui/form_page.html",
        context={
            "title": _("Registrera orosanmälan"),
            "submit": _("Registrera"),
            "cancel_url": reverse("detection:report_list"),
            "nav": "reports",
        },
    )


def _report_context(request, report, full, **extra):
    can_change = (
        full
        and ConcernReport.objects.visible_to(request.user, "change").filter(pk=report.pk).exists()
    )
    context = {
        "report": report,
        "full": full,
        "pre_form": PreAssessmentForm(initial={"version": report.version})
        if can_change and report.status == ReportStatus.RECEIVED
        else None,
        "investigation_form": InvestigationForm(initial={"version": report.version})
        if can_change and report.status == ReportStatus.INVESTIGATING
        else None,
        "feedback_form": FeedbackForm(initial={"version": report.version})
        if can_change and report.awaits_feedback
        else None,
        "legal": report.pre_assessment_rule.legal_references(report.received_on)
        if full and report.pre_assessment_rule
        else [],
        "nav": "reports",
    }
    context.update(extra)
    return context


@route("orosanmalningar/<int:pk>/", name="report_detail")
def report_detail(request, pk):
    report, full = queries.report_get(actor=request.user, pk=pk)
    return render(request, "detection/report_detail.html", _report_context(request, report, full))


# A step on a concern report: its form, the form's name on the report page, the
# service and what is said when it is saved.
REPORT_STEPS = {
    "pre_assessment": (
        PreAssessmentForm,
        "pre_form",
        services.concern_report_pre_assessment,
        gettext_lazy("Beslutet efter förhandsbedömningen är sparat."),
    ),
    "investigation": (
        InvestigationForm,
        "investigation_form",
        services.concern_report_complete_investigation,
        gettext_lazy("Utredningen är avslutad."),
    ),
    "feedback": (  # the reporter got feedback (19 kap. 6 § SoL)
        FeedbackForm,
        "feedback_form",
        services.concern_report_feedback,
        gettext_lazy("Återkopplingen till anmälaren är sparad."),
    ),
}


@route(
    "orosanmalningar/<int:pk>/forhandsbedomning/",
    name="report_pre_assessment",
    step="pre_assessment",
)
@route("orosanmalningar/<int:pk>/utredning/", name="report_investigation", step="investigation")
@route("orosanmalningar/<int:pk>/aterkoppling/", name="report_feedback", step="feedback")
@require_POST
def report_step(request, pk, step):
    """A step on a concern report: the form's fields are the service's arguments (its
    version the expected one); saved, the message and back to the report; else the
    report page with the form's errors (400)."""
    form_class, form_key, service, done = REPORT_STEPS[step]
    report = queries.report_for_change(actor=request.user, pk=pk)
    form = form_class(request.POST)

    def context(form):
        fresh, full = queries.report_get(actor=request.user, pk=pk)
        return _report_context(request, fresh, full, **{form_key: form})

    return post_on_detail(
        request,
        form,
        call_with(service, *form.fields, actor=request.user, report=report),
        done=done,
        back_to=reverse("detection:report_detail", args=[report.pk]),
        template="detection/report_detail.html",
        context=context,
    )
