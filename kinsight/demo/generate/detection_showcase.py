"""One of each thing the demo must show about the minimum level (issue 9 §4), on the
demo users' own cases so that they find them (README: ``handlaggare``,
``barnhandlaggare``):

- an infant attended with the child's information "not applicable" (with a reason);
- an expected child (väntat barn) to plan for, on a parent expecting a child;
- a returning parent: a new case opened after an earlier one closed, her children
  recorded afresh on it (the earlier case keeps its records);
- a concern report whose reporter awaits feedback (due a week after the decision).

Synthetic only; called by generate_detection inside its transaction (one audit row
for the run)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Role, User
from kinsight.demo.generate.detection_rows import INFANT_REASON
from kinsight.detection.models import (
    Answer,
    ChildInformation,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
    PreAssessmentDecision,
    ReporterCategory,
    ReportSource,
    ReportStatus,
    add_months,
)
from kinsight.detection.queries import adult_q

DAY = datetime.timedelta(days=1)
# What a child recorded afresh on a parent's new case keeps from the earlier record.
RENEWED = ("child_id", "first_name", "birth_date", "birth_year", "custody", "lives_with")


def _user(municipality, name):
    return User.objects.filter(
        Q(username=name) | Q(username__endswith=f"-{name}"), municipality=municipality
    ).first()


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _answer(case, actor, day, *, expecting=Answer.NO):
    """The child question of ``case`` answered "yes" on ``day``."""
    values = {
        "person_id": case.person_id,
        "unit_id": case.unit_id,
        "municipality_id": case.municipality_id,
        "has_children": Answer.YES,
        "unknown_reason": "",
        "expecting_child": expecting,
        "answered_at": _at(day),
        "answered_by": actor,
        "next_ask_on": add_months(day, 6),
    }
    question, _made = ChildQuestion.objects.update_or_create(case=case, defaults=values)
    ChildQuestionAnswer.objects.create(
        municipality_id=case.municipality_id,
        question=question,
        unit_id=case.unit_id,
        has_children=Answer.YES,
        expecting_child=expecting,
        answered_at=_at(day),
        answered_by=actor,
    )


def _record(case, actor, day, **fields):
    record = ChildRecord.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        unit_id=case.unit_id,
        parent_id=case.person_id,
        identified_on=day,
        status_changed_on=day,
        created_by=actor,
        **fields,
    )
    _step(record, ChildStatus.IDENTIFIED, actor, day)
    return record


def _step(record, status, actor, day, **fields):
    ChildRecordStep.objects.create(
        municipality_id=record.municipality_id,
        record=record,
        status=status,
        on=day,
        by=actor,
        unit_id=record.unit_id,
        **fields,
    )


def _attend(record, actor, day, reason):
    _step(
        record,
        ChildStatus.ATTENDED,
        actor,
        day,
        parent_talked_with=True,
        child_information=ChildInformation.NOT_APPLICABLE,
        child_information_reason=reason,
    )
    record.status, record.attended_on, record.status_changed_on = ChildStatus.ATTENDED, day, day
    record.save(update_fields=["status", "attended_on", "status_changed_on"])


def _infant_and_expected(worker, today):
    """On one of the worker's open cases: an infant attended (information not
    applicable) and an expected child not yet attended."""
    case = (
        Case.objects.filter(adult_q(today), responsible=worker)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(child_records__expected_month__isnull=False)
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    day = today - 20 * DAY
    _answer(case, worker, day, expecting=Answer.YES)
    infant = _record(case, worker, day, first_name="Ebba", birth_year=today.year, custody="joint")
    _attend(infant, worker, today - 6 * DAY, INFANT_REASON)
    month = add_months(today.replace(day=1), 3)
    _record(case, worker, day, first_name="", birth_year=month.year, expected_month=month)
    return 2


def _returning_parent(worker, today):
    """A parent of the worker's unit whose case closed, back with a new case: the
    children of the closed case recorded afresh (identified) on the new one."""
    old = (
        ChildRecord.objects.filter(
            unit__in=worker.units_with_role(Role.CASE_WORKER),
            case__status=CaseStatus.CLOSED,
            case__closed_on__lt=today - 30 * DAY,
            expected_month__isnull=True,
        )
        .exclude(parent__cases__status__in=[s for s in CaseStatus if s != CaseStatus.CLOSED])
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if old is None:
        return 0
    opened = today - 12 * DAY
    case = Case.objects.create(
        municipality_id=old.municipality_id,
        person_id=old.parent_id,
        unit_id=old.unit_id,
        status=CaseStatus.ACTUALISATION,
        responsible=worker,
        subject="Ny ansökan efter tidigare avslutat ärende (påhittad)",
        opened_on=opened,
    )
    _answer(case, worker, opened + DAY)
    made = 0
    for earlier in ChildRecord.objects.filter(case=old.case).order_by("pk"):
        _record(case, worker, opened + DAY, **{name: getattr(earlier, name) for name in RENEWED})
        made += 1
    return made


def _awaiting_feedback(child_worker, rules, today):
    """A school's report: investigation opened two days ago, the school asked to hear."""
    units = list(child_worker.units_with_role(Role.CASE_WORKER))
    if not units:
        return 0
    received, decided = today - 5 * DAY, today - 2 * DAY
    pre, investigation, feedback = (
        rules["pre_assessment"],
        rules["investigation"],
        rules["feedback"],
    )
    ConcernReport.objects.create(
        municipality_id=child_worker.municipality_id,
        source=ReportSource.EXTERNAL,
        reporter_category=ReporterCategory.SCHOOL,
        reporter_name="Skolkurator (påhittad)",
        child_name="Nora",
        child_birth_year=today.year - 9,
        receiving_unit_id=units[0],
        responsible=child_worker,
        received_on=received,
        concern="Påhittad orosanmälan: oro för barnets situation i hemmet.",
        feedback_requested=True,
        status=ReportStatus.INVESTIGATING,
        pre_assessment_rule=pre,
        pre_assessment_due_on=pre.due(received),
        pre_assessment_decision=PreAssessmentDecision.OPEN_INVESTIGATION,
        pre_assessment_decided_on=decided,
        pre_assessment_decided_by=child_worker,
        investigation_rule=investigation,
        investigation_started_on=decided,
        investigation_due_on=investigation.due(decided),
        feedback_rule=feedback,
        feedback_due_on=feedback.due(decided),
        created_by=child_worker,
    )
    return 1


def add_showcase(*, municipality, rules, today):
    """The rows above, for the demo users found in ``municipality`` (none without
    them). Returns how many rows were made."""
    made = 0
    worker = _user(municipality, "handlaggare")
    if worker is not None:
        made += _returning_parent(worker, today)  # first: it may make the only open case
        made += _infant_and_expected(worker, today)
    child_worker = _user(municipality, "barnhandlaggare")
    if child_worker is not None:
        made += _awaiting_feedback(child_worker, rules, today)
    return made
