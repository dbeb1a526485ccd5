"""The annual report at scale: the head of services' report for the widest node they
see (the municipality when they see it all), made in process as the background task
makes it, timed with its statement count. The report costs a fixed number of statements
per figure definition (each ``compute`` a fixed number), whatever the municipality's
size; its time grows with what each statement reads."""

import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinsight.core.models import Municipality, User
from kinsight.followup.annual import queries, services
from kinsight.followup.annual.models import AnnualReport
from kinsight.followup.annual.sections import definitions


def annual_report_figures(
    municipality: Municipality, *, username: str = "ifochef"
) -> dict[str, Any]:
    """{scope, year, sections, seconds, statements, status, pdf_kb, xlsx_kb}."""
    head = User.objects.get(municipality=municipality, username=username)
    node = queries.scope_choices(head)[0]
    year = timezone.localdate().year - 1
    report = AnnualReport.objects.create(
        municipality=municipality, year=year, scope_unit=node, requested_by=head
    )
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        services.annual_report_generate(report.pk)
        seconds = time.perf_counter() - started
    report.refresh_from_db()
    return {
        "scope": node.name,
        "year": year,
        "sections": len(definitions()),
        "seconds": round(seconds, 2),
        "statements": len(captured.captured_queries),
        "status": report.status,
        "message": report.message,
        "pdf_kb": len(report.pdf or b"") // 1024,
        "xlsx_kb": len(report.xlsx or b"") // 1024,
    }
