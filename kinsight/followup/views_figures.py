"""The figures page (nyckeltal): any registered definition for a period, a scope and a
breakdown, as tables (unsuppressed inside the unit) with a line chart of each share
that has a goal, and each table as CSV (published: small numbers suppressed; the export
audited). Unit managers and heads of services (can_see_dashboard), others 404. Thin:
parse, query, render."""

import io
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.accounts.reauth import confirm_first
from kinsight.followup import charts, queries, queries_figures
from kinsight.followup.figures import REGISTRY, Definition
from kinsight.followup.forms_figures import FiguresForm
from kinsight.followup.tables import Row, Table
from kinsight.ui.exports import csv_mark, csv_safe, csv_writer, export_response, watermark
from kinsight.ui.routes import route

TEMPLATE = "followup/figures.html"


def shown(table: Table) -> dict[str, Any]:
    """A table as a page shows it: each cell as text ("–" for nothing to show)."""

    def cells(row: Row) -> list[str]:
        return [table.text(row, column) or "–" for column in table.columns]

    return {
        "table": table,
        "rows": [(row.label, cells(row)) for row in table.rows],
        "total": (table.total.label, cells(table.total)) if table.total else None,
        "empty": not any(
            row.values.get(c.key) for row in table.all_rows() for c in table.columns if c.is_count
        ),
    }


def csv_response(
    request: HttpRequest, table: Table, filename: str, *, audit: Callable[[], object]
) -> HttpResponse:
    """A published table as CSV (";", UTF-8 with BOM for Excel, formula-safe cells,
    the user's watermark as the last line), audited by ``audit``."""
    published = table.published()
    out = io.StringIO()
    writer = csv_writer(out)
    header = [published.row_label, *[c.label for c in published.columns]]
    writer.writerow([csv_safe(v) for v in header])
    for row in published.all_rows():
        texts = [published.text(row, column) for column in published.columns]
        writer.writerow([csv_safe(v) for v in [row.label, *texts]])
    csv_mark(writer, watermark(request.user), len(header))
    return export_response(
        content=out.getvalue(),
        filename=filename,
        content_type="text/csv; charset=utf-8",
        audit=audit,
    )


def line_charts(definition: Definition, tables: list[Table]) -> list[dict[str, Any]]:
    """For a breakdown by period: a line chart per share column with a goal."""
    found = []
    for table in tables:
        for column in table.columns:
            goal = definition.goals.get(column.key)
            if goal is None:
                continue
            points = [(row.label, row.values.get(column.key)) for row in table.rows]
            chart = charts.share_line(points, goal)
            found.append(
                {
                    "id": f"chart-{table.key}-{column.key}",
                    "table": table.key,
                    "title": column.label,
                    "chart": chart,
                }
            )
    return found


@route("uppfoljning/nyckeltal/", name="figures")
def figures(request: HttpRequest) -> HttpResponse:
    if not queries.can_see_dashboard(request.user):  # type: ignore[arg-type]
        raise Http404
    form = FiguresForm(request.GET, user=request.user)
    context: dict[str, Any] = {
        "title": _("Nyckeltal"),
        "form": form,
        "nav": "figures",
        "definitions": list(REGISTRY.values()),
    }
    if not form.is_valid():
        return render(request, TEMPLATE, {**context, "tables": None}, status=400)
    data = form.cleaned_data
    definition = form.chosen
    tables = form.tables(request.user)
    if request.GET.get("format") == "csv":
        return _csv(request, form, tables)
    context |= {
        "definition": definition,
        "legal": queries_figures.legal_references(definition, data["end"]),
        "tables": [shown(table) for table in tables],
        "charts": line_charts(definition, tables) if data["by"] == "period" else [],
        "csv": f"{reverse('followup:figures')}?{form.figures_query(format='csv')}",
    }
    return render(request, TEMPLATE, context)


def _csv(request: HttpRequest, form: FiguresForm, tables: list[Table]) -> HttpResponse:
    table = {t.key: t for t in tables}.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    definition = form.chosen
    stamp = timezone.localdate().isoformat()
    return confirm_first(request) or csv_response(
        request,
        table,
        f"nyckeltal-{definition.key}-{table.key}-{stamp}.csv",
        audit=lambda: queries_figures.figures_export(
            actor=request.user,  # type: ignore[arg-type]
            definition=definition,
            filters=form.figures_query(),
            tables=[table.key],
        ),
    )
