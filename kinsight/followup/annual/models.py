"""An annual report run and the texts the head of services writes for it.

The files are kept as bytes in the database (``BinaryField``): there is no private file
storage in the settings (only static files are served, by WhiteNoise), and a file kept in
the database is backed up, restored and access-checked with the rest (docs/operations.md).
"""

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import BackgroundJob, Role, TenantModel, Versioned
from kinsight.followup.models import dashboard_units


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class InScopeQuerySet(TenantQuerySet):
    """Unit managers and heads of services see the reports and texts of the nodes in
    their scope; the texts are written by the heads of services."""

    def _allow_view(self, user):
        units = dashboard_units(user)
        return self.filter(scope_unit_id__in=units) if units else self.none()

    _allow_export = _allow_view
    _allow_create = _allow_view

    def _allow_change(self, user):
        units = user.units_with_role(Role.HEAD_OF_SERVICES)
        return self.filter(scope_unit_id__in=units) if units else self.none()


class AnnualReport(TenantModel, BackgroundJob):
    year = models.PositiveIntegerField(_("år"))
    scope_unit = fields.unit(_("omfattning"))
    requested_by = fields.staff(_("beställd av"))
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    status = fields.choice(_("status"), ReportStatus, default=ReportStatus.QUEUED)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    xlsx = models.BinaryField(_("Excel"), null=True, editable=False)

    objects: ClassVar = InScopeQuerySet.as_manager()
    RUNNING = (ReportStatus.QUEUED, ReportStatus.RUNNING)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["municipality", "scope_unit", "year"], name="annual_scope")]

    def __str__(self):
        return f"{self.year} {self.scope_unit_id} ({self.status})"

    def running_since(self) -> datetime.datetime:
        return self.requested_at

    @property
    def may_restart(self) -> bool:
        """Failed, or queued or running for longer than any run takes (the worker
        stopped with it, or none runs)."""
        return self.status == ReportStatus.FAILED or self.is_stuck


class AnnualReportText(TenantModel, Versioned):
    year = models.PositiveIntegerField(_("år"))
    scope_unit = fields.unit(_("omfattning"))
    section = models.CharField(_("avsnitt"), max_length=80)
    text = models.TextField(_("text"), blank=True)
    updated_by = fields.staff(_("skriven av"))
    updated_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    objects: ClassVar = InScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("årsrapportens text")
        verbose_name_plural = _("årsrapportens texter")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "scope_unit", "year", "section"],
                name="annual_text_unique_section",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.scope_unit_id} {self.section}"
