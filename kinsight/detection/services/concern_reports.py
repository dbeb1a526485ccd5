"""Concern reports (orosanmälningar): internal ones sent about a child record, external
ones registered by the receiving unit, and the steps with their statutory clocks."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.services import audit_created
from kinsight.cases.models import Case
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import update_audited
from kinsight.core.validation import check_choice, not_future, today
from kinsight.detection.access import WORK_ROLES
from kinsight.detection.models import (
    EXTERNAL_CATEGORIES,
    ChildRecord,
    ConcernReport,
    DeadlineRule,
    InvestigationOutcome,
    PreAssessmentDecision,
    ReporterCategory,
    ReportSource,
    ReportStatus,
)
from kinsight.detection.queries import can_send_report, receiving_units, rule_for
from kinsight.people.models import Person

# The content of a report is never copied into the audit log: only what changed.
REPORT_FIELDS = [
    "source",
    "reporter_category",
    "reporting_unit",
    "reported_by",
    "child_record",
    "child",
    "receiving_unit",
    "responsible",
    "received_on",
    "feedback_requested",
    "status",
    "pre_assessment_due_on",
    "pre_assessment_decision",
    "pre_assessment_decided_on",
    "investigation_started_on",
    "investigation_due_on",
    "investigation_outcome",
    "investigation_completed_on",
    "feedback_due_on",
    "feedback_given_on",
]


def _check_receiving_unit(actor: User, unit: OrgUnit | None) -> None:
    if unit is None or not receiving_units(municipality_id_of(actor)).filter(pk=unit.pk).exists():
        raise ValidationError(
            {"receiving_unit": _("Välj en enhet för barn och ungdom som tar emot anmälan.")}
        )


def _report_create(actor: User, **fields: Any) -> ConcernReport:
    """A new report by ``actor``, the pre-assessment clock started from the day it came
    in; audited (the content of a report is never copied into the log)."""
    report = ConcernReport(municipality_id=municipality_id_of(actor), created_by=actor, **fields)
    rule = rule_for(DeadlineRule.PRE_ASSESSMENT, report.received_on)
    report.pre_assessment_rule = rule
    report.pre_assessment_due_on = rule.due(report.received_on)
    report.save()
    return audit_created(actor, report, REPORT_FIELDS)


def concern_report_send(
    *,
    actor: User,
    record: ChildRecord,
    receiving_unit: OrgUnit | None,
    concern: str,
    feedback_requested: bool = False,
) -> ConcernReport:
    """An internal concern report from the parent's unit about a child record."""
    require(ChildRecord.objects.visible_to(actor, "view"), record)
    if not can_send_report(actor=actor, record=record):
        raise PermissionDenied
    _check_receiving_unit(actor, receiving_unit)
    concern = (concern or "").strip()
    if not concern:
        raise ValidationError({"concern": _("Skriv vad du är orolig för.")})
    units = actor.units_with_role(*WORK_ROLES)
    reporting_unit_id = record.unit_id if record.unit_id in units else None
    if reporting_unit_id is None:
        case = (
            Case.objects.visible_to(actor, "change")
            .filter(person_id=record.parent_id, unit_id__in=units)
            .first()
        )
        reporting_unit_id = case.unit_id if case else record.unit_id
    with transaction.atomic():
        return _report_create(
            actor,
            source=ReportSource.INTERNAL,
            reporter_category=ReporterCategory.SOCIAL_SERVICES,
            reporting_unit_id=reporting_unit_id,
            reported_by=actor,
            child_record=record,
            child_id=record.child_id,
            child_name=str(record.display_name),
            child_birth_year=record.birth_year,
            receiving_unit=receiving_unit,
            received_on=today(),
            concern=concern,
            feedback_requested=bool(feedback_requested),
        )


def concern_report_register(
    *,
    actor: User,
    receiving_unit: OrgUnit | None,
    reporter_category: str,
    child_name: str,
    concern: str,
    received_on: datetime.date | None = None,
    child_age: int | str | None = None,
    child: Person | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    feedback_requested: bool = False,
) -> ConcernReport:
    """An external concern report, registered by the receiving unit."""
    if receiving_unit is None or receiving_unit.pk not in actor.units_with_role(*WORK_ROLES):
        raise PermissionDenied
    _check_receiving_unit(actor, receiving_unit)
    today = timezone.localdate()
    received_on = received_on or today
    errors: dict[str, str] = {}
    if reporter_category not in [c.value for c in EXTERNAL_CATEGORIES]:
        errors["reporter_category"] = _(
            "Välj vem som har gjort anmälan (skola, polis, hälso- och sjukvård, förskola, "
            "annan eller anonym)."
        )
    if received_on > today:
        errors["received_on"] = _("Datumet då anmälan kom in kan inte ligga i framtiden.")
    child_name = (child_name or "").strip()
    if child is not None:
        require(Person.objects.visible_to(actor, "view"), child)
        child_name = child_name or child.full_name
    if not child_name:
        errors["child_name"] = _("Ange barnets namn (förnamn räcker).")
    birth_year = None
    if child is not None and (child.birth_date or child.approximate_birth_year):
        birth_year = child.birth_date.year if child.birth_date else child.approximate_birth_year
        if child.age(today) >= 18:
            errors["child"] = _("Personen är 18 år eller äldre. En orosanmälan gäller barn.")
    elif child_age not in (None, ""):
        child_age = int(child_age)
        if child_age >= 18:
            errors["child_age"] = _(
                "Barnet är %(age)s år. En orosanmälan gäller barn under 18 år."
            ) % {"age": child_age}
        elif child_age < 0:
            errors["child_age"] = _("Åldern kan inte vara negativ.")
        birth_year = today.year - child_age
    if not (concern or "").strip():
        errors["concern"] = _("Skriv vad anmälan gäller.")
    if reporter_category == ReporterCategory.ANONYMOUS:
        reporter_name, reporter_contact, feedback_requested = "", "", False
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _report_create(
            actor,
            source=ReportSource.EXTERNAL,
            reporter_category=reporter_category,
            reporter_name=(reporter_name or "").strip(),
            reporter_contact=(reporter_contact or "").strip(),
            child=child,
            child_name=child_name,
            child_birth_year=birth_year,
            receiving_unit=receiving_unit,
            received_on=received_on,
            concern=concern.strip(),
            feedback_requested=bool(feedback_requested),
            responsible=actor,
        )


def _update_report(
    actor: User,
    report: ConcernReport,
    stored: ConcernReport,
    expected_version: int | None,
    changes: dict[str, Any],
) -> ConcernReport:
    return update_audited(
        actor,
        report,
        changes,
        expected_version=expected_version,
        audited=REPORT_FIELDS,
        stored=stored,
    )


def concern_report_pre_assessment(
    *,
    actor: User,
    report: ConcernReport,
    decision: str,
    decided_on: datetime.date | None,
    expected_version: int | None,
    note: str = "",
) -> ConcernReport:
    """Record the decision after the förhandsbedömning; opening an investigation starts
    its clock."""
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    errors: dict[str, str] = {}
    if stored.status != ReportStatus.RECEIVED:
        raise ValidationError(
            {
                "decision": _("Förhandsbedömningen är redan beslutad (%(day)s).")
                % {"day": stored.pre_assessment_decided_on}
            }
        )
    check_choice(
        errors,
        "decision",
        decision,
        PreAssessmentDecision.values,
        _("Välj beslut: om utredning inleds eller inte."),
    )
    if decided_on is None:
        errors["decided_on"] = _("Ange beslutsdatum.")
    elif decided_on < stored.received_on:
        errors["decided_on"] = _(
            "Beslutsdatum kan inte vara före datumet då anmälan kom in (%(day)s)."
        ) % {"day": stored.received_on}
    elif decided_on > today():
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if len(note or "") > 1000:
        errors["note"] = _("Skriv högst 1000 tecken i motiveringen.")
    if errors or decided_on is None:
        raise ValidationError(errors)
    changes: dict[str, Any] = {
        "pre_assessment_decision": decision,
        "pre_assessment_decided_on": decided_on,
        "pre_assessment_decided_by": actor,
        "decision_note": (note or "").strip(),
    }
    if decision == PreAssessmentDecision.OPEN_INVESTIGATION:
        rule = rule_for(DeadlineRule.INVESTIGATION, decided_on)
        changes.update(
            status=ReportStatus.INVESTIGATING,
            investigation_rule=rule,
            investigation_started_on=decided_on,
            investigation_due_on=rule.due(decided_on),
        )
    else:
        changes["status"] = ReportStatus.CLOSED
    changes.update(_feedback_clock(stored, decided_on))
    if report.responsible_id is None:
        changes["responsible"] = actor
    with transaction.atomic():
        return _update_report(actor, report, stored, expected_version, changes)


def _feedback_clock(report: ConcernReport, decided_on: datetime.date) -> dict[str, Any]:
    """The feedback clock starts with the decision when the reporter asked for
    feedback and is not anonymous (SoL 2025:400 19 kap. 6 §)."""
    if not report.feedback_requested or report.reporter_category == ReporterCategory.ANONYMOUS:
        return {}
    rule = rule_for(DeadlineRule.FEEDBACK, decided_on)
    return {"feedback_rule": rule, "feedback_due_on": rule.due(decided_on)}


def concern_report_feedback(
    *,
    actor: User,
    report: ConcernReport,
    given_on: datetime.date | None,
    expected_version: int | None,
) -> ConcernReport:
    """Record that the reporter got feedback (whether an investigation was opened):
    the date and the actor. Clears the feedback clock."""
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    if not stored.awaits_feedback:
        raise ValidationError({"given_on": _("Ingen återkoppling väntar för anmälan.")})
    if given_on is None:
        raise ValidationError({"given_on": _("Ange datum då anmälaren fick återkoppling.")})
    decided_on = stored.pre_assessment_decided_on
    if decided_on is not None and given_on < decided_on:
        raise ValidationError(
            {
                "given_on": _("Återkopplingen kan inte vara före beslutet (%(day)s).")
                % {"day": decided_on}
            }
        )
    not_future(given_on, "given_on", _("Datumet"))
    changes = {"feedback_given_on": given_on, "feedback_given_by": actor}
    with transaction.atomic():
        return _update_report(actor, report, stored, expected_version, changes)


def concern_report_complete_investigation(
    *,
    actor: User,
    report: ConcernReport,
    outcome: str,
    completed_on: datetime.date | None,
    expected_version: int | None,
    note: str = "",
) -> ConcernReport:
    require(ConcernReport.objects.visible_to(actor, "change"), report)
    stored = ConcernReport._base_manager.get(pk=report.pk)
    if stored.status != ReportStatus.INVESTIGATING:
        raise ValidationError({"outcome": _("Ingen utredning pågår för anmälan.")})
    started_on = stored.investigation_started_on
    errors: dict[str, str] = {}
    check_choice(
        errors,
        "outcome",
        outcome,
        InvestigationOutcome.values,
        _("Välj utredningens resultat."),
    )
    if completed_on is None:
        errors["completed_on"] = _("Ange datum då utredningen avslutades.")
    elif started_on is not None and completed_on < started_on:
        errors["completed_on"] = _("Utredningen kan inte avslutas före den inleddes (%(day)s).") % {
            "day": started_on
        }
    elif completed_on > today():
        errors["completed_on"] = _("Datumet kan inte ligga i framtiden.")
    if len(note or "") > 1000:
        errors["note"] = _("Skriv högst 1000 tecken i motiveringen.")
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {
        "status": ReportStatus.CLOSED,
        "investigation_outcome": outcome,
        "investigation_completed_on": completed_on,
        "investigation_completed_by": actor,
    }
    if note:
        changes["decision_note"] = note.strip()
    with transaction.atomic():
        return _update_report(actor, report, stored, expected_version, changes)
