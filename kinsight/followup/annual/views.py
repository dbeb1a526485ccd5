"""The annual report's pages: the kept reports with the form that asks for a new one,
a report's page (status polled with htmx while it runs, the section texts, the
downloads), the status fragment, a new start after a failure, and the two downloads
(audited as exports). Outside the actor's scope: 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.accounts.reauth import require_recent_auth
from kinsight.followup.annual import queries, services
from kinsight.followup.annual.forms import AnnualReportForm, SectionTextsForm, section_titles
from kinsight.followup.queries import can_see_dashboard
from kinsight.followup.suppression import threshold
from kinsight.ui.exports import export_response, stamp_pdf, stamp_xlsx, watermark
from kinsight.ui.forms_flow import act_and_back, post_on_detail, run_service
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.progress import status_view
from kinsight.ui.routes import route

FILES = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@route("uppfoljning/arsrapport/", name="annual_reports")
def annual_reports(request):
    if not can_see_dashboard(request.user):
        raise Http404
    form = AnnualReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.annual_report_request(actor=request.user, **form.cleaned_data)  # noqa: E731
        report = run_service(request, form, call)
        if report is not None:
            messages.success(
                request, _("Årsrapporten skapas. Sidan visar hur långt den har kommit.")
            )
            return redirect("followup:annual_report", pk=report.pk)
    page = page_of(request, queries.annual_reports(request.user))
    context = {
        "title": _("Årsrapporter"),
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "limit": threshold(),
        "nav": "annual_reports",
    }
    return render(request, "followup/annual/list.html", context, status=400 if form.errors else 200)


def _context(request, report, form=None):
    titles = section_titles()
    form = form or SectionTextsForm(sections=titles, stored=services.texts_of(report))
    return {
        "title": _("Årsrapport %(year)s: %(scope)s")
        % {"year": report.year, "scope": report.scope_unit.name},
        "report": report,
        "texts_form": form,
        "nav": "annual_reports",
    }


@route("uppfoljning/arsrapport/<int:pk>/", name="annual_report")
def annual_report(request, pk):
    context = _context(request, queries.annual_report_get(request.user, pk))
    return render(request, "followup/annual/detail.html", context)


annual_report_status = route(
    "uppfoljning/arsrapport/<int:pk>/status/", name="annual_report_status"
)(status_view(__name__, queries.annual_report_get, "followup/annual/_status.html", "report"))


@route("uppfoljning/arsrapport/<int:pk>/texter/", name="annual_report_texts")
@require_POST
def annual_report_texts(request, pk):
    report = queries.annual_report_get(request.user, pk, "change")
    stored = services.texts_of(report)
    form = SectionTextsForm(request.POST, sections=section_titles(), stored=stored)

    def save(_data):
        services.annual_report_texts_save(  # none changed (0) is a save too
            actor=request.user, report=report, texts=form.texts(), versions=form.versions()
        )
        return report

    return post_on_detail(
        request,
        form,
        save,
        done=_("Texterna är sparade. De kommer med i nästa rapport för året."),
        back_to=reverse("followup:annual_report", kwargs={"pk": pk}),
        template="followup/annual/detail.html",
        context=lambda shown: _context(request, report, shown),
    )


@route("uppfoljning/arsrapport/<int:pk>/starta-igen/", name="annual_report_restart")
@require_POST
def annual_report_restart(request, pk):
    report = queries.annual_report_get(request.user, pk)
    back = reverse("followup:annual_report", kwargs={"pk": pk})
    call = lambda: services.annual_report_restart(actor=request.user, report=report)  # noqa: E731
    return act_and_back(request, call, done=_("Årsrapporten skapas igen."), back=back)


@route("uppfoljning/arsrapport/<int:pk>/arsrapport.<str:fmt>", name="annual_report_file")
@require_recent_auth
def annual_report_file(request, pk, fmt):
    if fmt not in FILES:
        raise Http404
    return file_download(request, pk, fmt)


STAMPS = {"pdf": stamp_pdf, "xlsx": stamp_xlsx}


def file_download(request, pk, fmt):
    """The report's file ``fmt`` as a download, stamped with the user's watermark and
    audited as an export (the page's and the API's); 404 outside the scope and while it
    is not made."""
    user = request.user
    report, data = queries.annual_report_file(user, pk, fmt)
    if data is None:
        raise Http404
    content_type, ext = FILES[fmt]
    return export_response(
        content=STAMPS[fmt](bytes(data), watermark(user)),
        filename=f"arsrapport-{report.year}-{report.scope_unit_id}.{ext}",
        content_type=content_type,
        audit=lambda: services.annual_report_export(actor=user, report=report, fmt=fmt),
    )
