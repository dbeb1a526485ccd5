"""The assessment pages: the whole assessment by perspective, one unit's part, an
instrument form and the PDF. Thin: parse, call a query or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.access.rules import administrator_only
from kinsight.accounts.reauth import require_recent_auth
from kinsight.assessment import queries, services
from kinsight.assessment.forms import InstrumentForm, PartForm, ProtectiveFactorForm
from kinsight.assessment.models import AssessmentPart, ProtectiveFactor
from kinsight.audit.services import audit_read_on_get
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.ui.exports import export_response, watermark
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


def work_url(work):
    return reverse("assessment:detail", args=[work.pk])


@route("familjearenden/<int:work_pk>/bedomning/", name="detail")
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


@route(
    "familjearenden/<int:work_pk>/bedomning/<str:perspective>/enhet/<int:unit_pk>/",
    name="part_edit",
)
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
    if part is not None:
        audit_read_on_get(request, part)
    overview = queries.assessment_view(actor=request.user, family_work=work)
    view = next(v for v in overview.perspectives if v.key == found.key)
    return form_page(
        request,
        form,
        call_with(
            services.part_save,
            "data",
            "protective_factors",
            "version",
            actor=request.user,
            family_work=work,
            perspective_key=found.key,
            unit=participant.unit,
        ),
        done=_("Bedömningen är sparad."),
        back_to=f"{work_url(work)}#p-{slugify(found.key)}",
        template="assessment/part_form.html",
        context={
            "work": work,
            "part": part,
            "perspective": view,
            "unit": participant.unit,
            "nav": "family",
        },
    )


def _result_saved(instrument):
    def message(saved):
        text = _("%(name)s: summa %(total)s.") % {
            "name": instrument.code.upper(),
            "total": saved.total_score,
        }
        return f"{text} {saved.cutoff_label}." if saved.cutoff_label else text

    return message


@route("bedomningsdelar/<int:part_pk>/instrument/<int:instrument_pk>/", name="result_new")
def result_new(request, part_pk, instrument_pk):
    part = queries.part_for_write(actor=request.user, pk=part_pk)
    instrument = queries.instrument_get(actor=request.user, pk=instrument_pk)
    initial = {"answered_on": timezone.localdate()}
    if part.person is not None and part.person.sex in ("female", "male"):
        initial["sex"] = part.person.sex
    form = InstrumentForm(request.POST or None, instrument=instrument, initial=initial)
    fields = ("answers", "sex", "answered_on", "note")
    return form_page(
        request,
        form,
        call_with(
            services.instrument_result_record,
            *fields,
            actor=request.user,
            part=part,
            instrument=instrument,
        ),
        done=_result_saved(instrument),
        back_to=work_url(part.family_work),
        template="assessment/result_form.html",
        context={"part": part, "instrument": instrument, "nav": "family"},
    )


@route("familjearenden/<int:work_pk>/bedomning/utskrift.pdf", name="pdf")
@require_recent_auth
def assessment_pdf(request, work_pk):
    from weasyprint import HTML

    work = queries.family_work_get(actor=request.user, pk=work_pk)
    overview = queries.assessment_view(actor=request.user, family_work=work)
    html = render_print_html(request, work, overview)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return export_response(
        content=pdf,
        filename=f"bedomning-{work.pk}-{timezone.localdate().isoformat()}.pdf",
        content_type="application/pdf",
        audit=lambda: queries.assessment_export(actor=request.user, overview=overview),
    )


def render_print_html(request, work, overview):
    context = {
        "work": work,
        "overview": overview,
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
        "watermark": watermark(request.user),
    }
    return render_to_string("assessment/print.html", context, request=request)


@route("skyddsfaktorer/", name="protective_factors")
def protective_factors(request):
    """The protective-factor catalogue: shipped factors (seed 001) and the
    municipality's own, which its administrators add and switch off."""
    administrator_only(request)
    form = ProtectiveFactorForm(request.POST or None)
    factors = ProtectiveFactor.objects.visible_to(request.user, "view").order_by(
        "municipality_id", "order", "pk"
    )
    return form_page(
        request,
        form,
        lambda data: services.protective_factor_add(
            actor=request.user,
            code=slugify(data["label"])[:40] or "skyddsfaktor",
            label=data["label"],
            target=data["target"],
        ),
        done=_("Skyddsfaktorn är tillagd."),
        back_to=reverse("assessment:protective_factors"),
        template="assessment/protective_factors.html",
        context={"factors": factors, "nav": "assessment_catalogue"},
    )


@route("skyddsfaktorer/<int:pk>/aktiv/", name="protective_factor_toggle")
@require_POST
def protective_factor_toggle(request, pk):
    administrator_only(request)
    factor = get_object_or_404(ProtectiveFactor.objects.visible_to(request.user, "change"), pk=pk)
    services.protective_factor_set_active(
        actor=request.user, factor=factor, is_active=not factor.is_active
    )
    messages.success(request, _("Katalogen är uppdaterad."))
    return redirect("assessment:protective_factors")
