"""The network leader's pages: the region's start page, the comparison between members,
the trend over periods, everything published (withdrawn too), the members, and the
region's report (PDF and workbook). Only the region's staff: everyone else 404. Every
page reads the region's own tables only (kinsight.regions.queries); none drills down."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.accounts.reauth import require_recent_auth
from kinsight.core.models import User
from kinsight.followup.annual.pdf import shown
from kinsight.regions import compare, queries, report, services
from kinsight.regions.forms import CompareForm, JoinForm, LeaveForm
from kinsight.regions.models import Member
from kinsight.ui.forms_flow import act_and_back, call_with, form_page
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.panels import gather_panels
from kinsight.ui.routes import route


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@route("region/", name="start")
def start(request: HttpRequest) -> HttpResponse:
    found = queries.overview(_user(request))
    context = {"title": found.region.name, "overview": found, "nav": "region"}
    context["report_year"] = timezone.localdate().year - 1
    # Room for the network's panels (meetings, the inventory, courses): an app above
    # registers a builder for the page "region" (kinsight.ui.panels).
    context["panels"] = gather_panels("region", request, found.region)
    return render(request, "regions/start.html", context)


def _compare_form(request: HttpRequest) -> tuple[CompareForm, list[dict[str, Any]]]:
    queries.region_for(_user(request))
    periods = queries.published_periods(_user(request))
    data = request.GET if "figure" in request.GET else None
    return CompareForm(data, periods=periods), periods


@route("region/jamforelse/", name="compare")
def comparison(request: HttpRequest) -> HttpResponse:
    form, periods = _compare_form(request)
    context: dict[str, Any] = {"title": _("Jämförelse mellan medlemmar"), "form": form}
    context |= {"nav": "region_compare", "periods": periods, "tables": []}
    if form.is_bound and not form.is_valid():
        return render(request, "regions/compare.html", context, status=400)
    if not periods:
        return render(request, "regions/compare.html", context)
    if form.is_bound:
        definition, step, start = form.chosen()
    else:
        first = periods[0]
        definition, step, start = first["definition"], first["step"], first["period_start"]
    user = _user(request)
    figures = queries.period_figures(user, definition, step, start)
    names = queries.labels(queries.members(queries.region_for(user)))
    for key, _title in compare.table_keys(figures):
        table = compare.comparison(figures, key, names)
        if table is not None:
            trend = f"{reverse('regions:trend')}?figure={definition}:{step}:{start}&table={key}"
            context["tables"].append(
                {"shown": shown(table, chart=True), "trend": trend, "key": key}
            )
    context["versions"] = sorted({f.definitions_version for f in figures})
    return render(request, "regions/compare.html", context)


@route("region/utveckling/", name="trend")
def trend(request: HttpRequest) -> HttpResponse:
    form, periods = _compare_form(request)
    context: dict[str, Any] = {"title": _("Utveckling över tid"), "form": form}
    context |= {"nav": "region_compare", "table": None}
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "regions/trend.html", context, status=status)
    user = _user(request)
    definition, step, _start = form.chosen()
    figures = queries.series_figures(user, definition, step)
    names = queries.labels(queries.members(queries.region_for(user)))
    keys = compare.table_keys(figures)
    key = form.cleaned_data["table"] or (keys[0][0] if keys else "")
    base = compare.comparison(figures[:1], key, names) if figures else None
    columns = [(c.key, c.label) for c in base.columns] if base else []
    column = form.cleaned_data["column"] or (columns[0][0] if columns else "")
    table = compare.trend(figures, key, column, names)
    context |= {"table": shown(table, chart=True) if table else None, "columns": columns}
    context |= {"chosen_column": column, "chosen_table": key, "keys": keys}
    return render(request, "regions/trend.html", context)


@route("region/publicerat/", name="published")
def published(request: HttpRequest) -> HttpResponse:
    queries.region_for(_user(request))
    page = page_of(request, queries.region_figures(_user(request)))
    context = {"title": _("Publicerade nyckeltal"), "page": page, "nav": "region_published"}
    context["query"] = query_without_page(request)
    return render(request, "regions/published.html", context)


@route("region/medlemmar/", name="members")
def members(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = queries.region_for(user)
    form = JoinForm(request.POST or None)
    context = {
        "title": _("Medlemskommuner"),
        "members": queries.members(region),
        "nav": "region_members",
    }
    call = call_with(services.member_join, "municipality", "joined_on", actor=user)
    return form_page(
        request,
        form,
        call,
        done=_("Kommunen är medlem."),
        back_to=reverse("regions:members"),
        template="regions/members.html",
        context=context,
    )


@route("region/medlemmar/<int:pk>/utrade/", name="member_leave")
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    region = queries.region_for(user)
    member = next((m for m in queries.members(region) if m.pk == pk), None)
    if member is None:
        raise Http404
    form = LeaveForm(request.POST)
    back = reverse("regions:members")
    if not form.is_valid():
        return act_and_back(request, lambda: _refuse(form), done="", back=back)
    call = lambda: services.member_leave(  # noqa: E731
        actor=user, member=member, left_on=form.cleaned_data["left_on"]
    )
    return act_and_back(request, call, done=_("Utträdet är sparat."), back=back)


def _refuse(form: LeaveForm) -> Member:
    raise ValidationError(_("Ange dagen kommunen lämnar regionen som ÅÅÅÅ-MM-DD."))


@route("region/rapport/<int:year>.<str:fmt>", name="report")
@require_recent_auth
def report_file(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    return report.download(_user(request), year, fmt)
