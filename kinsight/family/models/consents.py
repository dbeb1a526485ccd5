"""Consent (samtycke) and the units it names."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.family.access import ConsentQuerySet
from kinsight.family.models.work import family_work_field


class ConsentPurpose(models.TextChoices):
    SHARING = "sharing", _("Informationsutbyte inom familjeärendet")
    REFERRAL = "referral", _("Remiss till annan enhet eller utförare")
    SCHOOL = "school", _("Kontakt med skolan")
    HEALTH_CARE = "health_care", _("Kontakt med hälso- och sjukvården")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("Skriftligt")
    ORAL = "oral", _("Muntligt")


class ChildView(models.TextChoices):
    AGREES = "agrees", _("Barnet instämmer")
    OBJECTS = "objects", _("Barnet invänder")
    UNDECIDED = "undecided", _("Barnet har ingen bestämd uppfattning")


class Consent(TenantModel, Versioned):
    """Samtycke from (or for) one person, for one purpose, allowing sharing with the
    named participating units (``units``) or all of them (``all_units``).

    In force on a day when ``valid_from <= day``, ``valid_to`` is empty or on/after the
    day, and it is not withdrawn (``withdrawn_on`` empty): a recorded withdrawal ends it
    at once, whatever its date. For a child ``given_by`` is the guardian who gave it and
    ``child_view`` the child's own view (recorded from settings.KINSIGHT_CHILD_VIEW_AGE);
    for an adult ``given_by`` is empty (the person gave it)."""

    family_work = family_work_field("consents")
    person = fields.person(_("gäller person"), related_name="family_consents")
    given_by = fields.person(
        _("lämnat av vårdnadshavare"),
        optional=True,
        help_text=_("För ett barn: vårdnadshavaren som lämnade samtycket."),
    )
    purpose = fields.choice(_("ändamål"), ConsentPurpose)
    all_units = models.BooleanField(
        _("alla deltagande enheter"),
        default=False,
        help_text=_("Gäller även enheter som ansluter senare."),
    )
    units = models.ManyToManyField(
        "core.OrgUnit",
        verbose_name=_("enheter"),
        through="ConsentUnit",
        related_name="+",
        blank=True,
    )
    form = fields.choice(_("form"), ConsentForm, max_length=10)
    given_on = models.DateField(_("lämnat"), default=timezone.localdate)
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_to = fields.optional_date(_("gäller till"))
    child_view = fields.choice(_("barnets egen uppfattning"), ChildView, blank=True)
    child_view_text = models.TextField(_("barnets egna ord"), blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    withdrawn_on = fields.optional_date(_("återkallat"))
    withdrawal_reason = models.CharField(_("skäl för återkallelse"), max_length=300, blank=True)
    withdrawn_by = fields.staff(_("återkallelse registrerad av"), optional=True, editable=False)
    recorded_by = fields.staff(_("registrerat av"), editable=False)
    recorded_unit = fields.unit(_("registrerat av enhet"), editable=False)
    created_at = fields.created_at()

    objects: ClassVar = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            fields.not_before("valid_to", "valid_from", name="consent_period_ordered"),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "family_work", "person", "purpose"],
                name="consent_lookup",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.person}"

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        return (
            self.withdrawn_on is None
            and self.valid_from <= on
            and (self.valid_to is None or self.valid_to >= on)
        )

    @property
    def state(self):
        """ "valid", "withdrawn", "expired" or "future" (today)."""
        today = timezone.localdate()
        if self.withdrawn_on is not None:
            return "withdrawn"
        if self.valid_to is not None and self.valid_to < today:
            return "expired"
        if self.valid_from > today:
            return "future"
        return "valid"


class ConsentUnit(TenantModel):
    """A unit a consent allows sharing with (when not ``all_units``)."""

    consent = fields.reference(Consent, on_delete=models.CASCADE, related_name="consent_units")
    unit = fields.unit(None)

    class Meta:
        verbose_name = _("enhet i samtycke")
        verbose_name_plural = _("enheter i samtycken")
        constraints = [
            models.UniqueConstraint(fields=["consent", "unit"], name="consentunit_unique"),
        ]
