"""Rows of the early-detection generator (kinsight.demo.generate.detection), built in
memory for one chunk of cases: the dated steps of a child record, expected children,
concern reports with their deadlines and feedback. No queries here."""

import datetime

from django.utils import timezone

from kinsight.core.models import UnitType
from kinsight.detection.models import (
    CHILD_TRANSITIONS,
    ChildInformation,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
    FlagKind,
    PreAssessmentDecision,
    ReporterCategory,
    ReportStatus,
    add_months,
)

UNKNOWN_REASONS = [
    "Personen ville inte svara",
    "Personen var påverkad vid besöket",
    "Frågan hanns inte med",
    "Tolk saknades",
]
FIRST_NAMES = ["Alva", "Elsa", "Noah", "Liam", "Saga", "Hugo", "Maja", "Leo", "Wilma", "Ali"]
# Flags that only fit a child old enough (young carer, child as interpreter).
CARER_FLAGS = {FlagKind.YOUNG_CARER, FlagKind.CHILD_INTERPRETER}
CARER_MIN_AGE = 7
PROBLEM_BY_UNIT = {
    UnitType.ADULTS_ADDICTION: FlagKind.PARENT_SUBSTANCE_USE,
    UnitType.SOCIAL_PSYCHIATRY: FlagKind.PARENT_MENTAL_ILLNESS,
    UnitType.VIOLENCE: FlagKind.PARENT_VIOLENCE,
    UnitType.DISABILITY: FlagKind.PARENT_DISABILITY,
}
# Final status of a generated child record and how often.
FINAL_STATUS = [
    (ChildStatus.IDENTIFIED, 38),
    (ChildStatus.ATTENDED, 22),
    (ChildStatus.ASSESSED, 10),
    (ChildStatus.SUPPORT_OFFERED, 12),
    (ChildStatus.REFERRED, 6),
    (ChildStatus.NO_FURTHER_NEED, 12),
]
PATHS = {
    ChildStatus.IDENTIFIED: [],
    ChildStatus.ATTENDED: [ChildStatus.ATTENDED],
    ChildStatus.ASSESSED: [ChildStatus.ATTENDED, ChildStatus.ASSESSED],
    ChildStatus.SUPPORT_OFFERED: [
        ChildStatus.ATTENDED,
        ChildStatus.ASSESSED,
        ChildStatus.SUPPORT_OFFERED,
    ],
    ChildStatus.REFERRED: [ChildStatus.ATTENDED, ChildStatus.ASSESSED, ChildStatus.REFERRED],
    ChildStatus.NO_FURTHER_NEED: [ChildStatus.ATTENDED, ChildStatus.NO_FURTHER_NEED],
}
EXTERNAL = [
    (ReporterCategory.SCHOOL, 30),
    (ReporterCategory.POLICE, 25),
    (ReporterCategory.HEALTH_CARE, 15),
    (ReporterCategory.PRESCHOOL, 12),
    (ReporterCategory.OTHER, 10),
    (ReporterCategory.ANONYMOUS, 8),
]


def aware(day, rng):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    )


def between(rng, start, end):
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def birth_year(birth_date, approx):
    return birth_date.year if birth_date else approx


INFANT_REASON = "Spädbarn, för litet för information"
UNBORN_REASON = "Barnet är inte fött än"


def child_information(record, today):
    """What an attended step of a generated record says about the child's part."""
    if record.expected_month and not record.birth_date:
        return ChildInformation.NOT_APPLICABLE, UNBORN_REASON
    if today.year - record.birth_year < 2:
        return ChildInformation.NOT_APPLICABLE, INFANT_REASON
    return ChildInformation.GIVEN, ""


def child_record(*, municipality, case_id, person_id, unit_id, actor, answered_on, at, **fields):
    """A child of the parent (``person_id``) whose child question ``actor`` answered
    on ``answered_on``: identified that day, with ``fields`` saying who the child is."""
    return ChildRecord(
        municipality=municipality,
        case_id=case_id,
        unit_id=unit_id,
        parent_id=person_id,
        identified_on=answered_on,
        status_changed_on=answered_on,
        created_by_id=actor,
        created_at=at,
        **fields,
    )


def expected(rng, today, **asked):
    """An expected child on an open case whose parent is expecting; some attended."""
    answered_on = asked["answered_on"]
    month = add_months(today.replace(day=1), rng.randint(1, 8))
    record = child_record(**asked, first_name="", birth_year=month.year, expected_month=month)
    path = []
    if rng.random() < 0.4:
        day = min(today, answered_on + datetime.timedelta(days=rng.randint(3, 30)))
        path = [(ChildStatus.ATTENDED, day)]
        record.status, record.status_changed_on, record.attended_on = path[0][0], day, day
    return record, path


def answer(municipality, question, actor):
    return ChildQuestionAnswer(
        municipality=municipality,
        question_id=question.pk,
        unit_id=question.unit_id,
        has_children=question.has_children,
        unknown_reason=question.unknown_reason,
        expecting_child=question.expecting_child,
        answered_at=question.answered_at,
        answered_by_id=actor,
    )


def steps(rng, today, record, actor, unit_id, path):
    """The record's dated steps: identified, then each step of ``path``."""
    information, reason = child_information(record, today)
    common = {"municipality": record.municipality, "record_id": record.pk, "by_id": actor}
    yield ChildRecordStep(
        **common, status=ChildStatus.IDENTIFIED, on=record.identified_on, unit_id=unit_id
    )
    for status, day in path:
        attended = status == ChildStatus.ATTENDED
        yield ChildRecordStep(
            **common,
            status=status,
            on=day,
            unit_id=unit_id,
            parent_talked_with=attended,
            child_information=information if attended else "",
            child_information_reason=reason if attended else "",
            note="Påhittad anteckning." if rng.random() < 0.3 else "",
        )


def report(
    rng,
    rules,
    today,
    *,
    record,
    child_year,
    received,
    workers,
    child_name="",
    **fields,
):
    pre, investigation = rules["pre_assessment"], rules["investigation"]
    report = ConcernReport(
        child_record=record,
        child_name=child_name or "?",
        child_birth_year=child_year,
        received_on=received,
        concern="Påhittad orosanmälan: oro för barnets situation i hemmet.",
        feedback_requested=rng.random() < 0.3,
        pre_assessment_rule=pre,
        pre_assessment_due_on=pre.due(received),
        created_at=aware(received, rng),
        **fields,
    )
    unit_workers = workers.get(report.receiving_unit_id) or [None]
    report.responsible_id = rng.choice(unit_workers) if rng.random() < 0.8 else None
    age = (today - received).days
    # Most are decided in time; some stay open past the 14 days (overdue).
    if age < 3 or rng.random() < (0.5 if age <= 14 else 0.12):
        return report
    decided = min(today, received + datetime.timedelta(days=rng.randint(1, 20)))
    decision = rng.choices(list(PreAssessmentDecision), [45, 45, 10])[0]
    report.pre_assessment_decision = decision
    report.pre_assessment_decided_on = decided
    report.pre_assessment_decided_by_id = report.responsible_id
    feedback(rng, rules, today, report)
    if decision != PreAssessmentDecision.OPEN_INVESTIGATION:
        report.status = ReportStatus.CLOSED
        return report
    report.status = ReportStatus.INVESTIGATING
    report.investigation_rule = investigation
    report.investigation_started_on = decided
    report.investigation_due_on = investigation.due(decided)
    if (today - decided).days > 60 and rng.random() < 0.75:
        done = min(today, decided + datetime.timedelta(days=rng.randint(40, 130)))
        report.status = ReportStatus.CLOSED
        report.investigation_outcome = rng.choice(["intervention", "no_intervention"])
        report.investigation_completed_on = done
        report.investigation_completed_by_id = report.responsible_id
    return report


def feedback(rng, rules, today, report):
    """The feedback clock of a decided report whose reporter asked for it: given for
    most older decisions, still due (or late) for recent ones."""
    if not report.feedback_requested or report.reporter_category == ReporterCategory.ANONYMOUS:
        return
    decided, rule = report.pre_assessment_decided_on, rules["feedback"]
    report.feedback_rule = rule
    report.feedback_due_on = rule.due(decided)
    if (today - decided).days > 10 and rng.random() < 0.85:
        report.feedback_given_on = min(today, decided + datetime.timedelta(rng.randint(0, 7)))
        report.feedback_given_by_id = report.responsible_id


assert CHILD_TRANSITIONS  # the paths above follow the lifecycle (tested)
