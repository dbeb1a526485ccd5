"""Placements of a child, contact plans and contact events (umgänge)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class Placement(TenantModel, Versioned):
    """A child's placement outside the home. Periods of the same child never overlap
    (checked by the service, for all family works)."""

    family_work = models.ForeignKey(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    child = models.ForeignKey(
        "people.Person", verbose_name=_("barn"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("placeringsform"), max_length=20, choices=PlacementKind.choices)
    place = models.CharField(
        _("placeringsställe"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. familjehemmets namn eller HVB-hemmet."),
    )
    responsible_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField(_("startdatum"))
    end_on = models.DateField(_("slutdatum"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="placement_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "child", "start_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.child}"


class ContactPlan(TenantModel, Versioned):
    """Planned contact (umgänge) between the placed child and one parent."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="contact_plans")
    parent = models.ForeignKey(
        "people.Person", verbose_name=_("förälder"), on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField(
        _("omfattning"), max_length=200, help_text=_("T.ex. varannan helg, en timme i veckan.")
    )
    arrangement = models.CharField(
        _("former"), max_length=300, blank=True, help_text=_("T.ex. med umgängesstöd.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContactPlanQuerySet.as_manager()

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

    contact_plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("datum"))
    status = models.CharField(_("utfall"), max_length=10, choices=ContactStatus.choices)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContactEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("umgängestillfälle")
        verbose_name_plural = _("umgängestillfällen")
        ordering = ["-on", "-pk"]
