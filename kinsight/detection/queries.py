"""Reads for early detection, each starting from visible_to(user, action) and audited.

For the work queues and the minimum level (built on these models):
- ``cases_with_pending_child_question``: open adult cases whose child question is
  unanswered, due again or "unknown" after a case event (a case without a
  ChildQuestion row is unanswered).
- ChildRecord.objects.visible_to(user, "view").not_attended() / .attended()
- ConcernReport.objects.visible_to(user, "change").awaiting_pre_assessment() and
  .due_by(day) for deadlines.
"""

import datetime

from django.db.models import Case as Case_
from django.db.models import F, Prefetch, Q, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.detection.access import pending_q
from kinsight.detection.models import (
    ChildFlag,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
    ReportStatus,
)
from kinsight.detection.services import is_adult

QUESTION_TYPE = "detection.childquestion"
RECORD_TYPE = "detection.childrecord"
REPORT_TYPE = "detection.concernreport"


def adult_q(on, prefix="person__"):
    """Persons 18 or older on ``on``, or of unknown age (they are asked too)."""
    p = prefix
    try:
        eighteen = on.replace(year=on.year - 18)
    except ValueError:  # 29 February
        eighteen = on.replace(year=on.year - 18, day=28)
    return (
        Q(**{f"{p}birth_date__lte": eighteen})
        | Q(**{f"{p}birth_date__isnull": True, f"{p}approximate_birth_year__lte": on.year - 18})
        | Q(**{f"{p}birth_date__isnull": True, f"{p}approximate_birth_year__isnull": True})
    )


def cases_with_pending_child_question(*, actor, on=None, unit=None):
    """Open cases of adults the actor sees where the child question is to be asked."""
    on = on or timezone.localdate()
    cases = Case.objects.visible_to(actor, "view").open().filter(adult_q(on))
    if unit is not None:
        cases = cases.filter(unit=unit)
    return cases.filter(
        Q(child_question__isnull=True) | pending_q(on, prefix="child_question__")
    ).select_related("person", "unit", "responsible", "child_question")


def _records(queryset):
    return queryset.select_related("child", "parent", "case", "unit").prefetch_related(
        Prefetch("flags", queryset=ChildFlag.objects.order_by("noted_on", "pk")),
    )


def case_detection(*, actor, case):
    """What the case page shows of early detection: the child question (pending or
    not), the children recorded on this case, and those on the person's other cases
    the actor sees (history, and children to record afresh on this case). Audited as
    reads; one query for the records."""
    today = timezone.localdate()
    adult = is_adult(case.person, today)
    question = ChildQuestion.objects.visible_to(actor, "view").filter(case=case).first()
    if question is not None:
        question.case = case
        audit_read(actor=actor, obj=question)
    records = []
    if adult:
        records = list(
            _records(
                ChildRecord.objects.visible_to(actor, "view").filter(parent_id=case.person_id)
            ).order_by("birth_year", "first_name", "pk")
        )
        audit_read_many(actor=actor, objects=records, object_type=RECORD_TYPE)
    here = [r for r in records if r.case_id == case.pk]
    return {
        "is_adult": adult,
        "question": question,
        "question_pending": adult
        and not case.is_closed
        and (question is None or question.is_pending(today, case=case)),
        "child_records": here,
        "other_records": _not_on_case(records, here),
        "expecting": question is not None and question.expecting_child == "yes",
        "has_expected": any(r.is_expected for r in here),
    }


def _not_on_case(records, here):
    """Records of the person's other cases whose child is not recorded on this case
    (newest first): each can be recorded afresh here."""
    children = {r.child_id for r in here if r.child_id}
    names = {(r.first_name, r.birth_year) for r in here if not r.child_id}
    others = [r for r in records if r not in here]
    for record in others:
        known = record.child_id in children if record.child_id else None
        if known is None:
            known = (record.first_name, record.birth_year) in names
        record.on_this_case = known
    return sorted(others, key=lambda r: (r.identified_on, r.pk), reverse=True)


def child_record_get(*, actor, pk, action="view", audit=True):
    record = get_object_or_404(
        ChildRecord.objects.visible_to(actor, action).select_related(
            "child", "parent", "case", "unit", "created_by"
        ),
        pk=pk,
    )
    if audit:
        audit_read(actor=actor, obj=record)
    return record


def record_can_change(*, actor, record):
    return ChildRecord.objects.visible_to(actor, "change").filter(pk=record.pk).exists()


def record_details(*, actor, record):
    """Steps, flags and the reports the actor sees about the record."""
    steps = list(
        ChildRecordStep.objects.visible_to(actor, "view")
        .filter(record=record)
        .select_related("by", "unit")
        .order_by("on", "pk")
    )
    flags = list(
        ChildFlag.objects.visible_to(actor, "view")
        .filter(record=record)
        .select_related("noted_by")
        .order_by("noted_on", "pk")
    )
    reports = list(
        ConcernReport.objects.visible_to(actor, "view")
        .filter(child_record=record)
        .select_related("receiving_unit", "reporting_unit")
        .order_by("-received_on", "-pk")
    )
    audit_read_many(actor=actor, objects=reports, object_type=REPORT_TYPE)
    return {"steps": steps, "flags": flags, "reports": reports}


def _report_list(queryset):
    return queryset.select_related("receiving_unit", "reporting_unit", "responsible")


def reports_received(*, actor, status=""):
    """Reports received by the actor's units (seen in full)."""
    reports = ConcernReport.objects.full_access(actor)
    if status:
        reports = reports.filter(status=status)
    # Open reports first, the nearest running deadline first; closed ones last.
    return _report_list(reports).order_by(
        Case_(When(status=ReportStatus.CLOSED, then=1), default=0),
        Case_(
            When(status=ReportStatus.RECEIVED, then=F("pre_assessment_due_on")),
            When(status=ReportStatus.INVESTIGATING, then=F("investigation_due_on")),
        ).asc(nulls_last=True),
        "-received_on",
        "-pk",
    )


def reports_sent(*, actor):
    """Reports sent from the actor's units: the status view."""
    full = ConcernReport.objects.full_access(actor).values("pk")
    return (
        _report_list(ConcernReport.objects.visible_to(actor, "view"))
        .exclude(pk__in=full)
        .order_by("-received_on", "-pk")
    )


def report_get(*, actor, pk, action="view", audit=True):
    """(report, full): ``full`` is False for the reporting unit's status view."""
    report = get_object_or_404(
        _report_list(ConcernReport.objects.visible_to(actor, action)).select_related(
            "child_record", "pre_assessment_rule", "investigation_rule", "feedback_given_by"
        ),
        pk=pk,
    )
    full = ConcernReport.objects.full_access(actor).filter(pk=pk).exists()
    if audit:
        audit_read(actor=actor, obj=report)
    return report, full


def audit_list(*, actor, objects, object_type):
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def days_between(a, b):
    return (b - a).days if isinstance(a, datetime.date) and isinstance(b, datetime.date) else None
