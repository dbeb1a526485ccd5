"""Synthetic early-detection data on top of generated persons and cases, so the demo's
queues and minimum-level figures are not empty: child questions (answered yes/no,
unknown with a reason, unanswered, due again), children as next of kin in every
lifecycle state with dated steps (infants attended with the child's information "not
applicable"), expected children, a returning parent's children recorded afresh on
the new case, flags, and internal and external concern reports (some overdue, some
awaiting feedback to the reporter). Streamed a chunk of cases at a time (each chunk
written with bulk.write and committed), one audit row for the run; the
showcase rows for the demo users are in detection_showcase.py."""

import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Membership, OrgUnit, Role, UnitType
from kinsight.demo.generate import bulk
from kinsight.demo.generate import detection_rows as build
from kinsight.demo.generate.detection_showcase import add_showcase
from kinsight.detection.models import (
    Answer,
    ChildFlag,
    ChildQuestion,
    ChildQuestionAnswer,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
    Custody,
    DeadlineRule,
    FlagKind,
    LivesWith,
    ReporterCategory,
    ReportSource,
    add_months,
)
from kinsight.people.models import RelationKind, Relationship

CHUNK = 2000  # cases per chunk


def _adult_limit(today):
    """The last birth date of an adult on ``today``."""
    if (today.month, today.day) == (2, 29):
        return today.replace(year=today.year - 18, day=28)
    return today.replace(year=today.year - 18)


def _chunks(queryset, *fields):
    """``queryset``'s rows (pk, *fields) in order of pk, CHUNK at a time."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


class _Context:
    """What every chunk needs: the municipality's units, case workers and rules."""

    def __init__(self, municipality, today):
        self.municipality, self.today = municipality, today
        self.months = settings.KINSIGHT_CHILD_QUESTION_MONTHS
        self.adult_limit = _adult_limit(today)
        self.unit_types = dict(
            OrgUnit.objects.filter(municipality=municipality, kind="unit").values_list(
                "pk", "unit_type"
            )
        )
        self.cy_units = [pk for pk, t in self.unit_types.items() if t == UnitType.CHILDREN_YOUTH]
        self.workers = defaultdict(list)
        for unit_id, user_id in Membership.objects.filter(
            municipality=municipality, role=Role.CASE_WORKER
        ).values_list("unit_id", "user_id"):
            self.workers[unit_id].append(user_id)
        self.rules = {r.code: r for r in DeadlineRule.objects.filter(valid_from__isnull=True)}

    def adult_cases(self):
        today = self.today
        return (
            Case.objects.filter(municipality=self.municipality)
            .filter(
                Q(person__birth_date__lte=self.adult_limit)
                | Q(
                    person__birth_date__isnull=True,
                    person__approximate_birth_year__lte=today.year - 18,
                )
            )
            .exclude(unit__unit_type=UnitType.CHILDREN_YOUTH)
        )

    def children_of(self, parent_ids):
        """The register's children under 18 of ``parent_ids``: parent id → [(child id,
        birth date, approximate birth year, first name)]."""
        found = defaultdict(list)
        for parent_id, *child in (
            Relationship.objects.filter(
                municipality=self.municipality,
                kind=RelationKind.PARENT,
                from_person_id__in=set(parent_ids),
            )
            .order_by("pk")
            .values_list(
                "from_person_id",
                "to_person_id",
                "to_person__birth_date",
                "to_person__approximate_birth_year",
                "to_person__first_name",
            )
        ):
            _child_id, birth, approx, _first = child
            year = build.birth_year(birth, approx)
            young = year is not None and year > self.today.year - 18
            if young and (birth is None or birth > self.adult_limit):
                found[parent_id].append(child)
        return found


class _Batch:
    """The rows one chunk of cases makes, written together."""

    def __init__(self):
        self.questions, self.answers, self.records = [], [], []
        self.steps_for, self.flags, self.reports = [], [], []

    def report(self, ctx, rng, **fields):
        """A concern report received in the municipality (see detection_rows.report)."""
        self.reports.append(
            build.report(
                rng,
                ctx.rules,
                ctx.today,
                municipality=ctx.municipality,
                workers=ctx.workers,
                **fields,
            )
        )

    def write(self, ctx, rng):
        m = ctx.municipality
        with transaction.atomic():
            bulk.write(ChildQuestion, self.questions)
            answers = [build.answer(m, q, actor) for q, actor in self.answers]
            bulk.write(ChildQuestionAnswer, answers)
            bulk.write(ChildRecord, self.records)
            steps = [
                step
                for record, actor, unit_id, path in self.steps_for
                for step in build.steps(rng, ctx.today, record, actor, unit_id, path)
            ]
            bulk.write(ChildRecordStep, steps)
            bulk.write(
                ChildFlag,
                [
                    ChildFlag(
                        municipality=m, record_id=record.pk, kind=kind, noted_on=day, noted_by_id=by
                    )
                    for record, kind, day, by in self.flags
                ],
            )
            for report in self.reports:
                # Read the record before setting its id: setting it drops the cached
                # record, and reading it again would cost a query per report.
                record = report.child_record
                if record is not None:
                    report.child_record_id, report.child_name = record.pk, record.first_name
            bulk.write(ConcernReport, self.reports)
        return {
            "child_questions": len(self.questions),
            "child_records": len(self.records),
            "steps": len(steps),
            "flags": len(self.flags),
            "concern_reports": len(self.reports),
        }


def _ask(ctx, rng, batch, case, kids):
    """The child question of one adult case (most are answered), an expected child
    when the parent expects one, and the children of a "yes"."""
    case_id, person_id, unit_id, status, responsible_id, opened_on = case
    actor = responsible_id or (ctx.workers.get(unit_id) or [None])[0]
    if actor is None:
        return
    today = ctx.today
    answer_share = 0.9 if status == CaseStatus.CLOSED else 0.68
    if rng.random() > answer_share:
        return  # unanswered: a prompt and a queue item
    if kids:
        has = Answer.YES if rng.random() < 0.88 else Answer.UNKNOWN
    else:
        has = Answer.NO if rng.random() < 0.82 else Answer.UNKNOWN
    answered_on = min(today, opened_on + datetime.timedelta(days=rng.randint(0, 40)))
    if status != CaseStatus.CLOSED:  # open cases were asked (again) in recent months
        answered_on = max(answered_on, build.between(rng, today - datetime.timedelta(240), today))
    at = build.aware(answered_on, rng)
    reason = rng.choice(build.UNKNOWN_REASONS) if has == Answer.UNKNOWN else ""
    expecting = rng.choices([Answer.NO, Answer.YES, Answer.UNKNOWN], [85, 4, 11])[0]
    question = ChildQuestion(
        municipality=ctx.municipality,
        case_id=case_id,
        person_id=person_id,
        unit_id=unit_id,
        has_children=has,
        unknown_reason=reason,
        expecting_child=expecting,
        answered_at=at,
        answered_by_id=actor,
        next_ask_on=add_months(answered_on, ctx.months),
        created_at=at,
    )
    batch.questions.append(question)
    batch.answers.append((question, actor))
    asked = {
        "municipality": ctx.municipality,
        "case_id": case_id,
        "person_id": person_id,
        "unit_id": unit_id,
        "actor": actor,
        "answered_on": answered_on,
        "at": at,
    }
    if expecting == Answer.YES and status != CaseStatus.CLOSED and rng.random() < 0.7:
        record, path = build.expected(rng, today, **asked)
        batch.records.append(record)
        batch.steps_for.append((record, actor, unit_id, path))
    if has == Answer.YES:
        extra = [None] if rng.random() < 0.12 else []
        for child in kids + extra:
            _child(ctx, rng, batch, child, asked)


def _child(ctx, rng, batch, child, asked):
    """A child of a "yes" as next of kin (``asked``: the question's answer, as for
    build.child_record): a register child, or (``child`` None) one the register does
    not know, with its steps, flags and sometimes a concern report."""
    unit_id, actor, answered_on = asked["unit_id"], asked["actor"], asked["answered_on"]
    today = ctx.today
    final = rng.choices(*zip(*build.FINAL_STATUS, strict=True))[0]
    if child:
        child_id, birth, approx, first_name = child
        year = build.birth_year(birth, approx)
    else:
        child_id, birth, year = None, None, today.year - rng.randint(0, 17)
        first_name = rng.choice(build.FIRST_NAMES)
    record = build.child_record(
        **asked,
        child_id=child_id,
        first_name=first_name or "?",
        birth_date=birth,
        birth_year=year,
        custody=rng.choices(list(Custody), [45, 20, 15, 5, 15])[0],
        lives_with=rng.choices(list(LivesWith), [45, 25, 20, 10])[0],
        other_carers=rng.choice(["", "", "Den andra föräldern", "Mormor", "Familjehem"]),
    )
    day, path = answered_on, []
    for step in build.PATHS[final]:
        day = min(today, day + datetime.timedelta(days=rng.randint(3, 60)))
        path.append((step, day))
    if path:
        record.status, record.status_changed_on = path[-1]
        record.attended_on = path[0][1]
    batch.records.append(record)
    batch.steps_for.append((record, actor, unit_id, path))
    for kind, share in [
        (FlagKind.YOUNG_CARER, 0.08),
        (FlagKind.CHILD_INTERPRETER, 0.03),
        (FlagKind.VIOLENCE_IN_FAMILY, 0.06),
        (build.PROBLEM_BY_UNIT.get(ctx.unit_types.get(unit_id)), 0.45),
    ]:
        # A toddler neither cares for a parent nor interprets (same draws either way).
        too_young = kind in build.CARER_FLAGS and today.year - year < build.CARER_MIN_AGE
        if kind and rng.random() < share and not too_young:
            batch.flags.append((record, kind, build.between(rng, answered_on, today), actor))
    if ctx.cy_units and rng.random() < 0.12:
        batch.report(
            ctx,
            rng,
            source=ReportSource.INTERNAL,
            reporter_category=ReporterCategory.SOCIAL_SERVICES,
            reporting_unit_id=unit_id,
            reported_by_id=actor,
            record=record,
            child_year=year,
            receiving_unit_id=rng.choice(ctx.cy_units),
            received=build.between(rng, answered_on, today),
            child_id=child_id,
        )


def _external(ctx, rng, batch, row):
    """Most children with a case in a children-and-youth unit were reported from outside."""
    _pk, person_id, unit_id, opened_on, first_name, birth, approx = row
    if rng.random() > 0.6:
        return
    today = ctx.today
    batch.report(
        ctx,
        rng,
        source=ReportSource.EXTERNAL,
        reporter_category=rng.choices(*zip(*build.EXTERNAL, strict=True))[0],
        reporting_unit_id=None,
        reported_by_id=None,
        record=None,
        child_id=person_id,
        child_name=first_name,
        child_year=build.birth_year(birth, approx),
        receiving_unit_id=unit_id,
        received=max(opened_on - datetime.timedelta(days=rng.randint(0, 5)), opened_on)
        if rng.random() < 0.5
        else build.between(rng, today - datetime.timedelta(days=60), today),
    )


def generate_detection(*, municipality, seed=1, today=None, progress=None):
    """Child questions, children as next of kin and concern reports for the generated
    cases, a chunk of cases at a time (each chunk written and committed on its own),
    then the showcase and one audit row. ``progress``: see bulk.stage."""
    rng = random.Random(seed * 104729 + 5)
    ctx = _Context(municipality, today or timezone.localdate())
    made = defaultdict(int)

    def add(counts):
        for key, value in counts.items():
            made[key] += value

    adult_cases = ctx.adult_cases()
    fields = ("person_id", "unit_id", "status", "responsible_id", "opened_on")
    with bulk.stage(progress, "barnfrågor", adult_cases.count()) as bar:
        for rows in _chunks(adult_cases, *fields):
            children_of, batch = ctx.children_of(row[1] for row in rows), _Batch()
            for row in rows:
                _ask(ctx, rng, batch, row, children_of.get(row[1], []))
            add(batch.write(ctx, rng))
            bar.update(len(rows))
    # External reports about children with a case in a children-and-youth unit.
    child_cases = Case.objects.filter(municipality=municipality, unit_id__in=ctx.cy_units)
    fields = ("person_id", "unit_id", "opened_on", "person__first_name", "person__birth_date")
    with bulk.stage(progress, "orosanmälningar", child_cases.count()) as bar:
        for rows in _chunks(child_cases, *fields, "person__approximate_birth_year"):
            batch = _Batch()
            for row in rows:
                _external(ctx, rng, batch, row)
            add(batch.write(ctx, rng))
            bar.update(len(rows))
    bulk.analyze(ChildQuestion, ChildRecord, ChildRecordStep, ChildFlag, ConcernReport)
    with transaction.atomic():
        made = {
            "showcase": add_showcase(municipality=municipality, rules=ctx.rules, today=ctx.today),
            **made,
        }
        bulk.audit_run(municipality, {"generated": made})
    return made
