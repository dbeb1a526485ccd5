"""The register of register-extract requests (registerutdrag, GDPR art. 15): who asked
for their data, when it is due (one month, art. 12.3), and each step: compiled,
reviewed, released or refused. The compiled extract is kept as JSON on the row; the
PDF is rendered from it on download."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import LogReviewerOnly
from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.models import add_months


def due_on(received_on: datetime.date) -> datetime.date:
    """One month after the request was received (GDPR art. 12.3); a day that month
    lacks falls on its last day (31 January → 28 or 29 February)."""
    return add_months(received_on, 1)


class ExtractStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen")
    COMPILED = "compiled", _("Sammanställd")
    REVIEWED = "reviewed", _("Granskad")
    RELEASED = "released", _("Lämnad ut")
    REFUSED = "refused", _("Avslagen")


class ExtractRequest(Versioned, TenantModel):
    person = fields.person(_("person"), related_name="+")
    received_on = models.DateField(_("mottagen"))
    due_on = models.DateField(_("ska lämnas senast"))
    requested_via = models.CharField(_("begärd genom"), max_length=200, blank=True)
    status = fields.choice(_("status"), ExtractStatus, default=ExtractStatus.RECEIVED)
    received_by = fields.staff(_("registrerad av"), related_name="+")
    created_at = fields.created_at()
    compiled_at = models.DateTimeField(null=True, blank=True)
    compiled_by = fields.staff(_("sammanställd av"), optional=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = fields.staff(_("granskad av"), optional=True, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = fields.staff(_("lämnad ut av"), optional=True, related_name="+")
    release_note = models.TextField(_("anteckning vid utlämnande eller avslag"), blank=True)
    # The compiled extract: {"compiled_at", "sections": [{"key", "label", "items": [...]}],
    # "corrections": [...]}; each item {"key", "title", "fields", "withhold_review",
    # "reason", "decision"} (decision: "release" / "withhold" / null).
    extract = models.JSONField(default=dict, blank=True)

    # Only the log reviewer (loggranskare / dataskyddsombud) sees and handles the
    # register of extract requests: the log review's rule, not a copy of it.
    objects: ClassVar = LogReviewerOnly.as_manager()

    class Meta:
        ordering = ("due_on", "pk")
        indexes = [models.Index(fields=("municipality", "due_on"), name="extract_due")]

    def __str__(self) -> str:
        return f"{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in (ExtractStatus.RELEASED, ExtractStatus.REFUSED)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today
