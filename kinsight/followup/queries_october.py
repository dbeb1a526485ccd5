"""Reads of the October survey for an actor: the figures for the units the actor may
see (Scope.for_actor), the cases behind "unknown" and "not asked" (only those visible
to the actor: Case.objects.visible_to), and the audit rows of both."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_read_many, audit_record
from kinsight.cases.models import Case
from kinsight.core.models import OrgUnit, User
from kinsight.followup.figures import Scope
from kinsight.followup.october import cases_to_fix, surveyed_cases
from kinsight.followup.october_tables import october_compare, october_survey
from kinsight.followup.tables import Table

EXPORT_TYPE = "followup.october"


@dataclass
class Survey:
    census: datetime.date
    compare: datetime.date
    tables: list[Table]  # the census date's tables
    comparison: Table  # both rounds side by side

    def all_tables(self) -> list[Table]:
        return [*self.tables, self.comparison]


def survey(
    *,
    actor: User,
    census: datetime.date,
    compare: datetime.date,
    unit_types: Sequence[str],
    unit: OrgUnit | None = None,
) -> Survey:
    scope = Scope.for_actor(actor, unit=unit)
    first, second = sorted([census, compare])
    return Survey(
        census=census,
        compare=compare,
        tables=october_survey(scope=scope, census=census, unit_types=unit_types),
        comparison=october_compare(scope=scope, first=first, second=second, unit_types=unit_types),
    )


def survey_export(*, actor: User, filters: str, tables: Sequence[str]) -> None:
    """Record that the survey's figures left the unit (counts only: no personal data)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type=EXPORT_TYPE,
            object_id="*",
            changes={"filters": filters, "tables": list(tables)},
        )


def cases_behind(
    *,
    actor: User,
    answer: str,
    census: datetime.date,
    unit_types: Sequence[str],
    unit: OrgUnit | None = None,
) -> QuerySet[Case]:
    """The cases counted as ``answer`` (unknown / not_asked) on ``census`` that the
    actor may see: the ones to fix."""
    scope = Scope.for_actor(actor, unit=unit)
    counted = surveyed_cases(scope, census, unit_types)
    visible = Case.objects.visible_to(actor, "view").filter(pk__in=counted.values("pk"))
    return (
        cases_to_fix(visible, census, answer)
        .select_related("person", "unit", "responsible")
        .order_by("unit__name", "opened_on", "pk")
    )


def audit_cases(*, actor: User, cases: Sequence[Case], answer: str) -> None:
    audit_read_many(actor=actor, objects=cases, object_type="cases.case", survey=answer)
