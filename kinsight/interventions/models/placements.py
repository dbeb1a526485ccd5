"""Placements of a child, contact plans and contact events (umgänge)."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.interventions.access import (
    ContactEventQuerySet,
    ContactPlanQuerySet,
    PlacementQuerySet,
)


class PlacementKind(models.TextChoices):
    FAMILY_HOME = "family_home", _("Familjehem")
    HVB = "hvb", _("HVB (hem för vård eller boende)")
    OTHER = "other", _("Annan placering")


class Placement(TenantModel, Versioned, fields.Created, fields.Period):
    """A child's placement outside the home. Periods of the same child never overlap
    (checked by the service, for all family works)."""

    family_work = fields.reference(
        "family.FamilyWork", _("familjeärende"), on_delete=models.CASCADE, related_name="placements"
    )
    child = fields.person(_("barn"))
    kind = fields.choice(_("placeringsform"), PlacementKind)
    place = models.CharField(
        _("placeringsställe"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. familjehemmets namn eller HVB-hemmet."),
    )
    responsible_unit = fields.unit(_("ansvarig enhet"))
    note = models.TextField(_("anteckning"), blank=True)

    objects: ClassVar = PlacementQuerySet.as_manager()

    class Meta(fields.Period.Meta):
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "child", "start_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.child}"


class ContactPlan(TenantModel, Versioned, fields.Created):
    """Planned contact (umgänge) between the placed child and one parent."""

    placement = fields.reference(Placement, on_delete=models.CASCADE, related_name="contact_plans")
    parent = fields.person(_("förälder"))
    frequency = models.CharField(
        _("omfattning"), max_length=200, help_text=_("T.ex. varannan helg, en timme i veckan.")
    )
    arrangement = models.CharField(
        _("former"), max_length=300, blank=True, help_text=_("T.ex. med umgängesstöd.")
    )

    objects: ClassVar = ContactPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("planerat umgänge")
        verbose_name_plural = _("planerade umgängen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "parent"], name="contactplan_unique"),
        ]

    def __str__(self):
        return f"{self.parent}: {self.frequency}"


class ContactStatus(models.TextChoices):
    HAPPENED = "happened", _("Genomfört")
    CANCELLED = "cancelled", _("Inställt")


class ContactEvent(TenantModel):
    """A recorded contact between the placed child and a parent."""

    contact_plan = fields.reference(ContactPlan, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("datum"))
    status = fields.choice(_("utfall"), ContactStatus, max_length=10)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = fields.staff(editable=False)
    created_at = fields.created_at()

    objects: ClassVar = ContactEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("umgängestillfälle")
        verbose_name_plural = _("umgängestillfällen")
        ordering = ["-on", "-pk"]
