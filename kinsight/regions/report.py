"""The region's own report for a year: per definition the members' published figures
for the year side by side with the region total (kinsight.regions.compare), made by the
annual report's renderers (kinsight.followup.annual: the PDF and the workbook), marked
with who exported it and when, and audited as an export in each member's chain whose
figures it holds (the region has no chain of its own)."""

import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from kinsight.core.models import User
from kinsight.followup.annual import excel, pdf
from kinsight.followup.annual.sections import Section
from kinsight.followup.figures import REGISTRY
from kinsight.regions import compare, queries, services
from kinsight.regions.models import PublishedFigure, Step
from kinsight.ui.exports import export_response, stamp_pdf, stamp_xlsx, watermark

FILES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sections(user: User, year: int) -> tuple[list[Section], list[PublishedFigure]]:
    """A section per definition the members published for the whole ``year``, and the
    figures they hold."""
    region = queries.region_for(user)
    names = queries.labels(queries.members(region))
    rows = PublishedFigure.objects.for_region(user).current()
    figures = list(rows.filter(step=Step.YEAR, period_start=datetime.date(year, 1, 1)))
    found = []
    for key in sorted({figure.definition for figure in figures}):
        mine = [figure for figure in figures if figure.definition == key]
        definition = REGISTRY.get(key)
        section = Section(
            key,
            mine[0].title,
            definition.text if definition else "",
            definition.legal if definition else "",
        )
        for table_key, _title in compare.table_keys(mine):
            table = compare.comparison(mine, table_key, names)
            if table is not None:
                section.by_unit.append(table)
        found.append(section)
    return found, figures


def download(user: User, year: int, fmt: str) -> HttpResponse:
    """The report as ``fmt`` (pdf, xlsx); 404 for anyone but the region's staff, an
    unknown format, or a year without published figures."""
    region = queries.region_for(user)
    if fmt not in FILES:
        raise Http404
    found, figures = sections(user, year)
    if not found:
        raise Http404
    facts: dict[str, Any] = {
        "municipality": region.name,
        "scope": str(_("Jämförelse mellan medlemskommunerna")),
        "year": year,
        "sections": found,
    }
    mark = watermark(user)
    if fmt == "pdf":
        data = stamp_pdf(pdf.render(**facts), mark)
    else:
        data = stamp_xlsx(excel.workbook(**facts), mark)
    return export_response(
        content=data,
        filename=f"region-{region.code}-{year}.{fmt}",
        content_type=FILES[fmt],
        audit=lambda: services.report_export(
            actor=user, region=region, year=year, fmt=fmt, figures=figures
        ),
    )
