"""Measurements of participants (before, after, follow-up) and the one-time codes that
let a participant answer on their own phone without an account."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel
from kinsight.groups.access import MeasurementQuerySet
from kinsight.groups.models.cycles import GroupParticipant
from kinsight.groups.models.programmes import Point


class Measurement(TenantModel):
    """A filled-in instrument at one point. ``answers`` and ``total_score`` are checked
    and computed from the instrument's data when saved (as assessment results are)."""

    participant = fields.reference(
        GroupParticipant, _("deltagare"), on_delete=models.CASCADE, related_name="measurements"
    )
    instrument = fields.reference("assessment.Instrument", _("instrument"))
    point = fields.choice(_("tidpunkt"), Point)
    answered_on = models.DateField(_("datum"), default=timezone.localdate)
    answers = models.JSONField(_("svar"), default=dict)
    total_score = models.IntegerField(_("summa"))
    entered_by = fields.staff(
        _("registrerat av"), optional=True, help_text=_("Tomt: deltagaren svarade själv med kod.")
    )
    created_at = fields.created_at()

    objects: ClassVar = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("mätning")
        verbose_name_plural = _("mätningar")
        ordering = ["participant", "instrument", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "participant", "instrument", "point"],
                name="measurement_unique_point",
            )
        ]


class MeasurementCode(TenantModel):
    """A one-time code that opens one questionnaire for one participant: stored only as
    a hash, single use, and void after ``expires_at``."""

    participant = fields.reference(
        GroupParticipant, _("deltagare"), on_delete=models.CASCADE, related_name="codes"
    )
    instrument = fields.reference("assessment.Instrument", _("instrument"))
    point = fields.choice(_("tidpunkt"), Point)
    # Found by its hash alone (the public page knows no municipality); unique per
    # municipality, as every uniqueness is (a collision across municipalities in
    # 32^8 codes is not a practical concern).
    code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    expires_at = models.DateTimeField(_("gäller till"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)
    created_by = fields.staff(_("skapad av"), editable=False)
    created_at = fields.created_at()

    objects: ClassVar = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("svarskod")
        verbose_name_plural = _("svarskoder")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code_hash"], name="measurementcode_unique_hash"
            )
        ]
