"""Concern reports (orosanmälningar) and the statutory clocks (DeadlineRule) they run by."""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.access import (
    ConcernReportQuerySet,
)
from kinsight.detection.models.child_records import ChildRecord


class DeadlineRule(fields.Validity):
    """A statutory clock as data: how long, and the legal topic (LegalReference.topic)
    that says so. Seeded by migration; an administrator updates it with the law."""

    PRE_ASSESSMENT = "pre_assessment"
    INVESTIGATION = "investigation"
    FEEDBACK = "feedback"

    code = models.SlugField(_("kod"), max_length=40)
    label = models.CharField(_("frist"), max_length=200)
    days = models.PositiveIntegerField(_("dagar"), default=0)
    months = models.PositiveIntegerField(_("månader"), default=0)
    legal_topic = models.SlugField(
        _("lagrum (kod)"), max_length=60, help_text=_("Koden för regeln i lagrumstabellen.")
    )

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="deadlinerule_unique"),
        ]

    def __str__(self):
        return self.label

    def due(self, start):
        """The last day: ``start`` plus the period, in calendar days and months."""
        return add_months(start, self.months) + datetime.timedelta(days=self.days)

    def legal_references(self, on=None):
        from kinsight.cases.models import LegalReference

        refs = LegalReference.objects.filter(topic=self.legal_topic)
        if on is not None:
            refs = [r for r in refs if r.is_valid_on(on)]
        return refs


def add_months(day, months):
    """Same day ``months`` later; the month's last day when it has no such day."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReportSource(models.TextChoices):
    INTERNAL = "internal", _("Intern (från socialtjänsten)")
    EXTERNAL = "external", _("Extern")


class ReporterCategory(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Socialtjänsten")
    SCHOOL = "school", _("Skola")
    POLICE = "police", _("Polis")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvård")
    PRESCHOOL = "preschool", _("Förskola")
    OTHER = "other", _("Annan")
    ANONYMOUS = "anonymous", _("Anonym")


EXTERNAL_CATEGORIES = [c for c in ReporterCategory if c != ReporterCategory.SOCIAL_SERVICES]


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen, förhandsbedömning pågår")
    INVESTIGATING = "investigating", _("Utredning inledd")
    CLOSED = "closed", _("Avslutad")


class PreAssessmentDecision(models.TextChoices):
    OPEN_INVESTIGATION = "open_investigation", _("Utredning inleds")
    NO_INVESTIGATION = "no_investigation", _("Utredning inleds inte")
    ADDED_TO_ONGOING = "added_to_ongoing", _("Läggs till pågående utredning")


class InvestigationOutcome(models.TextChoices):
    INTERVENTION = "intervention", _("Insats beviljas")
    NO_INTERVENTION = "no_intervention", _("Avslutas utan insats")
    COMPULSORY_CARE = "compulsory_care", _("Ansökan om vård enligt LVU")


class ConcernReport(TenantModel, Versioned):
    """An orosanmälan about a child, received by a children-and-youth unit."""

    source = fields.choice(_("typ"), ReportSource, max_length=10)
    reporter_category = fields.choice(_("anmälare"), ReporterCategory)
    reporter_name = models.CharField(_("anmälarens namn"), max_length=200, blank=True)
    reporter_contact = models.CharField(
        _("anmälarens kontaktuppgifter"), max_length=200, blank=True
    )
    reporting_unit = fields.unit(_("anmälande enhet"), optional=True)
    reported_by = fields.staff(_("anmäld av"), optional=True)
    child_record = fields.reference(
        ChildRecord, _("barn som anhörig"), optional=True, related_name="concern_reports"
    )
    child = fields.person(_("barn"), optional=True, related_name="concern_reports")
    child_name = models.CharField(_("barnets namn"), max_length=200)
    child_birth_year = models.PositiveSmallIntegerField(
        _("barnets födelseår"), null=True, blank=True
    )
    receiving_unit = fields.unit(_("mottagande enhet"))
    responsible = fields.staff(_("ansvarig handläggare"), optional=True)
    received_on = models.DateField(_("mottagen"), default=timezone.localdate)
    concern = models.TextField(_("oro"), help_text=_("Vad anmälan gäller."))
    feedback_requested = models.BooleanField(_("anmälaren vill ha återkoppling"), default=False)
    status = fields.choice(_("status"), ReportStatus, default=ReportStatus.RECEIVED)
    pre_assessment_rule = fields.reference(
        DeadlineRule, _("frist för förhandsbedömning"), optional=True
    )
    pre_assessment_due_on = models.DateField(_("förhandsbedömning senast"))
    pre_assessment_decision = fields.choice(
        _("beslut efter förhandsbedömning"), PreAssessmentDecision, blank=True
    )
    pre_assessment_decided_on = fields.optional_date(_("förhandsbedömning beslutad"))
    pre_assessment_decided_by = fields.staff(_("beslutad av"), optional=True)
    investigation_rule = fields.reference(DeadlineRule, _("frist för utredning"), optional=True)
    investigation_started_on = fields.optional_date(_("utredning inledd"))
    investigation_due_on = fields.optional_date(_("utredning klar senast"))
    investigation_outcome = fields.choice(
        _("utredningens resultat"), InvestigationOutcome, blank=True
    )
    investigation_completed_on = fields.optional_date(_("utredning avslutad"))
    investigation_completed_by = fields.staff(_("avslutad av"), optional=True)
    decision_note = models.CharField(_("motivering"), max_length=1000, blank=True)
    feedback_rule = fields.reference(DeadlineRule, _("frist för återkoppling"), optional=True)
    feedback_due_on = fields.optional_date(_("återkoppling senast"))
    feedback_given_on = fields.optional_date(_("återkoppling given"))
    feedback_given_by = fields.staff(_("återkoppling given av"), optional=True)
    created_by = fields.staff(_("registrerad av"), optional=True)
    created_at = fields.created_at()

    objects: ClassVar = ConcernReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reporter_category=""), name="concernreport_has_reporter_category"
            ),
            models.CheckConstraint(
                condition=Q(source="external") | Q(reporting_unit__isnull=False),
                name="concernreport_internal_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(pre_assessment_decided_on__isnull=True)
                | Q(pre_assessment_decided_on__gte=models.F("received_on")),
                name="concernreport_decided_after_received",
            ),
            models.CheckConstraint(
                condition=Q(investigation_completed_on__isnull=True)
                | Q(investigation_completed_on__gte=models.F("investigation_started_on")),
                name="concernreport_completed_after_started",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "receiving_unit", "status", "pre_assessment_due_on"],
                name="report_receiving_due",
            ),
            models.Index(
                fields=["municipality", "status", "investigation_due_on"],
                name="report_investigation_due",
            ),
            models.Index(fields=["municipality", "reporting_unit"], name="report_reporting"),
            models.Index(fields=["municipality", "child_record"], name="report_child_record"),
            models.Index(fields=["municipality", "responsible", "status"], name="report_resp"),
            models.Index(
                fields=["municipality", "receiving_unit", "feedback_due_on"],
                condition=Q(feedback_given_on__isnull=True, feedback_due_on__isnull=False),
                name="report_feedback_due",
            ),
        ]

    def __str__(self):
        return f"{self.received_on}: {self.child_name}"

    @property
    def current_due_on(self):
        """The end of the clock that runs now (None when no clock runs)."""
        if self.status == ReportStatus.RECEIVED:
            return self.pre_assessment_due_on
        if self.status == ReportStatus.INVESTIGATING:
            return self.investigation_due_on
        return None

    @property
    def awaits_feedback(self):
        """The reporter asked to hear back and has not yet (19 kap. 6 § SoL)."""
        return self.feedback_due_on is not None and self.feedback_given_on is None

    def days_left(self, on=None):
        due = self.current_due_on
        if due is None:
            return None
        return (due - (on or timezone.localdate())).days

    def is_overdue(self, on=None):
        left = self.days_left(on)
        return left is not None and left < 0
