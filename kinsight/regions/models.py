"""The region (kommunalförbund) and who belongs to it.

A region is an organisation above municipalities, not a tenant: it holds no personal
data. Its members are municipalities for a period (joining and leaving on dates); its
staff (the network leader) belong to the region, not to a municipality.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import Municipality


class Region(models.Model):
    """A kommunalförbund or other regional network of municipalities."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    code = models.SlugField(
        _("kod"), max_length=40, unique=True, help_text=_("Kort namn i adresser, t.ex. 'sydost'.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A municipality's membership of a region, from ``joined_on`` until ``left_on``
    (empty while it lasts)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="members"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="region_memberships",
    )
    joined_on = models.DateField(_("medlem från"))
    left_on = models.DateField(_("medlem till"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlemskommun")
        verbose_name_plural = _("medlemskommuner")
        ordering = ["region", "municipality__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "joined_on"], name="member_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.region})"


class RegionStaff(models.Model):
    """A member of staff of the region itself (the network leader). Such a user has no
    municipality and reaches only the region's own records."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="staff"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal"),
        on_delete=models.CASCADE,
        related_name="region_staff",
    )

    class Meta:
        verbose_name = _("regionens personal")
        verbose_name_plural = _("regionens personal")

    def __str__(self) -> str:
        return f"{self.user} ({self.region})"
