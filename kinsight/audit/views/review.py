"""Log review: patterns worth a look and their hits, the monthly sample per unit, and
the reviews with their PDF. Log reviewers only; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit import patterns, review, sampling
from kinsight.audit.forms import MonthForm, PeriodForm, ReviewFilterForm, ReviewForm
from kinsight.audit.models import LogReview
from kinsight.audit.queries import require_log_reviewer
from kinsight.core.models import User
from kinsight.ui.forms_flow import act_and_back, form_page
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route


class StaffRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: its user is a member of staff."""

    user: User


def _context(request: HttpRequest, title: str, sub: str, **more: Any) -> dict[str, Any]:
    return {
        "title": title,
        "nav": "audit",
        "sub": sub,
        "query": query_without_page(request),
        **more,
    }


def _review_url(saved: LogReview) -> str:
    return reverse("audit:review_detail", args=[saved.pk])


def _reviewed_page(
    request: StaffRequest,
    save: Callable[[dict[str, Any]], LogReview],
    template: str,
    context: dict[str, Any],
    **more: Any,
) -> HttpResponse:
    """A pattern hit's or a sample's page (its log entries, earlier reviews) with the
    form that records a review, and the saved review's page after."""
    return form_page(
        request,
        ReviewForm(request.POST or None),
        save,
        done=_("Granskningen är sparad."),
        back_to=_review_url,
        template=template,
        context={**context, "submit": _("Spara granskningen"), **more},
    )


@route("logg/monster/", name="pattern_list")
def pattern_list(request: StaffRequest) -> HttpResponse:
    require_log_reviewer(request.user)
    first, last = patterns.default_period()
    form = PeriodForm(request.GET or {"start": first, "end": last})
    found = None
    if form.is_valid():
        found = review.pattern_hits(
            actor=request.user,
            first=form.cleaned_data["start"],
            last=form.cleaned_data["end"],
        )
    context = _context(
        request,
        _("Mönster att titta på"),
        "patterns",
        form=form,
        found=found,
        threshold=patterns.many_persons_threshold(),
        hours=patterns.working_hours(),
    )
    return render(request, "audit/pattern_list.html", context, status=200 if found else 400)


@route("logg/monster/<str:pattern>/<int:actor>/<int:person>/<str:bucket>/", name="hit_detail")
def hit_detail(
    request: StaffRequest, pattern: str, actor: int, person: int, bucket: str
) -> HttpResponse:
    user = request.user
    hit: dict[str, Any] = {
        "pattern": pattern,
        "actor_id": actor,
        "person_id": person,
        "bucket": bucket,
    }
    shown = review.hit_get(actor=user, page_number=request.GET.get("page"), **hit)
    context = _context(
        request, str(shown.hit.pattern.title), "patterns", hit=shown.hit, page=shown.page
    )
    return _reviewed_page(
        request,
        lambda data: review.review_hit_create(actor=user, **hit, **data),
        "audit/hit_detail.html",
        context,
        reviews=shown.reviews,
        caption=_("Loggposter i träffen"),
    )


@route("logg/stickprov/", name="sample_list")
def sample_list(request: StaffRequest) -> HttpResponse:
    """The month's samples (the previous month by default); a button draws those not
    drawn yet."""
    user = request.user
    require_log_reviewer(user)
    if request.method == "POST":
        form = MonthForm(request.POST)
        month = form.cleaned_data["month"] if form.is_valid() else None
        back = reverse("audit:sample_list")
        if month is None:
            return _sample_page(request, form, status=400)
        return act_and_back(
            request,
            lambda: sampling.sample_draw(actor=user, month=month),
            done=_("Stickproven är dragna."),
            back=f"{back}?month={month:%Y-%m}",
        )
    initial = {"month": f"{sampling.previous_month():%Y-%m}"}
    return _sample_page(request, MonthForm(request.GET or initial))


def _sample_page(request: StaffRequest, form: MonthForm, status: int = 200) -> HttpResponse:
    samples, month = [], None
    if form.is_valid():
        month = form.cleaned_data["month"]
        samples = review.samples_of_month(actor=request.user, month=month)
    context = _context(
        request,
        _("Månadens stickprov"),
        "samples",
        form=form,
        month=month,
        samples=samples,
        size=sampling.sample_size(),
        may_draw=month is not None and month < timezone.localdate().replace(day=1),
    )
    return render(
        request, "audit/sample_list.html", context, status=status if form.is_valid() else 400
    )


@route("logg/stickprov/<int:pk>/", name="sample_detail")
def sample_detail(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    shown = review.sample_get(actor=user, pk=pk, page_number=request.GET.get("page"))
    sample = shown.sample
    title = _("Stickprov %(month)s: %(unit)s") % {
        "month": f"{sample.month:%Y-%m}",
        "unit": sample.unit.name,
    }
    return _reviewed_page(
        request,
        lambda data: review.review_sample_create(actor=user, sample=sample, **data),
        "audit/sample_detail.html",
        _context(request, title, "samples", sample=sample, page=shown.page),
        reviews=shown.reviews,
        caption=_("Loggposter i stickprovet"),
    )


@route("logg/granskningar/", name="review_list")
def review_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    require_log_reviewer(user)
    form = ReviewFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    page = page_of(request, review.reviews(actor=user, filters=filters))
    review.audit_reviews(actor=user, rows=list(page.object_list))
    for row in page.object_list:
        row.kind_title = _kind_title(row)
    context = _context(request, _("Granskningar av loggen"), "reviews", form=form, page=page)
    return render(request, "audit/review_list.html", context, status=200 if valid else 400)


def _kind_title(obj: LogReview) -> str:
    if obj.sample_id:
        return _("Stickprov %(month)s: %(unit)s") % {
            "month": f"{obj.sample.month:%Y-%m}",
            "unit": obj.sample.unit.name,
        }
    return str(patterns.get(obj.pattern).title)


@route("logg/granskningar/<int:pk>/", name="review_detail")
def review_detail(request: StaffRequest, pk: int) -> HttpResponse:
    shown = review.review_get(actor=request.user, pk=pk, page_number=request.GET.get("page"))
    context = _context(
        request,
        _("Granskning av loggen"),
        "reviews",
        shown=shown,
        obj=shown.review,
        kind=_kind_title(shown.review),
        page=shown.page,
        caption=_("Granskade loggposter"),
    )
    return render(request, "audit/review_detail.html", context)


def download(request: HttpRequest, content: bytes, filename: str) -> HttpResponse:
    """The one way a log review leaves Kinsight as a file (re-authentication and the
    watermark of every export are added here)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@route("logg/granskningar/<int:pk>/granskning.pdf", name="review_pdf")
def review_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    shown = review.review_get(actor=request.user, pk=pk, export=True)
    context = {
        "shown": shown,
        "obj": shown.review,
        "kind": _kind_title(shown.review),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }
    html = render_to_string("audit/review_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return download(request, pdf, f"loggranskning-{shown.review.pk}.pdf")
