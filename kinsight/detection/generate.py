"""Synthetic early-detection data on top of generated persons and cases, so the demo's
queues and minimum-level figures are not empty: child questions (answered yes/no,
unknown with a reason, unanswered, due again), children as next of kin in every
lifecycle state with dated steps (infants attended with the child's information "not
applicable"), expected children, a returning parent's children recorded afresh on
the new case, flags, and internal and external concern reports (some overdue, some
awaiting feedback to the reporter). Written with bulk_create and one audit row for
the run; the showcase rows for the demo users are in kinsight.detection.showcase."""

import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import OrgUnit, Role, UnitType
from kinsight.detection.models import (
    CHILD_TRANSITIONS,
    Answer,
    ChildFlag,
    ChildInformation,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    ConcernReport,
    Custody,
    DeadlineRule,
    FlagKind,
    LivesWith,
    PreAssessmentDecision,
    ReporterCategory,
    ReportSource,
    ReportStatus,
    add_months,
)
from kinsight.people.models import Person, RelationKind, Relationship

BATCH = 2000
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


def _aware(day, rng):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    )


def _between(rng, start, end):
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _birth_year(birth_date, approx):
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


def _expected(rng, today, *, municipality, case_id, person_id, unit_id, answered_on, actor, at):
    """An expected child on an open case whose parent is expecting; some attended."""
    month = add_months(today.replace(day=1), rng.randint(1, 8))
    record = ChildRecord(
        municipality=municipality,
        case_id=case_id,
        unit_id=unit_id,
        parent_id=person_id,
        first_name="",
        birth_year=month.year,
        expected_month=month,
        identified_on=answered_on,
        status_changed_on=answered_on,
        created_by_id=actor,
        created_at=at,
    )
    path = []
    if rng.random() < 0.4:
        day = min(today, answered_on + datetime.timedelta(days=rng.randint(3, 30)))
        path = [(ChildStatus.ATTENDED, day)]
        record.status, record.status_changed_on, record.attended_on = path[0][0], day, day
    return record, path


def generate_detection(*, municipality, seed=1, today=None):
    rng = random.Random(seed * 104729 + 5)
    today = today or timezone.localdate()
    months = settings.KINSIGHT_CHILD_QUESTION_MONTHS
    adult_limit = (
        today.replace(year=today.year - 18)
        if (today.month, today.day) != (2, 29)
        else (today.replace(year=today.year - 18, day=28))
    )
    persons = {
        pk: (birth, approx)
        for pk, birth, approx in Person.objects.filter(municipality=municipality).values_list(
            "pk", "birth_date", "approximate_birth_year"
        )
    }
    children_of = defaultdict(list)
    for parent_id, child_id in Relationship.objects.filter(
        municipality=municipality, kind=RelationKind.PARENT
    ).values_list("from_person_id", "to_person_id"):
        birth, approx = persons.get(child_id, (None, None))
        year = _birth_year(birth, approx)
        if year is not None and year > today.year - 18 and (birth is None or birth > adult_limit):
            children_of[parent_id].append(child_id)
    unit_types = dict(
        OrgUnit.objects.filter(municipality=municipality, kind="unit").values_list(
            "pk", "unit_type"
        )
    )
    cy_units = [pk for pk, t in unit_types.items() if t == UnitType.CHILDREN_YOUTH]
    workers = defaultdict(list)
    from kinsight.core.models import Membership

    for unit_id, user_id in Membership.objects.filter(
        municipality=municipality, role=Role.CASE_WORKER
    ).values_list("unit_id", "user_id"):
        workers[unit_id].append(user_id)
    adult_cases = list(
        Case.objects.filter(municipality=municipality)
        .filter(
            Q(person__birth_date__lte=adult_limit)
            | Q(
                person__birth_date__isnull=True, person__approximate_birth_year__lte=today.year - 18
            )
        )
        .exclude(unit__unit_type=UnitType.CHILDREN_YOUTH)
        .values_list("pk", "person_id", "unit_id", "status", "responsible_id", "opened_on")
        .order_by("pk")
    )
    rules = {r.code: r for r in DeadlineRule.objects.filter(valid_from__isnull=True)}

    questions, answers, records, steps_for, flags, reports = [], [], [], [], [], []
    recorded = set()
    for case_id, person_id, unit_id, status, responsible_id, opened_on in adult_cases:
        actor = responsible_id or (workers.get(unit_id) or [None])[0]
        if actor is None:
            continue
        roll = rng.random()
        answer_share = 0.9 if status == CaseStatus.CLOSED else 0.68
        if roll > answer_share:
            continue  # unanswered: a prompt and a queue item
        kids = children_of.get(person_id, [])
        if kids:
            has = Answer.YES if rng.random() < 0.88 else Answer.UNKNOWN
        else:
            has = Answer.NO if rng.random() < 0.82 else Answer.UNKNOWN
        answered_on = min(today, opened_on + datetime.timedelta(days=rng.randint(0, 40)))
        if status != CaseStatus.CLOSED:  # open cases were asked (again) in recent months
            answered_on = max(answered_on, _between(rng, today - datetime.timedelta(240), today))
        at = _aware(answered_on, rng)
        reason = rng.choice(UNKNOWN_REASONS) if has == Answer.UNKNOWN else ""
        expecting = rng.choices([Answer.NO, Answer.YES, Answer.UNKNOWN], [85, 4, 11])[0]
        question = ChildQuestion(
            municipality=municipality,
            case_id=case_id,
            person_id=person_id,
            unit_id=unit_id,
            has_children=has,
            unknown_reason=reason,
            expecting_child=expecting,
            answered_at=at,
            answered_by_id=actor,
            next_ask_on=add_months(answered_on, months),
            created_at=at,
        )
        questions.append(question)
        answers.append((question, actor))
        if expecting == Answer.YES and status != CaseStatus.CLOSED and rng.random() < 0.7:
            record, path = _expected(
                rng,
                today,
                municipality=municipality,
                case_id=case_id,
                person_id=person_id,
                unit_id=unit_id,
                answered_on=answered_on,
                actor=actor,
                at=at,
            )
            records.append(record)
            steps_for.append((record, actor, unit_id, path))
        if has != Answer.YES:
            continue
        extra = [None] if rng.random() < 0.12 else []
        for child_id in kids + extra:
            key = (case_id, child_id or rng.random())  # a record is per case
            if key in recorded:
                continue
            recorded.add(key)
            final = rng.choices(*zip(*FINAL_STATUS, strict=True))[0]
            if child_id:
                birth, approx = persons[child_id]
                first_name, year = "", _birth_year(birth, approx)
            else:
                birth, year = None, today.year - rng.randint(0, 17)
                first_name = rng.choice(FIRST_NAMES)
            record = ChildRecord(
                municipality=municipality,
                case_id=case_id,
                unit_id=unit_id,
                parent_id=person_id,
                child_id=child_id,
                first_name=first_name,
                birth_date=birth,
                birth_year=year,
                custody=rng.choices(list(Custody), [45, 20, 15, 5, 15])[0],
                lives_with=rng.choices(list(LivesWith), [45, 25, 20, 10])[0],
                other_carers=rng.choice(["", "", "Den andra föräldern", "Mormor", "Familjehem"]),
                identified_on=answered_on,
                status_changed_on=answered_on,
                created_by_id=actor,
                created_at=at,
            )
            day = answered_on
            path = []
            for step in PATHS[final]:
                day = min(today, day + datetime.timedelta(days=rng.randint(3, 60)))
                path.append((step, day))
            if path:
                record.status = path[-1][0]
                record.status_changed_on = path[-1][1]
                record.attended_on = path[0][1]
            records.append(record)
            steps_for.append((record, actor, unit_id, path))
            for kind, share in [
                (FlagKind.YOUNG_CARER, 0.08),
                (FlagKind.CHILD_INTERPRETER, 0.03),
                (FlagKind.VIOLENCE_IN_FAMILY, 0.06),
                (PROBLEM_BY_UNIT.get(unit_types.get(unit_id)), 0.45),
            ]:
                # A toddler neither cares for a parent nor interprets (same draws either way).
                too_young = kind in CARER_FLAGS and today.year - year < CARER_MIN_AGE
                if kind and rng.random() < share and not too_young:
                    flags.append((record, kind, _between(rng, answered_on, today), actor))
            if cy_units and rng.random() < 0.12:
                received = _between(rng, answered_on, today)
                reports.append(
                    _report(
                        rng,
                        rules,
                        today,
                        municipality=municipality,
                        source=ReportSource.INTERNAL,
                        reporter_category=ReporterCategory.SOCIAL_SERVICES,
                        reporting_unit_id=unit_id,
                        reported_by_id=actor,
                        record=record,
                        child_id=child_id,
                        child_year=year,
                        receiving_unit_id=rng.choice(cy_units),
                        received=received,
                        workers=workers,
                    )
                )
    # External reports about children with a case in a children-and-youth unit.
    if cy_units:
        child_cases = list(
            Case.objects.filter(municipality=municipality, unit_id__in=cy_units)
            .values_list("person_id", "unit_id", "opened_on", "person__first_name")
            .order_by("pk")
        )
        for person_id, unit_id, opened_on, first_name in child_cases:
            if rng.random() > 0.6:
                continue
            birth, approx = persons.get(person_id, (None, None))
            reports.append(
                _report(
                    rng,
                    rules,
                    today,
                    municipality=municipality,
                    source=ReportSource.EXTERNAL,
                    reporter_category=rng.choices(*zip(*EXTERNAL, strict=True))[0],
                    reporting_unit_id=None,
                    reported_by_id=None,
                    record=None,
                    child_id=person_id,
                    child_name=first_name,
                    child_year=_birth_year(birth, approx),
                    receiving_unit_id=unit_id,
                    received=max(opened_on - datetime.timedelta(days=rng.randint(0, 5)), opened_on)
                    if rng.random() < 0.5
                    else _between(rng, today - datetime.timedelta(days=60), today),
                    workers=workers,
                )
            )

    with transaction.atomic():
        ChildQuestion.objects.bulk_create(questions, batch_size=BATCH)
        ChildQuestionAnswer.objects.bulk_create(
            [
                ChildQuestionAnswer(
                    municipality=municipality,
                    question_id=q.pk,
                    unit_id=q.unit_id,
                    has_children=q.has_children,
                    unknown_reason=q.unknown_reason,
                    expecting_child=q.expecting_child,
                    answered_at=q.answered_at,
                    answered_by_id=actor,
                )
                for q, actor in answers
            ],
            batch_size=BATCH,
        )
        for record in records:
            if not record.first_name and record.expected_month is None:
                record.first_name = "?"
        ChildRecord.objects.bulk_create(records, batch_size=BATCH)
        if any(r.child_id for r in records):
            names = dict(
                Person.objects.filter(
                    pk__in=[r.child_id for r in records if r.child_id]
                ).values_list("pk", "first_name")
            )
            fix = [r for r in records if r.child_id]
            for r in fix:
                r.first_name = names.get(r.child_id, "?")
            ChildRecord.objects.bulk_update(fix, ["first_name"], batch_size=BATCH)
        step_rows = []
        for record, actor, unit_id, path in steps_for:
            information, reason = child_information(record, today)
            step_rows.append(
                ChildRecordStep(
                    municipality=municipality,
                    record_id=record.pk,
                    status=ChildStatus.IDENTIFIED,
                    on=record.identified_on,
                    by_id=actor,
                    unit_id=unit_id,
                )
            )
            for status, day in path:
                step_rows.append(
                    ChildRecordStep(
                        municipality=municipality,
                        record_id=record.pk,
                        status=status,
                        on=day,
                        by_id=actor,
                        unit_id=unit_id,
                        parent_talked_with=status == ChildStatus.ATTENDED,
                        child_information=information if status == ChildStatus.ATTENDED else "",
                        child_information_reason=reason if status == ChildStatus.ATTENDED else "",
                        note="Påhittad anteckning." if rng.random() < 0.3 else "",
                    )
                )
        ChildRecordStep.objects.bulk_create(step_rows, batch_size=BATCH)
        ChildFlag.objects.bulk_create(
            [
                ChildFlag(
                    municipality=municipality,
                    record_id=record.pk,
                    kind=kind,
                    noted_on=day,
                    noted_by_id=actor,
                )
                for record, kind, day, actor in flags
            ],
            batch_size=BATCH,
        )
        for report in reports:
            if report.child_record is not None:
                report.child_record_id = report.child_record.pk
                report.child_name = report.child_record.first_name
        ConcernReport.objects.bulk_create(reports, batch_size=BATCH)
        from kinsight.detection.showcase import add_showcase

        made = {
            "showcase": add_showcase(municipality=municipality, rules=rules, today=today),
            "child_questions": len(questions),
            "child_records": len(records),
            "steps": len(step_rows),
            "flags": len(flags),
            "concern_reports": len(reports),
        }
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=municipality,
            municipality_id=municipality.pk,
            changes={"generated": made},
        )
    return made


def _report(
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
        created_at=_aware(received, rng),
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
    _feedback(rng, rules, today, report)
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


def _feedback(rng, rules, today, report):
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
