"""Follow-up pages: the work queue ("Att göra"), the minimum-level dashboard with its
CSV and the drill-down to the children not yet attended. Thin: parse, query, render."""

import io

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.accounts.reauth import require_recent_auth
from kinsight.followup import charts, queries, queue
from kinsight.followup.context_processors import nav_counts as nav_counts_for
from kinsight.followup.forms import MinimumLevelFilterForm, QueueFilterForm
from kinsight.ui.exports import csv_mark, csv_safe, csv_writer, export_response, watermark
from kinsight.ui.paging import page_of, query_without_page
from kinsight.ui.routes import route


@route("att-gora/", name="work_queue")
def work_queue(request):
    if not queue.has_queue(request.user):
        raise Http404
    form = QueueFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        context = {"form": form, "nav": "work_queue", "groups": [], "page": None}
        return render(request, "followup/work_queue.html", context, status=400)
    if not request.GET:
        form = QueueFilterForm({}, user=request.user)
        form.is_valid()
    data = form.cleaned_data
    scope = form.get_scope()
    # One query counts the page's groups and the navigation's.
    counts = queue.counts(request.user, [scope, *queue.nav_scopes(request.user)])[scope]
    page = queries.work_queue_page(
        actor=request.user,
        scope=scope,
        group=data["group"],
        sort=data["sort"],
        page_number=request.GET.get("page"),
        count=counts[data["group"]],
    )
    base = request.GET.copy()
    for key in ("page", "group"):
        base.pop(key, None)
    groups = [
        {"key": key, "label": label, "count": counts[key], "current": key == data["group"]}
        for key, label in queue.GROUPS
    ]
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "group_query": base.urlencode(),
        "groups": groups,
        "group": data["group"],
        "group_label": dict(queue.GROUPS)[data["group"]],
        "has_due": data["group"] in queue.GROUPS_WITH_DUE_DATE,
        "total": counts["total"],
        "scope": data["scope"],
        "nav": "work_queue",
    }
    return render(request, "followup/work_queue.html", context)


def _dashboard_form(request):
    if not queries.can_see_dashboard(request.user):
        raise Http404
    return MinimumLevelFilterForm(request.GET, user=request.user)


def _dashboard(request):
    """The filter form and the figures it asks for; no figures when it is refused."""
    form = _dashboard_form(request)
    return form, form.dashboard(request.user) if form.is_valid() else None


def _refused(request, form):
    """The dashboard page with the filter's errors and no figures (400)."""
    context = {"form": form, "nav": "minimum_level", "dashboard": None}
    return render(request, "followup/minimum_level.html", context, status=400)


@route("uppfoljning/miniminiva/", name="minimum_level")
def minimum_level(request):
    form, dashboard = _dashboard(request)
    if dashboard is None:
        return _refused(request, form)
    for _unit, figures in dashboard.by_unit:
        figures.bar = charts.share_bar(figures.share)
    for _label, figures in dashboard.by_unit_type:
        figures.bar = charts.share_bar(figures.share)
    dashboard.total.bar = charts.share_bar(dashboard.total.share)
    trend = dashboard.months  # the share attended against the goal; the counts in the table
    context = {
        "form": form,
        "dashboard": dashboard,
        "chart": charts.share_line(
            [(f"{m:%y-%m}", None if f.share is None else f.share / 100) for m, f in trend]
        ),
        "query": form.query_string(),
        "can_drill_down": queries.can_drill_down(request.user),
        "nav": "minimum_level",
    }
    return render(request, "followup/minimum_level.html", context)


@route("uppfoljning/miniminiva/csv/", name="minimum_level_csv")
@require_recent_auth
def minimum_level_csv(request):
    form, dashboard = _dashboard(request)
    if dashboard is None:
        return _refused(request, form)
    out = io.StringIO()
    writer = csv_writer(out)
    header = [
        _("Månad"),
        _("Nivå"),
        _("Enhet"),
        _("Enhetstyp"),
        _("Barn"),
        _("Uppmärksammade"),
        _("Andel uppmärksammade (%)"),
        _("Ej uppmärksammade"),
        _("Föräldrar med okänt svar"),
        _("Föräldrar utan svar"),
        _("Väntade barn"),
        _("Väntade barn uppmärksammade"),
    ]
    writer.writerow(header)

    def row(month, level, unit, unit_type, f):
        share = "" if f.share is None else str(f.share).replace(".", ",")
        values = [f"{month:%Y-%m}", level, unit, unit_type, f.children, f.attended, share]
        values += [f.not_attended, f.unknown_parents, f.unanswered_parents]
        values += [f.expected, f.expected_attended]
        writer.writerow([csv_safe(v) for v in values])

    for month, figures in dashboard.months:
        row(month, _("Totalt"), "", "", figures)
    for unit, figures in dashboard.by_unit:
        row(dashboard.last_month, _("Enhet"), unit.name, unit.get_unit_type_display(), figures)
    for label, figures in dashboard.by_unit_type:
        row(dashboard.last_month, _("Enhetstyp"), "", str(label), figures)
    csv_mark(writer, watermark(request.user), len(header))
    return export_response(
        content=out.getvalue(),
        filename=f"miniminiva-{timezone.localdate().isoformat()}.csv",
        content_type="text/csv; charset=utf-8",
        audit=lambda: queries.minimum_level_export(
            actor=request.user, dashboard=dashboard, filters=form.query_string()
        ),
    )


@route("uppfoljning/miniminiva/ej-uppmarksammade/", name="not_attended")
def not_attended(request):
    form = _dashboard_form(request)
    if not queries.can_drill_down(request.user):
        raise Http404
    context = {"title": _("Barn som inte är uppmärksammade"), "form": form, "nav": "minimum_level"}
    if not form.is_valid():
        return render(request, "followup/not_attended.html", {**context, "page": None}, status=400)
    data = form.cleaned_data
    records = queries.not_attended_children(
        actor=request.user, unit=data.get("unit"), unit_type=data.get("unit_type", "")
    )
    page = page_of(request, records)
    queries.audit_list(actor=request.user, objects=page.object_list)
    today = timezone.localdate()
    page.items = queue.items("not_attended", page.object_list, today)
    context |= {
        "page": page,
        "query": query_without_page(request),
        "dashboard_query": form.query_string(),
    }
    return render(request, "followup/not_attended.html", context)


@route("att-gora/antal/", name="nav_counts")
def nav_counts(request):
    """The navigation's counts, fetched by htmx after the page has loaded."""
    if not queue.has_queue(request.user):
        raise Http404
    mine, unit = nav_counts_for(request.user, compute=True)
    return render(request, "followup/_nav_counts.html", {"mine": mine, "unit": unit})
