"""Reads of the annual report, each from visible_to: the reports in the actor's scope,
one report (404 outside it), and the nodes a report may be asked for."""

from typing import Any

from django.db.models import QuerySet

from kinsight.access.rules import get_for
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.followup.annual.models import AnnualReport
from kinsight.followup.models import dashboard_units

KIND_ORDER = [NodeKind.BOARD, NodeKind.ADMINISTRATION, NodeKind.DISTRICT, NodeKind.UNIT]


def annual_reports(actor: User) -> QuerySet[AnnualReport]:
    """The kept reports of the nodes in the actor's scope, newest first, without their
    files."""
    return (
        AnnualReport.objects.visible_to(actor, "view")
        .select_related("scope_unit", "requested_by")
        .defer("pdf", "xlsx")
    )


def annual_report_get(actor: User, pk: Any, action: str = "view") -> AnnualReport:
    """One report without its files (404 outside the scope; 403 when seen but not
    ``action``); ``may_change`` says whether the actor writes its texts."""
    rows = AnnualReport.objects.select_related("scope_unit", "requested_by").defer("pdf", "xlsx")
    return get_for(actor, rows, pk, action, flags=["change"])


def annual_report_file(actor: User, pk: Any, fmt: str) -> tuple[AnnualReport, bytes | None]:
    """A report with one of its files (``pdf`` or ``xlsx``), 404 outside the scope."""
    rows = AnnualReport.objects.select_related("scope_unit").defer(*({"pdf", "xlsx"} - {fmt}))
    report = get_for(actor, rows, pk)
    data = getattr(report, fmt)
    return report, bytes(data) if data is not None else None


def scope_choices(actor: User) -> list[OrgUnit]:
    """The nodes whose report the actor may ask for: the municipality (its top node),
    administrations, districts, then units."""
    nodes = OrgUnit.objects.filter(
        municipality_id=actor.municipality_id or 0, pk__in=dashboard_units(actor)
    )
    return sorted(nodes, key=lambda node: (KIND_ORDER.index(node.kind), node.name))
