"""Rows for the figures tests, made directly with the models (the detection services
have their own tests). Synthetic only."""

import datetime

from kinsight.core.models import UnitType
from kinsight.detection.models import ConcernReport

D = datetime.date


def report(unit, received, *, decided=None, decision="", status="received", **fields):
    """A concern report made directly (the services have their own tests)."""
    due = received + datetime.timedelta(days=14)
    if decided and decision == "open_investigation":
        status = fields.pop("status_after", "investigating")
        fields.setdefault("investigation_started_on", decided)
        fields.setdefault("investigation_due_on", decided + datetime.timedelta(days=122))
    elif decided:
        status = "closed"
    return ConcernReport.objects.create(
        municipality=unit.municipality,
        source="external",
        reporter_category=fields.pop("reporter", "school"),
        child_name="Lo",
        receiving_unit=unit,
        received_on=received,
        concern="Oro.",
        status=status,
        pre_assessment_due_on=due,
        pre_assessment_decision=decision,
        pre_assessment_decided_on=decided,
        **fields,
    )


def small_and_large(org, child_unit):
    """Three reports in the children's unit (below the threshold), ten in families."""
    families = org["units"][UnitType.FAMILIES]
    for day in (3, 4, 5):
        report(
            child_unit, D(2025, 2, day), decided=D(2025, 2, day + 5), decision="no_investigation"
        )
    for day in range(1, 11):
        report(families, D(2025, 5, day), decided=D(2025, 5, day + 20), decision="no_investigation")
    return {"families": families}
