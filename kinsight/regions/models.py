"""The region (kommunalförbund) and who belongs to it.

A region is an organisation above municipalities, not a tenant: it holds no personal
data. Its members are municipalities for a period (joining and leaving on dates); its
staff (the network leader) belong to the region, not to a municipality.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import Municipality, Role, TenantModel, User


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

    region = fields.reference(Region, _("region"), related_name="members")
    municipality = fields.reference(Municipality, _("kommun"), related_name="region_memberships")
    joined_on = models.DateField(_("medlem från"))
    left_on = fields.optional_date(_("medlem till"))

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

    region = fields.reference(Region, _("region"), related_name="staff")
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


class Step(models.TextChoices):
    MONTH = "month", _("Månad")
    QUARTER = "quarter", _("Kvartal")
    YEAR = "year", _("År")


class PublishedQuerySet(TenantQuerySet):
    """A municipality's side: its heads of services see and withdraw what it published.
    The region's side (``for_region``) reads these frozen rows only, never visible_to:
    its staff have no municipality."""

    def _allow_view(self, user: User) -> "PublishedQuerySet":
        return self if user.units_with_role(Role.HEAD_OF_SERVICES) else self.none()

    _allow_change = _allow_view

    def for_region(self, user: User) -> "PublishedQuerySet":
        """The region's published figures, for its own staff (nothing for anyone else)."""
        staff = getattr(user, "region_staff", None) if user.is_authenticated else None
        if staff is None or not user.is_active:
            return self.none()
        return self.filter(region_id=staff.region_id)

    def current(self) -> "PublishedQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class PublishedFigure(TenantModel):
    """One figure definition's tables for one period, as a member published them to the
    region: computed in the municipality, small counts hidden (complementary
    suppression), then frozen here as JSON. The region reads only these rows. Withdrawn
    rows are kept, with who, when and why."""

    region = fields.reference(Region, _("region"), related_name="published")
    definition = models.CharField(_("nyckeltal"), max_length=60)
    title = models.CharField(_("rubrik"), max_length=200)
    definitions_version = models.CharField(_("definitionernas version"), max_length=20)
    step = models.CharField(_("periodtyp"), max_length=10, choices=Step.choices)
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))
    period_label = models.CharField(_("period"), max_length=20)
    tables = models.JSONField(_("tabeller"), default=list)
    suppression_threshold = models.PositiveSmallIntegerField(_("gräns för små tal"))
    published_by = fields.staff(_("publicerad av"))
    published_at = models.DateTimeField(_("publicerad"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    withdrawn_by = fields.staff(_("återkallad av"), optional=True)
    withdrawn_reason = models.TextField(_("skäl för återkallande"), blank=True)

    objects: ClassVar = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicerat nyckeltal")
        verbose_name_plural = _("publicerade nyckeltal")
        ordering = ["-period_start", "definition"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "region", "definition", "step", "period_start"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="published_once_per_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "definition", "step", "period_start"], name="published_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_label}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
