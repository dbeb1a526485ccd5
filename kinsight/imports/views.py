"""The import pages (administrators only, 404 for everyone else): the list with the
upload form, the templates, the column guide and the demo's sample file; an import's
page (its dry run paged, polled while it runs), the run, undo, and the error report."""

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only
from kinsight.audit.services import audit_read
from kinsight.imports import formats, queries, services
from kinsight.imports.forms import UploadForm
from kinsight.imports.models import ImportKind, Outcome
from kinsight.ui.forms_flow import act_and_back, run_service
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.progress import status_view
from kinsight.ui.routes import route

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = "personer-exempel.csv"


def _download(data: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=formats.FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def guide() -> list[dict]:
    return [
        {"kind": kind, "label": label, "columns": formats.COLUMNS[kind]}
        for kind, label in ImportKind.choices
    ]


@route("import/", name="list")
def import_list(request):
    administrator_only(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        call = lambda: services.import_upload(  # noqa: E731
            actor=request.user, kind=form.cleaned_data["kind"], name=upload.name, data=upload.read()
        )
        run = run_service(request, form, call)
        if run is not None:
            messages.success(
                request,
                _("Filen är uppladdad och provkörs. Inget sparas förrän du startar importen."),
            )
            return redirect("imports:detail", pk=run.pk)
    context = {
        "title": _("Import från tidigare system"),
        "form": form,
        "page": page_of(request, queries.imports(request.user)),
        "guide": guide(),
        "sample": SAMPLE,
        "nav": "imports",
    }
    return render(request, "imports/list.html", context, status=400 if form.errors else 200)


@route("import/exempel/", name="sample")
@require_POST
def import_sample(request):
    """The demo's sample file, uploaded as if chosen on the form."""
    administrator_only(request)
    data = (SAMPLES / SAMPLE).read_bytes()
    run = services.import_upload(
        actor=request.user, kind=ImportKind.PERSONS, name=SAMPLE, data=data
    )
    messages.success(request, _("Exempelfilen är uppladdad och provkörs."))
    return redirect("imports:detail", pk=run.pk)


@route("import/exempel/<str:name>", name="sample_file")
def import_sample_file(request, name):
    administrator_only(request)
    if name != SAMPLE:
        raise Http404
    return _download((SAMPLES / SAMPLE).read_bytes(), "csv", SAMPLE.removesuffix(".csv"))


@route("import/mall/<str:kind>.<str:fmt>", name="template")
def import_template(request, kind, fmt):
    administrator_only(request)
    if kind not in ImportKind.values or fmt not in formats.FORMATS:
        raise Http404
    return _download(formats.template(kind, fmt), fmt, f"mall-{kind}")


@route("import/<int:pk>/", name="detail")
def import_detail(request, pk):
    run = queries.import_get(request.user, pk, with_report=True)
    audit_read(actor=request.user, obj=run)
    only_refused = request.GET.get("visa") == "avvisade"
    rows = [r for r in run.report if r[1] == Outcome.REFUSED] if only_refused else run.report
    context = {
        "title": _("Import: %(file)s") % {"file": run.file_name},
        "run": run,
        "page": page_of(request, rows),
        "query": query_without_page(request),
        "only_refused": only_refused,
        "outcomes": dict(Outcome.choices),
        "nav": "imports",
    }
    return render(request, "imports/detail.html", context)


import_status = route("import/<int:pk>/status/", name="status")(
    status_view(__name__, queries.import_get, "imports/_status.html", "run")
)


def _act_on(request, pk, service, done):
    """A button of an import's page: ``service(actor=…, run=…)`` and back to the page."""
    run = queries.import_get(request.user, pk, "change")
    call = lambda: service(actor=request.user, run=run)  # noqa: E731
    return act_and_back(request, call, done=done, back=reverse("imports:detail", args=[pk]))


@route("import/<int:pk>/starta/", name="start")
@require_POST
def import_start(request, pk):
    done = _("Importen har startat. Sidan visar hur långt den har kommit.")
    return _act_on(request, pk, services.import_start, done)


@route("import/<int:pk>/angra/", name="undo")
@require_POST
def import_undo(request, pk):
    done = _("Importen är ångrad: det den skapade är borttaget och det den ändrade återställt.")
    return _act_on(request, pk, services.import_undo, done)


@route("import/<int:pk>/rapport.<str:fmt>", name="report")
def import_report(request, pk, fmt):
    if fmt not in formats.FORMATS:
        raise Http404
    run = queries.import_get(request.user, pk, "export", with_report=True)
    data = services.import_report_export(actor=request.user, run=run, file_format=fmt)
    return _download(data, fmt, f"provkorning-{run.pk}")
