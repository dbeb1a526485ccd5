"""Early-detection rows for the follow-up tests, made directly with the models (the
detection services have their own tests). Synthetic only."""

import datetime

from django.utils import timezone

from kinsight.detection.models import (
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ConcernReport,
    ReporterCategory,
    ReportSource,
    ReportStatus,
)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def question(case, has_children, *, by, on=None, next_ask_on=None, reason="Ville inte svara"):
    on = on or timezone.localdate()
    unknown = has_children == "unknown"
    q = ChildQuestion.objects.create(
        municipality=case.municipality,
        case=case,
        person=case.person,
        unit=case.unit,
        has_children=has_children,
        unknown_reason=reason if unknown else "",
        answered_at=_at(on) if has_children else None,
        answered_by=by if has_children else None,
        next_ask_on=next_ask_on,
    )
    if has_children:
        ChildQuestionAnswer.objects.create(
            municipality=case.municipality,
            question=q,
            unit=case.unit,
            has_children=has_children,
            unknown_reason=q.unknown_reason,
            answered_at=_at(on),
            answered_by=by,
        )
    return q


def child_record(case, first_name="Kim", *, age=8, identified_on=None, attended_on=None, by=None):
    today = timezone.localdate()
    return ChildRecord.objects.create(
        municipality=case.municipality,
        case=case,
        unit=case.unit,
        parent=case.person,
        first_name=first_name,
        birth_year=today.year - age,
        identified_on=identified_on or today,
        attended_on=attended_on,
        status="attended" if attended_on else "identified",
        created_by=by,
    )


def report(
    receiving_unit,
    child_name="Lo Barnsson",
    *,
    received_on=None,
    due_in=14,
    status=ReportStatus.RECEIVED,
    responsible=None,
    investigation_due_in=None,
):
    today = timezone.localdate()
    received_on = received_on or today - datetime.timedelta(days=14 - due_in)
    return ConcernReport.objects.create(
        municipality=receiving_unit.municipality,
        source=ReportSource.EXTERNAL,
        reporter_category=ReporterCategory.SCHOOL,
        child_name=child_name,
        receiving_unit=receiving_unit,
        responsible=responsible,
        received_on=received_on,
        concern="Oro för barnet.",
        status=status,
        pre_assessment_due_on=today + datetime.timedelta(days=due_in),
        investigation_started_on=today if investigation_due_in is not None else None,
        investigation_due_on=(
            today + datetime.timedelta(days=investigation_due_in)
            if investigation_due_in is not None
            else None
        ),
    )
