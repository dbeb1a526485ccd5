"""The October survey (oktoberkartläggningen): the page with its tables and chart, a
CSV per table, and the drill-down to the cases behind "unknown" and "not asked".
Unit managers and heads of services (can_see_dashboard); the drill-down only for
those who work with cases (can_drill_down). Thin: parse, query, render."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.accounts.reauth import require_recent_auth
from kinsight.followup import queries, queries_october
from kinsight.followup.charts_october import answer_bars
from kinsight.followup.forms_october import OctoberForm
from kinsight.followup.october import TO_FIX
from kinsight.followup.views_figures import csv_response, shown
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route

TEMPLATE = "followup/october.html"


def _form(request):
    if not queries.can_see_dashboard(request.user):
        raise Http404
    return OctoberForm(request.GET, user=request.user)


@route("uppfoljning/oktoberkartlaggning/", name="october")
def october(request):
    form = _form(request)
    context = {"title": _("Oktoberkartläggningen"), "form": form, "nav": "october"}
    if not form.is_valid():
        return render(request, TEMPLATE, {**context, "survey": None}, status=400)
    survey = form.survey(request.user)
    total = survey.tables[0].total
    drill = queries.can_drill_down(request.user)
    links = [
        (answer, total.values[answer], form.query(answer=answer))
        for answer in TO_FIX
        if drill and total is not None and total.values[answer]
    ]
    context |= {
        "survey": survey,
        "tables": [shown(table) for table in survey.tables],
        "comparison": shown(survey.comparison),
        "chart": answer_bars(survey.comparison),
        "csv": f"{reverse('followup:october_csv')}?{form.query()}",
        "links": links,
    }
    return render(request, TEMPLATE, context)


@route("uppfoljning/oktoberkartlaggning/csv/", name="october_csv")
@require_recent_auth
def october_csv(request):
    form = _form(request)
    if not form.is_valid():
        context = {"title": _("Oktoberkartläggningen"), "form": form, "survey": None}
        return render(request, TEMPLATE, context, status=400)
    survey = form.survey(request.user)
    tables = {table.key: table for table in survey.all_tables()}
    table = tables.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    name = f"oktoberkartlaggning-{survey.census.isoformat()}-{table.key}.csv"
    return csv_response(
        request,
        table,
        name,
        audit=lambda: queries_october.survey_export(
            actor=request.user, filters=form.query(), tables=[table.key]
        ),
    )


@route("uppfoljning/oktoberkartlaggning/arenden/", name="october_cases")
def october_cases(request):
    form = _form(request)
    answer = request.GET.get("answer", "")
    if not queries.can_drill_down(request.user) or answer not in TO_FIX:
        raise Http404
    labels = {
        "unknown": _("Ärenden där det är okänt om personen har barn"),
        "not_asked": _("Ärenden där barnfrågan inte var ställd"),
    }
    context = {"title": labels[answer], "form": form, "nav": "october"}
    if not form.is_valid():
        return render(request, "followup/october_cases.html", {**context, "page": None}, status=400)
    data = form.cleaned_data
    cases = queries_october.cases_behind(
        actor=request.user,
        answer=answer,
        census=data["census"],
        unit_types=data["unit_types"],
        unit=data.get("unit"),
    )
    page = page_of(request, cases)
    queries_october.audit_cases(actor=request.user, cases=page.object_list, answer=answer)
    context |= {
        "page": page,
        "answer": answer,
        "census": data["census"],
        "query": query_without_page(request),
        "survey_query": form.query(),
    }
    return render(request, "followup/october_cases.html", context)
