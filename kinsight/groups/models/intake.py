"""The municipality's settings for support groups, and applications from the public
(egen ansökan) made on the open group list, without an account."""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel
from kinsight.groups.access import CatalogueQuerySet, CyclePartQuerySet
from kinsight.groups.models.cycles import AgeBand, Cycle, GroupParticipant
from kinsight.people.models import Sex


class GroupSettings(TenantModel):
    """One row per municipality; a municipality without a row has the defaults (no
    open list, the child's own consent from 15)."""

    public_list = models.BooleanField(
        _("öppen grupplista"),
        default=False,
        help_text=_(
            "Visa gruppomgångar med lediga platser på en öppen sida där barn, unga och "
            "föräldrar kan anmäla intresse utan att logga in."
        ),
    )
    own_consent_age = models.PositiveSmallIntegerField(
        _("barnets eget samtycke från"),
        default=15,
        validators=[MinValueValidator(7), MaxValueValidator(18)],
        help_text=_(
            "Från denna ålder krävs barnets eget samtycke till mätning, utöver "
            "vårdnadshavarens. 15 år är den ålder då barnet får föra sin egen talan "
            "enligt socialtjänstlagen."
        ),
    )

    objects: ClassVar = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("inställningar för stödgrupper")
        verbose_name_plural = _("inställningar för stödgrupper")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="groupsettings_unique")
        ]


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("Ny")
    ACCEPTED = "accepted", _("Antagen")
    DECLINED = "declined", _("Avböjd")


class GroupApplication(TenantModel):
    """An application to a cycle made on the open group list: only what the leaders
    need to get in touch. Seen by the cycle's leaders only; accepting it makes an
    anonymous participant on the waiting list."""

    cycle = fields.reference(
        Cycle, _("gruppomgång"), on_delete=models.CASCADE, related_name="applications"
    )
    name = models.CharField(_("namn"), max_length=100)
    contact = models.CharField(_("telefon eller e-post"), max_length=200)
    age_band = fields.choice(_("ålder"), AgeBand, max_length=10)
    sex = fields.choice(_("kön"), Sex, max_length=10, blank=True)
    message = models.TextField(_("meddelande"), max_length=2000, blank=True)
    status = fields.choice(_("status"), ApplicationStatus, default=ApplicationStatus.NEW)
    participant = fields.reference(
        GroupParticipant, _("deltagare"), optional=True, on_delete=models.SET_NULL
    )
    handled_by = fields.staff(_("hanterad av"), optional=True)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    created_at = fields.created_at()

    objects: ClassVar = CyclePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("intresseanmälan")
        verbose_name_plural = _("intresseanmälningar")
        ordering = ["cycle", "created_at"]

    def __str__(self):
        return f"{_('Intresseanmälan')} {self.pk}"
