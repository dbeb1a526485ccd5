"""Providers, their yearly grants, programmes with their measurement plan, and the
register of trained group leaders. Reference data: no client's personal data."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.groups.access import CatalogueQuerySet
from kinsight.interventions.models import ProviderKind


class ProblemArea(models.TextChoices):
    ADDICTION = "addiction", _("Förälders missbruk eller beroende")
    MENTAL_ILLNESS = "mental_illness", _("Förälders psykiska ohälsa")
    VIOLENCE = "violence", _("Våld i familjen")
    OTHER = "other", _("Annat")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Barn")
    TEENAGERS = "teenagers", _("Tonåringar")
    YOUNG_ADULTS = "young_adults", _("Unga vuxna 17–25 år")
    PARENTS = "parents", _("Föräldrar")
    ADULTS = "adults", _("Vuxna")


class Point(models.TextChoices):
    """When a measurement is taken."""

    BEFORE = "before", _("Före")
    AFTER = "after", _("Efter")
    FOLLOW_UP = "follow_up", _("Uppföljning")


class Provider(TenantModel, Versioned):
    """Who runs groups: a unit of the municipality or an external provider (an NGO)
    with a yearly grant (verksamhetsbidrag) and an agreement."""

    name = models.CharField(_("namn"), max_length=200)
    kind = fields.choice(_("slag"), ProviderKind)
    unit = fields.unit(_("enhet"), optional=True, help_text=_("För kommunens egna enheter."))
    contact = models.CharField(_("kontaktuppgifter"), max_length=300, blank=True)
    agreement = models.TextField(
        _("avtal"), blank=True, help_text=_("Avtal eller överenskommelse: vad, från när, till när.")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("utförare")
        verbose_name_plural = _("utförare")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="provider_unique_name")
        ]

    def __str__(self):
        return self.name


class ProviderGrant(TenantModel):
    """A provider's grant for one year, in whole kronor."""

    provider = fields.reference(
        Provider, _("utförare"), on_delete=models.CASCADE, related_name="grants"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveIntegerField(_("belopp (kr)"))
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("verksamhetsbidrag")
        verbose_name_plural = _("verksamhetsbidrag")
        ordering = ["provider", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider", "year"], name="providergrant_unique_year"
            )
        ]


class Programme(TenantModel, Versioned):
    """A support-group programme: for whom, how many sessions and talks, run by whom,
    measured with what and when (its ProgrammeMeasure rows)."""

    name = models.CharField(_("namn"), max_length=200)
    problem_area = fields.choice(_("förälderns problem"), ProblemArea)
    target_group = fields.choice(_("målgrupp"), TargetGroup)
    min_age = models.PositiveSmallIntegerField(_("från ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("till ålder"), null=True, blank=True)
    group_sessions = models.PositiveSmallIntegerField(_("gruppträffar"), default=10)
    individual_talks = models.PositiveSmallIntegerField(_("enskilda samtal"), default=0)
    provider = fields.reference(Provider, _("utförare"), related_name="programmes")
    description = models.TextField(_("beskrivning"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("stödgruppsprogram")
        verbose_name_plural = _("stödgruppsprogram")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="programme_unique_name")
        ]

    def __str__(self):
        return self.name


class ProgrammeMeasure(TenantModel):
    """The measurement plan: this instrument at this point (a follow-up some months
    after the end)."""

    programme = fields.reference(
        Programme, _("program"), on_delete=models.CASCADE, related_name="measures"
    )
    instrument = fields.reference("assessment.Instrument", _("instrument"))
    point = fields.choice(_("tidpunkt"), Point)
    months_after_end = models.PositiveSmallIntegerField(
        _("månader efter avslut"), null=True, blank=True, help_text=_("Bara för uppföljning.")
    )

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("mätning i programmet")
        verbose_name_plural = _("mätplan")
        ordering = ["programme", "instrument", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "programme", "instrument", "point"],
                name="programmemeasure_unique",
            )
        ]


class LeaderTraining(TenantModel):
    """A trained group leader: who, in which district, for which programme, when."""

    leader = fields.staff(_("gruppledare"), related_name="group_trainings")
    district = fields.unit(_("stadsdel eller område"))
    programme = fields.reference(Programme, _("program"), optional=True)
    training = models.CharField(_("utbildning"), max_length=200)
    trained_on = models.DateField(_("utbildad"))

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppledarutbildning")
        verbose_name_plural = _("gruppledarregister")
        ordering = ["district", "leader", "-trained_on"]
