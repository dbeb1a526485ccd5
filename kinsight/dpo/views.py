"""The register extract's pages (dataskydd/registerutdrag/): the register of requests,
one request from compile through review to release, and the downloads. Log reviewers
only; everyone else gets 404."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.accounts.reauth import require_recent_auth
from kinsight.dpo import queries, services
from kinsight.dpo.forms import ExtractRequestForm, StepForm
from kinsight.dpo.models import ExtractRequest, ExtractStatus
from kinsight.ui.exports import export_response, watermark, with_mark
from kinsight.ui.forms_flow import act_and_back, form_page
from kinsight.ui.paging import query_without_page
from kinsight.ui.routes import route

BASE = "dataskydd/registerutdrag/"


def _detail_url(obj: ExtractRequest) -> str:
    return reverse("dpo:extract_detail", args=[obj.pk])


@route(BASE, name="extract_list")
def extract_list(request: HttpRequest) -> HttpResponse:
    queries.require_dpo_page(request.user)  # type: ignore[arg-type]
    form = ExtractRequestForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.extract_request_create(actor=request.user, **data),  # type: ignore[arg-type]
        done=_("Begäran är registrerad."),
        back_to=_detail_url,
        template="dpo/extract_list.html",
        context={
            "title": _("Registerutdrag"),
            "page": queries.extract_request_page(request),
            "today": timezone.localdate(),
            "query": query_without_page(request),
            "nav": "dpo",
        },
    )


@route(BASE + "<int:pk>/", name="extract_detail")
def extract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = queries.extract_request_get(actor=request.user, pk=pk)  # type: ignore[arg-type]
    context = {
        "title": _("Registerutdrag för %(name)s") % {"name": obj.person.full_name},
        "obj": obj,
        "flagged": services.flagged(obj.extract),
        "today": timezone.localdate(),
        "form": StepForm(initial={"version": obj.version}),
        "nav": "dpo",
    }
    return render(request, "dpo/extract_detail.html", context)


def _step(
    request: HttpRequest, pk: int, call: Any, done: str, *, with_note: bool = True
) -> HttpResponse:
    obj = queries.extract_request_for_change(actor=request.user, pk=pk)  # type: ignore[arg-type]
    version = request.POST.get("version", "")
    extra = {"note": request.POST.get("note", "")} if with_note else {}
    return act_and_back(
        request,
        lambda: call(
            actor=request.user,
            request=obj,
            expected_version=int(version) if version.isdigit() else None,
            **extra,
        ),
        done=done,
        back=_detail_url(obj),
    )


@route(BASE + "<int:pk>/sammanstall/", name="extract_compile")
@require_POST
def extract_compile(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("Registerutdraget är sammanställt.")
    return _step(request, pk, services.extract_compile, done, with_note=False)


@route(BASE + "<int:pk>/lamna-ut/", name="extract_release")
@require_POST
def extract_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.extract_release, _("Registerutdraget är utlämnat."))


@route(BASE + "<int:pk>/avsla/", name="extract_refuse")
@require_POST
def extract_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.extract_refuse, _("Begäran är avslagen."))


@route(BASE + "<int:pk>/granska/", name="extract_review")
@require_POST
def extract_review(request: HttpRequest, pk: int) -> HttpResponse:
    obj = queries.extract_request_for_change(actor=request.user, pk=pk)  # type: ignore[arg-type]
    decisions = {
        key.removeprefix("decision-"): str(value)
        for key, value in request.POST.items()
        if key.startswith("decision-")
    }
    version = request.POST.get("version", "")
    return act_and_back(
        request,
        lambda: services.extract_review(
            actor=request.user,  # type: ignore[arg-type]
            request=obj,
            decisions=decisions,
            expected_version=int(version) if version.isdigit() else None,  # type: ignore[arg-type]
        ),
        done=_("Granskningen är sparad."),
        back=_detail_url(obj),
    )


def _released(request: HttpRequest, pk: int) -> ExtractRequest:
    """A download: only of a released extract (404 before)."""
    obj = queries.extract_request_get(actor=request.user, pk=pk)  # type: ignore[arg-type]
    if obj.status != ExtractStatus.RELEASED:
        raise Http404
    return obj


def _download(
    request: HttpRequest, content: bytes, content_type: str, obj: ExtractRequest, ext: str
) -> HttpResponse:
    """The released extract as a file, audited as an export naming the items it holds."""
    return export_response(
        content=content,
        filename=f"registerutdrag-{obj.pk}-{timezone.localdate().isoformat()}.{ext}",
        content_type=content_type,
        audit=lambda: services.extract_export(actor=request.user, request=obj, fmt=ext),  # type: ignore[arg-type]
    )


@route(BASE + "<int:pk>/registerutdrag.json", name="extract_json")
@require_recent_auth
def extract_json(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _released(request, pk)
    document = with_mark(services.released(obj), watermark(request.user))
    content = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return _download(request, content, "application/json", obj, "json")


@route(BASE + "<int:pk>/registerutdrag.pdf", name="extract_pdf")
@require_recent_auth
def extract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    obj = _released(request, pk)
    context = {
        "obj": obj,
        "document": services.released(obj),
        "printed_at": timezone.localtime(),
        "watermark": watermark(request.user),
    }
    html = render_to_string("dpo/print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return _download(request, pdf, "application/pdf", obj, "pdf")
