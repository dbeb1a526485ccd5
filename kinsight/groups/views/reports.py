"""The head of services' reports: the effect of the groups (page, Excel, PDF) and the
reach per provider, district and target group (page, Excel). Aggregates only; a
leader reads the effect of their own cycles (another's cycle is 404)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kinsight.access.rules import get_for
from kinsight.accounts.reauth import require_recent_auth
from kinsight.core.models import Role
from kinsight.groups import charts, queries, queries_catalogue
from kinsight.groups.access import leads_groups
from kinsight.groups.effect import DETERIORATED, IMPROVED, UNCHANGED
from kinsight.groups.forms_catalogue import EffectForm, ReachForm
from kinsight.groups.models import Cycle, TargetGroup
from kinsight.ui.exports import export_response, mark_workbook, watermark
from kinsight.ui.routes import route

NAV = "groups"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Figure:
    """One line of the report: a label and a count, a measure (with its 95 % interval)
    or a text; ``text`` says it with the language's decimal comma."""

    label: str
    value: int | float | str
    low: float | None = None
    high: float | None = None
    decimals: int = 2

    @property
    def text(self) -> str:
        if isinstance(self.value, str | int):
            return str(self.value)
        shown = number_format(self.value, self.decimals)
        if self.low is None or self.high is None:
            return shown
        return _("%(value)s (95 %% KI %(low)s till %(high)s)") % {
            "value": shown,
            "low": number_format(self.low, self.decimals),
            "high": number_format(self.high, self.decimals),
        }


def _interval(label, interval):
    return Figure(label, interval.estimate, interval.low, interval.high)


def figures(report) -> list[Figure]:
    """What the report says, in order: the counts, then the measures the data carry."""
    shown = [
        Figure(_("Mätta före"), report.measured_before),
        Figure(_("Par (mätta både före och %(point)s)") % {"point": _point(report)}, report.pairs),
        Figure(_("Bortfall (bara mätta före)"), report.attrition),
        Figure(_("Anonyma deltagare bland paren"), report.anonymous_pairs),
    ]
    effect, reliable = report.effect, report.reliable
    if effect:
        p = _("< 0,001") if effect.p < 0.001 else number_format(effect.p, 3)
        shown += [
            Figure(_("Medelvärde före"), effect.mean_before),
            Figure(_("Medelvärde %(point)s") % {"point": _point(report)}, effect.mean_after),
            _interval(_("Medelförändring"), effect.change),
            Figure(_("Standardavvikelse för förändringen"), effect.sd_change),
            Figure(_("t (parat t-test)"), effect.t),
            Figure(_("p-värde"), p),
            _interval(_("Cohens d_z"), effect.d_z),
            _interval(_("Hedges g (parad)"), effect.g),
        ]
    if reliable:
        shown += [
            Figure(_("Gräns för reliabel förändring (poäng)"), reliable.threshold),
            Figure(_("Reliabelt förbättrade"), reliable.count(IMPROVED)),
            Figure(_("Oförändrade"), reliable.count(UNCHANGED)),
            Figure(_("Reliabelt försämrade"), reliable.count(DETERIORATED)),
        ]
        if reliable.recovered_count is not None:
            shown.append(
                Figure(_("Återhämtade (över den kliniska gränsen)"), reliable.recovered_count)
            )
        shown.append(Figure(_("Normernas källa"), report.norms_source))
    return shown


def _point(report) -> str:
    return _("efter") if report.point == "after" else _("vid uppföljning")


def _effect(request):
    """The form, the report it asks for (None on the first visit or refused input)
    and the choices as text. Only heads of services, administrators and group
    leaders come here (404 for others); a cycle the user does not see is 404."""
    user = request.user
    whole = leads_groups(user)
    if not (whole or user.units_with_role(Role.GROUP_LEADER)):
        raise Http404
    cycles = Cycle.objects.visible_to(user, "view").order_by("-start_on", "name")
    if request.GET.get("omgang", "").isdigit():
        get_for(user, Cycle.objects, request.GET["omgang"])
    form = EffectForm(request.GET or None, user=user, cycles=cycles, whole=whole)
    if not form.is_valid():
        return form, None, []
    data = form.cleaned_data
    if data["omgang"]:
        scope = {"cycle": data["omgang"]}
    else:
        scope = {
            "programme_id": data["program"] and data["program"].pk,
            "provider_id": data["utforare"] and data["utforare"].pk,
            "year": data["ar"],
        }
    try:
        report = queries.effect_report(
            actor=user,
            instrument=data["instrument"],
            point=data["tidpunkt"],
            subscale=data.get("delskala") or "",
            **scope,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as refused:  # the instrument has no such subscale
        form.add_error("delskala", refused.messages)
        return form, None, []
    return form, report, _chosen(form)


def _chosen(form) -> list[tuple[str, str]]:
    """The report's choices as (label, text), for the exports' heading."""
    chosen = []
    for name, value in form.cleaned_data.items():
        if value not in (None, ""):
            field = form.fields[name]
            text = dict(field.choices)[value] if name == "tidpunkt" else value
            chosen.append((str(field.label), str(text)))
    return chosen


def _effect_context(request):
    form, report, chosen = _effect(request)
    context = {
        "title": _("Effektrapport"),
        "form": form,
        "report": report,
        "chosen": chosen,
        "query": request.GET.urlencode(),
        "nav": NAV,
    }
    if report is not None:
        context["figures"] = figures(report)
    if report is not None and report.before:
        changes = [a - b for b, a in zip(report.before, report.after, strict=True)]
        context["pairs"] = list(zip(report.before, report.after, changes, strict=True))
        context["slopes"] = charts.slopes(report.before, report.after, report.reliable)
        context["histogram"] = charts.change_histogram(changes, report.reliable)
    return context


def _effect_page(request, context):
    """The report page; also where a refused file request lands: the form's errors
    (400), or 200 before anything is asked."""
    refused = context["report"] is None and context["form"].is_bound
    return render(request, "groups/effect.html", context, status=400 if refused else 200)


@route("stodgrupper/effekt/", name="effect")
def effect(request):
    return _effect_page(request, _effect_context(request))


def _download(request, content: bytes, report: str, name: str, ext: str) -> HttpResponse:
    """The report ``report`` as a file, audited as an export with the choices it was made
    from."""
    filters = {key: request.GET.get(key) for key in request.GET}
    return export_response(
        content=content,
        filename=f"{name}-{timezone.localdate().isoformat()}.{ext}",
        content_type=XLSX if ext == "xlsx" else "application/pdf",
        audit=lambda: queries_catalogue.report_export(
            actor=request.user, report=report, fmt=ext, filters=filters
        ),
    )


@route("stodgrupper/effekt/rapport.pdf", name="effect_pdf")
@require_recent_auth
def effect_pdf(request):
    from weasyprint import HTML

    context = _effect_context(request)
    if context["report"] is None:
        return _effect_page(request, context)
    mark = watermark(request.user)
    context |= {"printed_at": mark.at, "printed_by": request.user, "watermark": mark}
    html = render_to_string("groups/effect_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return _download(request, pdf, "effect", "effektrapport", "pdf")


def _sheet(book, title: str, rows, *, first: bool = False):
    """A worksheet of ``rows``; text is always text (a value starting with = is never
    a formula) and measures keep two decimals."""
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet.column_dimensions["A"].width = 44
    return sheet


def _workbook(request, sheets) -> bytes:
    """An .xlsx of ``sheets``: (title, rows) pairs, watermarked for the user."""
    from openpyxl import Workbook

    book = Workbook()
    for index, (title, rows) in enumerate(sheets):
        _sheet(book, title, rows, first=index == 0)
    mark_workbook(book, watermark(request.user))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@route("stodgrupper/effekt/rapport.xlsx", name="effect_xlsx")
@require_recent_auth
def effect_xlsx(request):
    context = _effect_context(request)
    report = context["report"]
    if report is None:
        return _effect_page(request, context)
    summary = [
        [_("Effektrapport"), report.instrument.name],
        *([label, value] for label, value in context["chosen"]),
        [],
        [_("Mått"), _("Värde"), _("95 % KI nedre"), _("95 % KI övre")],
        *([f.label, f.value, f.low, f.high] for f in context["figures"]),
        [],
        *([_("Anmärkning"), note] for note in report.notes),
    ]
    sheets = [(_("Effekt"), summary)]
    if context.get("pairs"):
        head = [_("Före"), _("Efter") if report.point == "after" else _("Uppföljning")]
        rows = [[*head, _("Förändring")], *context["pairs"]]
        bins = [[_("Förändring från"), _("till"), _("Antal")]]
        bins += [[b.low, b.high, b.count] for b in context["histogram"]["bars"]]
        sheets += [(pgettext("sheet of paired scores", "Par"), rows), (_("Fördelning"), bins)]
    return _download(request, _workbook(request, sheets), "effect", "effektrapport", "xlsx")


def _reach(request):
    if not leads_groups(request.user):
        raise Http404
    form = ReachForm(request.GET or None)
    if not form.is_bound:
        form = ReachForm({"ar": form.fields["ar"].initial})
    if not form.is_valid():
        return form, None
    return form, queries_catalogue.reach_table(actor=request.user, year=form.cleaned_data["ar"])


def _reach_page(request, form, table):
    """The reach page; also where a refused file request lands (no table: 400)."""
    context = {
        "title": _("Räckvidd"),
        "form": form,
        "reach": table,
        "targets": TargetGroup.labels,
        "nav": NAV,
    }
    return render(request, "groups/reach.html", context, status=400 if table is None else 200)


@route("stodgrupper/rackvidd/", name="reach")
def reach(request):
    return _reach_page(request, *_reach(request))


@route("stodgrupper/rackvidd/rackvidd.xlsx", name="reach_xlsx")
@require_recent_auth
def reach_xlsx(request):
    form, table = _reach(request)
    if table is None:
        return _reach_page(request, form, None)
    head = [_("Utförare"), _("Stadsdel")]
    for label in TargetGroup.labels:
        head += [str(label), _("varav anonyma")]
    head += [_("Totalt"), _("varav anonyma")]

    def line(first, second, row):
        return [first, second, *(n for cell in row.cells for n in cell), *row.sum]

    rows = [line(r.provider, r.district, r) for r in table.rows]
    rows.append(line(_("Totalt"), "", table.totals))
    title = _("Räckvidd %(year)s") % {"year": table.year}
    book = _workbook(request, [(title, [head, *rows])])
    return _download(request, book, "reach", f"rackvidd-{table.year}", "xlsx")
