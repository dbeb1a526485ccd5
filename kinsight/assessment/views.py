"""The assessment pages: the whole assessment by perspective, one unit's part, an
instrument form and the PDF. Thin: parse, call a query or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only
from kinsight.assessment import queries, services
from kinsight.assessment.forms import InstrumentForm, PartForm, ProtectiveFactorForm
from kinsight.assessment.models import AssessmentPart, ProtectiveFactor
from kinsight.audit.services import audit_read
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.ui.forms_flow import run_service


def work_url(work):
    return reverse("assessment:detail", args=[work.pk])


def assessment_detail(request, work_pk):
    work = queries.family_work_get(actor=request.user, pk=work_pk)
    overview = queries.assessment_overview(actor=request.user, family_work=work)
    context = {
        "work": work,
        "overview": overview,
        "instruments": queries.instruments_for(actor=request.user),
        "nav": "family",
    }
    return render(request, "assessment/assessment_detail.html", context)


def _perspective_or_message(request, work, key):
    try:
        return services.perspective_get(family_work=work, key=key), None
    except ValidationError as error:
        return None, error.message_dict["perspective"][0]


def part_edit(request, work_pk, perspective, unit_pk):
    work = queries.family_work_get(actor=request.user, pk=work_pk)
    participant = next(
        (
            p
            for p in queries.own_units(actor=request.user, family_work=work)
            if p.unit_id == unit_pk
        ),
        None,
    )
    if participant is None:
        # Another unit's part is read on the assessment page, never edited here.
        raise Http404
    found, problem = _perspective_or_message(request, work, perspective)
    if problem:
        context = {"work": work, "problem": problem, "nav": "family"}
        return render(request, "assessment/perspective_missing.html", context, status=400)
    part = AssessmentPart.objects.filter(
        family_work=work, perspective=found.key, unit_id=unit_pk
    ).first()
    if part is not None:
        part = queries.part_for_write(actor=request.user, pk=part.pk)
    initial = {"version": NOT_YET_SAVED}
    if part is not None:
        initial = {name: getattr(part, name) for name in services.PART_FIELDS}
        initial["version"] = part.version
        initial["protective_factors"] = list(part.protective_factors.all())
    factors = queries.factors_for(actor=request.user)
    form = PartForm(request.POST or None, initial=initial, factors=factors, kind=found.kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.part_save(
                actor=request.user,
                family_work=work,
                perspective_key=found.key,
                unit=participant.unit,
                data=data,
                protective_factors=data["protective_factors"],
                expected_version=data["version"],
            ),
        )
        if saved:
            messages.success(request, _("Bedömningen är sparad."))
            return redirect(f"{work_url(work)}#p-{slugify(found.key)}")
    elif part is not None and request.method == "GET":
        audit_read(actor=request.user, obj=part)
    overview = queries.assessment_view(actor=request.user, family_work=work)
    view = next(v for v in overview.perspectives if v.key == found.key)
    context = {
        "work": work,
        "form": form,
        "part": part,
        "perspective": view,
        "unit": participant.unit,
        "nav": "family",
    }
    return render(request, "assessment/part_form.html", context, status=400 if form.errors else 200)


def result_new(request, part_pk, instrument_pk):
    part = queries.part_for_write(actor=request.user, pk=part_pk)
    instrument = queries.instrument_get(actor=request.user, pk=instrument_pk)
    initial = {"answered_on": timezone.localdate()}
    if part.person is not None and part.person.sex in ("female", "male"):
        initial["sex"] = part.person.sex
    form = InstrumentForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.instrument_result_record(
                actor=request.user,
                part=part,
                instrument=instrument,
                answers=form.answers(),
                sex=data.get("sex", ""),
                answered_on=data.get("answered_on"),
                note=data.get("note", ""),
            ),
        )
        if saved:
            message = _("%(name)s: summa %(total)s.") % {
                "name": instrument.code.upper(),
                "total": saved.total_score,
            }
            if saved.cutoff_label:
                message += " " + saved.cutoff_label + "."
            messages.success(request, message)
            return redirect(work_url(part.family_work))
    context = {"part": part, "instrument": instrument, "form": form, "nav": "family"}
    return render(
        request, "assessment/result_form.html", context, status=400 if form.errors else 200
    )


def assessment_pdf(request, work_pk):
    from weasyprint import HTML

    work = queries.family_work_get(actor=request.user, pk=work_pk)
    overview = queries.assessment_view(actor=request.user, family_work=work)
    queries.assessment_export(actor=request.user, overview=overview)
    html = render_print_html(request, work, overview)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bedomning-{work.pk}-{stamp}.pdf"'
    return response


def render_print_html(request, work, overview):
    context = {
        "work": work,
        "overview": overview,
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }
    return render_to_string("assessment/print.html", context, request=request)


def protective_factors(request):
    """The protective-factor catalogue: shipped factors (seed 001) and the
    municipality's own, which its administrators add and switch off."""
    administrator_only(request)
    form = ProtectiveFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        label = form.cleaned_data["label"]
        factor = run_service(
            request,
            form,
            lambda: services.protective_factor_add(
                actor=request.user,
                code=slugify(label)[:40] or "skyddsfaktor",
                label=label,
                target=form.cleaned_data["target"],
            ),
        )
        if factor:
            messages.success(request, _("Skyddsfaktorn är tillagd."))
            return redirect("assessment:protective_factors")
    factors = ProtectiveFactor.objects.visible_to(request.user, "view").order_by(
        "municipality_id", "order", "pk"
    )
    context = {"form": form, "factors": factors, "nav": "assessment_catalogue"}
    return render(request, "assessment/protective_factors.html", context)


@require_POST
def protective_factor_toggle(request, pk):
    administrator_only(request)
    factor = get_object_or_404(ProtectiveFactor.objects.visible_to(request.user, "change"), pk=pk)
    services.protective_factor_set_active(
        actor=request.user, factor=factor, is_active=not factor.is_active
    )
    messages.success(request, _("Katalogen är uppdaterad."))
    return redirect("assessment:protective_factors")
