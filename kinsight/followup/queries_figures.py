"""Reads of the figures page and API: a registered definition computed for the units
the actor may see (Scope.for_actor), its export audited, its legal references."""

import datetime
from collections.abc import Sequence

from django.db import transaction

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import LegalReference
from kinsight.core.models import OrgUnit, User
from kinsight.followup.figures import Definition, Period, Scope
from kinsight.followup.tables import Table

EXPORT_TYPE = "followup.figure"


def figures(
    *,
    actor: User,
    definition: Definition,
    period: Period,
    by: str,
    unit: OrgUnit | None = None,
    unit_type: str = "",
) -> list[Table]:
    """The definition's tables for the units the actor asks for and may see (a unit
    manager their units, a head of services their part of the organisation)."""
    scope = Scope.for_actor(actor, unit=unit, unit_type=unit_type)
    return definition.compute(scope, period, by)


def figures_export(
    *, actor: User, definition: Definition, filters: str, tables: Sequence[str]
) -> None:
    """Record that a definition's tables left the unit (counts only: no personal data)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type=EXPORT_TYPE,
            object_id=definition.key,
            changes={"filters": filters, "tables": list(tables)},
        )


def legal_references(definition: Definition, on: datetime.date) -> list[str]:
    """The law behind a definition: its ``legal`` names topics of the legal reference
    table (cases.LegalReference), shown as in force on ``on``; other text as it is."""
    topics = definition.legal.split()
    found = [r for r in LegalReference.objects.filter(topic__in=topics) if r.is_valid_on(on)]
    if not found:
        return [definition.legal] if definition.legal else []
    order = {topic: index for index, topic in enumerate(topics)}
    return [f"{r.rule}: {r}" for r in sorted(found, key=lambda r: order[r.topic])]
