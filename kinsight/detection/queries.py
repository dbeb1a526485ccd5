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
from collections.abc import Iterable
from typing import TypedDict, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case as Case_
from django.db.models import F, Model, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.lists import audited_list, visible_list
from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.cases.models import Case
from kinsight.core.models import NodeKind, OrgUnit, UnitType, User
from kinsight.detection.access import pending_q
from kinsight.detection.models import (
    ChildFlag,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
    DeadlineRule,
    ReportStatus,
)
from kinsight.detection.rules import is_adult

QUESTION_TYPE = "detection.childquestion"
RECORD_TYPE = "detection.childrecord"
REPORT_TYPE = "detection.concernreport"

_Records = TypeVar("_Records", bound=QuerySet[ChildRecord])
_Reports = TypeVar("_Reports", bound=QuerySet[ConcernReport])


def adult_q(on: datetime.date, prefix: str = "person__") -> Q:
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


def cases_with_pending_child_question(
    *, actor: User, on: datetime.date | None = None, unit: OrgUnit | None = None
) -> QuerySet[Case]:
    """Open cases of adults the actor sees where the child question is to be asked."""
    on = on or timezone.localdate()
    cases = Case.objects.visible_to(actor, "view").open().filter(adult_q(on))
    if unit is not None:
        cases = cases.filter(unit=unit)
    return cases.filter(
        Q(child_question__isnull=True) | pending_q(on, prefix="child_question__")
    ).select_related("person", "unit", "responsible", "child_question")


def _records(queryset: _Records) -> _Records:
    return queryset.select_related("child", "parent", "case", "unit").prefetch_related(
        Prefetch("flags", queryset=ChildFlag.objects.order_by("noted_on", "pk")),
    )


class CaseDetection(TypedDict):
    """What the case page shows of early detection (``case_detection``)."""

    is_adult: bool
    question: ChildQuestion | None
    question_pending: bool
    child_records: list[ChildRecord]
    other_records: list[ChildRecord]
    expecting: bool
    has_expected: bool


def case_detection(*, actor: User, case: Case) -> CaseDetection:
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
    records: list[ChildRecord] = []
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


def _not_on_case(records: list[ChildRecord], here: list[ChildRecord]) -> list[ChildRecord]:
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


def _record_rows() -> TenantQuerySet[ChildRecord, ChildRecord]:
    return ChildRecord.objects.select_related("child", "parent", "case", "unit", "created_by")


def child_record_get(*, actor: User, pk: int) -> ChildRecord:
    """The child record for its page: 404 when the actor does not see it; the read is
    audited. It carries ``may_change``, read with it."""
    record = get_for(actor, _record_rows(), pk, flags=("change",))
    audit_read(actor=actor, obj=record)
    return record


def child_record_for_change(*, actor: User, pk: int, action: str = "change") -> ChildRecord:
    """The child record the actor is about to change (or ``action``): 404 when they do
    not see it, 403 when they may not. Not audited: the write that follows is."""
    return get_for(actor, _record_rows(), pk, action)


def record_can_change(*, actor: User, record: ChildRecord) -> bool:
    if hasattr(record, "may_change"):
        return record.may_change
    return ChildRecord.objects.visible_to(actor, "change").filter(pk=record.pk).exists()


class RecordDetails(TypedDict):
    """Steps, flags and reports of a child record (``record_details``)."""

    steps: list[ChildRecordStep]
    flags: list[ChildFlag]
    reports: list[ConcernReport]


def record_details(*, actor: User, record: ChildRecord) -> RecordDetails:
    """Steps, flags and the reports the actor sees about the record."""
    steps = visible_list(
        actor, ChildRecordStep, record=record, related=("by", "unit"), order=("on", "pk")
    )
    flags = visible_list(
        actor, ChildFlag, record=record, related=("noted_by",), order=("noted_on", "pk")
    )
    reports = audited_list(
        actor,
        ConcernReport,
        child_record=record,
        related=("receiving_unit", "reporting_unit"),
        order=("-received_on", "-pk"),
    )
    return {"steps": steps, "flags": flags, "reports": reports}


def _report_list(queryset: _Reports) -> _Reports:
    return queryset.select_related("receiving_unit", "reporting_unit", "responsible")


def reports_received(*, actor: User, status: str = "") -> QuerySet[ConcernReport]:
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


def reports_sent(*, actor: User) -> QuerySet[ConcernReport]:
    """Reports sent from the actor's units: the status view."""
    full = ConcernReport.objects.full_access(actor).values("pk")
    return (
        _report_list(ConcernReport.objects.visible_to(actor, "view"))
        .exclude(pk__in=full)
        .order_by("-received_on", "-pk")
    )


def _report_rows(actor: User, action: str) -> QuerySet[ConcernReport]:
    return _report_list(ConcernReport.objects.visible_to(actor, action)).select_related(
        "child_record", "pre_assessment_rule", "investigation_rule", "feedback_given_by"
    )


def report_get(*, actor: User, pk: int) -> tuple[ConcernReport, bool]:
    """(report, full) for the report's page, the read audited: ``full`` is False for
    the reporting unit's status view. 404 when the actor does not see it."""
    report = get_object_or_404(_report_rows(actor, "view"), pk=pk)
    audit_read(actor=actor, obj=report)
    return report, _full_access(actor, pk)


def report_for_change(*, actor: User, pk: int) -> ConcernReport:
    """The report a receiving unit is about to change: 404 when the actor does not see
    it, 403 when they see only the status view. Not audited: the write that follows is."""
    report = get_object_or_404(_report_rows(actor, "view"), pk=pk)
    if not _full_access(actor, pk):
        raise PermissionDenied
    return report


def _full_access(actor: User, pk: int) -> bool:
    return ConcernReport.objects.full_access(actor).filter(pk=pk).exists()


def audit_list(*, actor: User, objects: Iterable[Model], object_type: str) -> AuditEntry | None:
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


# Concern reports: the clocks, where a report goes, what it starts from -----------


def rule_for(code: str, day: datetime.date) -> DeadlineRule:
    """The DeadlineRule with ``code`` that holds on ``day``."""
    rules = [r for r in DeadlineRule.objects.filter(code=code) if r.is_valid_on(day)]
    if not rules:
        raise ValidationError(
            _("Det finns ingen frist för %(code)s. Kontakta systemförvaltaren.") % {"code": code}
        )
    return max(rules, key=lambda r: r.valid_from or datetime.date.min)


def receiving_units(municipality_id: int) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        municipality_id=municipality_id,
        kind=NodeKind.UNIT,
        unit_type=UnitType.CHILDREN_YOUTH,
        is_active=True,
    ).order_by("name")


def can_send_report(*, actor: User, record: ChildRecord) -> bool:
    """Internal reports are sent by those who may change a case of the parent."""
    return Case.objects.visible_to(actor, "change").filter(person_id=record.parent_id).exists()


def suggested_concern(*, actor: User, record: ChildRecord) -> str:
    """The text an internal report starts from: what the child record says."""
    month = record.expected_month
    if month is not None and record.is_expected:
        child = _("Väntat barn, beräknat %(month)s.") % {"month": month.strftime("%Y-%m")}
    else:
        child = _("Barn: %(name)s, %(age)s år.") % {
            "name": record.display_name,
            "age": record.age(),
        }
    parts = [
        child,
        _("Förälder: %(name)s, aktuell i %(unit)s.")
        % {"name": record.parent.full_name, "unit": record.unit.name},
        _("Bor hos föräldern: %(lives)s. Vårdnad: %(custody)s.")
        % {
            "lives": record.get_lives_with_display().lower(),
            "custody": record.get_custody_display().lower(),
        },
    ]
    flags = ChildFlag.objects.filter(record=record, ended_on__isnull=True).order_by("noted_on")
    if flags:
        parts.append(
            _("Markeringar: %(flags)s.")
            % {"flags": ", ".join(f"{f.get_kind_display()} ({f.noted_on})" for f in flags)}
        )
    if record.other_carers:
        parts.append(_("Andra som tar hand om barnet: %(who)s.") % {"who": record.other_carers})
    return "\n".join(str(p) for p in parts)
