"""The catalogue of interventions (insatskatalogen)."""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.interventions.access import (
    InterventionQuerySet,
)


class Target(models.TextChoices):
    CHILD = "child", _("Barn")
    PARENT = "parent", _("Förälder")
    COUPLE = "couple", _("Par")
    FAMILY = "family", _("Familj")
    PLACEMENT = "placement", _("Placering")


class ProviderKind(models.TextChoices):
    OWN_UNIT = "own_unit", _("Egen enhet")
    OTHER_UNIT = "other_unit", _("Annan enhet i kommunen")
    EXTERNAL = "external", _("Extern utförare (t.ex. ideell organisation)")


class Format(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuellt")
    GROUP = "group", _("Grupp")
    HOME = "home", _("I hemmet")


class EvidenceLevel(models.TextChoices):
    EVIDENCE_BASED = "evidence_based", _("Evidensbaserad")
    PROMISING = "promising", _("Lovande, under utvärdering")
    EXPERIENCE = "experience", _("Beprövad erfarenhet")
    UNKNOWN = "unknown", _("Ej bedömd")


class Intervention(TenantModel, Versioned):
    """An intervention the municipality can offer or refer to. Holds no personal data:
    all staff of the municipality see the catalogue; administrators change it."""

    name = models.CharField(_("namn"), max_length=200)
    target = fields.choice(_("målgrupp"), Target)
    provider_kind = fields.choice(_("utförare"), ProviderKind)
    provider_unit = fields.unit(
        _("utförande enhet"),
        optional=True,
        help_text=_("För insatser som en enhet i kommunen utför."),
    )
    provider_name = models.CharField(
        _("extern utförare"),
        max_length=200,
        blank=True,
        help_text=_("Namn på organisationen, t.ex. Maskrosbarn."),
    )
    provider_contact = models.CharField(
        _("kontaktuppgifter"), max_length=300, blank=True, help_text=_("Telefon, e-post, webb.")
    )
    min_age = models.PositiveSmallIntegerField(_("från ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("till ålder"), null=True, blank=True)
    format = fields.choice(_("form"), Format)
    evidence_level = fields.choice(_("evidensläge"), EvidenceLevel, default=EvidenceLevel.UNKNOWN)
    code = models.CharField(
        _("kod"), max_length=30, blank=True, help_text=_("KVÅ-liknande kod, fritext.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    is_example = models.BooleanField(
        _("exempel att anpassa"),
        default=False,
        help_text=_("Inlagt som exempel från kunskapsguiden: anpassa till kommunen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = fields.created_at()

    objects: ClassVar = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="intervention_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="intervention_age_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "target", "is_active"])]

    def __str__(self):
        return self.name

    @property
    def age_range(self):
        if self.min_age is None and self.max_age is None:
            return ""
        if self.max_age is None:
            return _("från %(min)s år") % {"min": self.min_age}
        if self.min_age is None:
            return _("till %(max)s år") % {"max": self.max_age}
        return _("%(min)s–%(max)s år") % {"min": self.min_age, "max": self.max_age}

    @property
    def provider(self):
        if self.provider_kind == ProviderKind.EXTERNAL:
            return self.provider_name
        return (
            str(self.provider_unit) if self.provider_unit_id else self.get_provider_kind_display()
        )
