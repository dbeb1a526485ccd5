"""Early detection pages: the child question, children as next of kin and concern
reports. Thin: parse, call a query or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read
from kinsight.cases import queries as case_queries
from kinsight.core.services import StaleEdit
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.detection import queries, services
from kinsight.detection.forms import (
    BornForm,
    ChildQuestionForm,
    ChildRecordEditForm,
    ChildRecordForm,
    ExternalReportForm,
    FeedbackForm,
    FlagEndForm,
    FlagForm,
    InternalReportForm,
    InvestigationForm,
    PreAssessmentForm,
    StepForm,
)
from kinsight.detection.models import ChildFlag, ConcernReport, ReportStatus
from kinsight.detection.services import DuplicateChild
from kinsight.ui.forms_flow import run_service

PAGE_SIZE = 25


def _case(request, case_pk):
    return case_queries.case_get(actor=request.user, pk=case_pk, action="change", audit=False)


def question_answer(request, case_pk):
    case = _case(request, case_pk)
    detection = queries.case_detection(actor=request.user, case=case)
    if not detection["is_adult"]:
        raise Http404
    question = detection["question"]
    initial = {"version": NOT_YET_SAVED}
    if question is not None:
        initial = {
            "version": question.version,
            "has_children": question.has_children,
            "unknown_reason": question.unknown_reason,
            "expecting_child": question.expecting_child,
        }
    form = ChildQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_question_answer(
                actor=request.user,
                case=case,
                has_children=data["has_children"],
                expecting_child=data["expecting_child"],
                unknown_reason=data["unknown_reason"],
                expected_version=data["version"],
            ),
        )
        if saved:
            messages.success(request, _("Barnfrågan är besvarad."))
            if saved.has_children == "yes" and not detection["child_records"]:
                return redirect("detection:child_new", case_pk=case.pk)
            return redirect("cases:case_detail", pk=case.pk)
    context = {"form": form, "case": case, "question": question, "nav": "my_cases"}
    return render(request, "detection/question_form.html", context)


def child_new(request, case_pk):
    case = case_queries.case_get(
        actor=request.user, pk=case_pk, action="change", audit=request.method == "GET"
    )
    form = ChildRecordForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            nonlocal duplicate
            try:
                return services.child_record_add(
                    actor=request.user,
                    case=case,
                    identifier=data["identifier"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    age=data["age"],
                    custody=data["custody"],
                    lives_with=data["lives_with"],
                    other_carers=data["other_carers"],
                )
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


def _child_context(request, record, **extra):
    details = queries.record_details(actor=request.user, record=record)
    can_change = queries.record_can_change(actor=request.user, record=record)
    can_report = can_change and services.can_send_report(actor=request.user, record=record)
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


def child_detail(request, pk):
    record = queries.child_record_get(actor=request.user, pk=pk)
    return render(request, "detection/child_detail.html", _child_context(request, record))


def child_edit(request, pk):
    record = _change_record(request, pk)
    if request.method == "GET":
        audit_read(actor=request.user, obj=record)
    form = ChildRecordEditForm(
        request.POST or None,
        initial={
            "version": record.version,
            "custody": record.custody,
            "lives_with": record.lives_with,
            "other_carers": record.other_carers,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_record_update(
                actor=request.user,
                record=record,
                expected_version=data["version"],
                custody=data["custody"],
                lives_with=data["lives_with"],
                other_carers=data["other_carers"],
            ),
        )
        if saved:
            messages.success(request, _("Uppgifterna om barnet är sparade."))
            return redirect("detection:child_detail", pk=record.pk)
    context = {"form": form, "record": record, "nav": "my_cases"}
    return render(request, "detection/child_edit.html", context)


def _change_record(request, pk):
    queries.child_record_get(actor=request.user, pk=pk, audit=False)  # 404 first
    try:
        return queries.child_record_get(actor=request.user, pk=pk, action="change", audit=False)
    except Http404:
        raise PermissionDenied from None


@require_POST
def child_step(request, pk):
    record = _change_record(request, pk)
    form = StepForm(request.POST, record=record)
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_record_step(
                actor=request.user,
                record=record,
                status=data["status"],
                expected_version=data["version"],
                on=data["on"],
                note=data["note"],
                parent_talked_with=data["parent_talked_with"],
                child_information=data["child_information"],
                child_information_reason=data["child_information_reason"],
            ),
        )
        if saved:
            messages.success(
                request, _("Steget är sparat: %(status)s.") % {"status": saved.get_status_display()}
            )
            return redirect("detection:child_detail", pk=record.pk)
    record = queries.child_record_get(actor=request.user, pk=pk)
    context = _child_context(request, record, step_form=form)
    return render(request, "detection/child_detail.html", context, status=400)


@require_POST
def flag_add(request, pk):
    record = _change_record(request, pk)
    form = FlagForm(request.POST, auto_id="flag_%s")
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.child_flag_add(
                actor=request.user,
                record=record,
                kind=data["kind"],
                noted_on=data["noted_on"],
                note=data["note"],
            ),
        )
        if saved:
            messages.success(
                request, _("Markeringen är sparad: %(flag)s.") % {"flag": saved.get_kind_display()}
            )
            return redirect("detection:child_detail", pk=record.pk)
    record = queries.child_record_get(actor=request.user, pk=pk)
    context = _child_context(request, record, flag_form=form)
    return render(request, "detection/child_detail.html", context, status=400)


@require_POST
def flag_end(request, pk):
    flag = ChildFlag.objects.visible_to(request.user, "view").filter(pk=pk).first()
    if flag is None:
        raise Http404
    record = _change_record(request, flag.record_id)
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


# Concern reports ---------------------------------------------------------------------


def report_send(request, pk):
    """Internal concern report from a child record: the form comes filled in, one more
    click sends it."""
    record = queries.child_record_get(actor=request.user, pk=pk, audit=request.method == "GET")
    if not services.can_send_report(actor=request.user, record=record):
        raise PermissionDenied
    form = InternalReportForm(
        request.POST or None,
        user=request.user,
        initial={"concern": services.suggested_concern(actor=request.user, record=record)},
    )
    if not form.fields["receiving_unit"].queryset.exists():
        messages.error(request, _("Kommunen har ingen enhet för barn och ungdom att skicka till."))
        return redirect("detection:child_detail", pk=record.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = run_service(
            request,
            form,
            lambda: services.concern_report_send(
                actor=request.user,
                record=record,
                receiving_unit=data["receiving_unit"],
                concern=data["concern"],
                feedback_requested=data["feedback_requested"],
            ),
        )
        if report:
            messages.success(
                request,
                _("Orosanmälan är skickad till %(unit)s.") % {"unit": report.receiving_unit},
            )
            return redirect("detection:child_detail", pk=record.pk)
    context = {"form": form, "record": record, "nav": "my_cases"}
    return render(request, "detection/report_send.html", context)


def _page(request, queryset, key):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(key))
    queries.audit_list(
        actor=request.user, objects=page.object_list, object_type=queries.REPORT_TYPE
    )
    return page


def report_list(request):
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    received = _page(request, queries.reports_received(actor=request.user, status=status), "sida")
    sent = _page(request, queries.reports_sent(actor=request.user), "skickade")
    context = {
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


def report_new(request):
    form = ExternalReportForm(request.POST or None, user=request.user)
    if not form.fields["receiving_unit"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = run_service(
            request,
            form,
            lambda: services.concern_report_register(
                actor=request.user,
                receiving_unit=data["receiving_unit"],
                reporter_category=data["reporter_category"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                child_name=data["child_name"],
                child_age=data["child_age"],
                received_on=data["received_on"],
                concern=data["concern"],
                feedback_requested=data["feedback_requested"],
            ),
        )
        if report:
            messages.success(request, _("Orosanmälan är registrerad."))
            return redirect("detection:report_detail", pk=report.pk)
    context = {"form": form, "nav": "reports"}
    return render(
        request, "detection/report_form.html", context, status=400 if form.errors else 200
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


def report_detail(request, pk):
    report, full = queries.report_get(actor=request.user, pk=pk)
    return render(request, "detection/report_detail.html", _report_context(request, report, full))


def _change_report(request, pk):
    report, full = queries.report_get(actor=request.user, pk=pk, audit=False)
    if not full:
        raise PermissionDenied
    return report


def _report_step(request, pk, form_class, form_key, service, done):
    """A step on a concern report: the form, the service given the report and the
    form's data, the message and back to the report; else the report page with the
    form's errors (400)."""
    report = _change_report(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(request, form, lambda: service(report, data))
        if saved:
            messages.success(request, done)
            return redirect("detection:report_detail", pk=report.pk)
    report, full = queries.report_get(actor=request.user, pk=pk)
    context = _report_context(request, report, full, **{form_key: form})
    return render(request, "detection/report_detail.html", context, status=400)


@require_POST
def report_pre_assessment(request, pk):
    return _report_step(
        request,
        pk,
        PreAssessmentForm,
        "pre_form",
        lambda report, data: services.concern_report_pre_assessment(
            actor=request.user,
            report=report,
            decision=data["decision"],
            decided_on=data["decided_on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        _("Beslutet efter förhandsbedömningen är sparat."),
    )


@require_POST
def report_investigation(request, pk):
    return _report_step(
        request,
        pk,
        InvestigationForm,
        "investigation_form",
        lambda report, data: services.concern_report_complete_investigation(
            actor=request.user,
            report=report,
            outcome=data["outcome"],
            completed_on=data["completed_on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        _("Utredningen är avslutad."),
    )


@require_POST
def report_feedback(request, pk):
    """Record that the reporter got feedback (19 kap. 6 § SoL)."""
    return _report_step(
        request,
        pk,
        FeedbackForm,
        "feedback_form",
        lambda report, data: services.concern_report_feedback(
            actor=request.user,
            report=report,
            given_on=data["given_on"],
            expected_version=data["version"],
        ),
        _("Återkopplingen till anmälaren är sparad."),
    )
