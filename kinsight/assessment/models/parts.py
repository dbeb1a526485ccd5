"""The assessment, its parts by perspective and the protective-factor catalogue
(kinsight/assessment/models/__init__.py tells the whole)."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.access import (
    AssessmentPartQuerySet,
    AssessmentQuerySet,
    CatalogueQuerySet,
)
from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.family.models import PerspectiveKind

# Catalogue ----------------------------------------------------------------------------


class FactorTarget(models.TextChoices):
    CHILD = "child", _("Barnet")
    PARENT = "parent", _("Föräldern")
    FAMILY = "family", _("Familjen")
    ANY = "any", _("Alla perspektiv")


class ProtectiveFactor(models.Model):
    """A protective factor to select in a part (skyddsfaktor). ``municipality`` empty:
    shipped with Kinsight (seed 001); set: added by that municipality's administrators.
    A factor is never deleted once used; it is made inactive."""

    municipality = fields.reference(
        "core.Municipality",
        _("kommun"),
        optional=True,
        help_text=_("Tom: levereras med Kinsight."),
    )
    code = models.SlugField(_("kod"), max_length=40)
    label = models.CharField(_("skyddsfaktor"), max_length=300)
    target = fields.choice(
        _("gäller främst"), FactorTarget, max_length=10, default=FactorTarget.ANY
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("skyddsfaktor")
        verbose_name_plural = _("skyddsfaktorer")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="protectivefactor_unique_code"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="protectivefactor_unique_shipped_code",
            ),
        ]

    def __str__(self):
        return self.label


# Assessment ---------------------------------------------------------------------------


class Assessment(TenantModel, Versioned):
    """The joint assessment of a family work (one per work). Seen by every
    participating unit like the family work itself (that it exists); its parts carry
    the personal data and their own rules."""

    family_work = models.OneToOneField(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="assessment",
    )
    started_by = fields.staff(_("påbörjad av"))
    created_at = fields.created_at()

    objects: ClassVar = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(self.family_work)


class AssessmentPart(TenantModel, Versioned, fields.Created):
    """One unit's part of the assessment for one perspective.

    ``person`` is the child (child), the parent (parent, parent_child) or parent 1
    (couple); ``other_person`` the child (parent_child) or parent 2 (couple); both are
    empty for the family as a whole. ``family_work`` repeats the assessment's work so
    the consent helpers of kinsight/family/access.py apply directly."""

    assessment = fields.reference(
        Assessment, _("bedömning"), on_delete=models.CASCADE, related_name="parts"
    )
    family_work = fields.reference("family.FamilyWork", on_delete=models.CASCADE, editable=False)
    perspective = models.CharField(_("perspektiv"), max_length=60)
    kind = fields.choice(_("typ av perspektiv"), PerspectiveKind)
    person = fields.person(_("person"), optional=True)
    other_person = fields.person(_("andra personen"), optional=True)
    unit = fields.unit()
    needs = models.TextField(_("behov"), blank=True)
    risk_factors = models.TextField(_("riskfaktorer"), blank=True)
    protective_factors = models.ManyToManyField(
        ProtectiveFactor, verbose_name=_("skyddsfaktorer"), blank=True, related_name="+"
    )
    protective_notes = models.TextField(_("om skyddsfaktorerna"), blank=True)
    family_view = models.TextField(_("familjens egen syn"), blank=True)
    child_words = models.TextField(
        _("barnets egna ord"),
        blank=True,
        help_text=_("Barnets berättelse med barnets egna ord, anpassat efter ålder."),
    )
    free_text = models.TextField(_("övrigt"), blank=True)
    updated_by = fields.staff(_("senast ändrad av"), editable=False)
    updated_at = models.DateTimeField(_("senast ändrad"), default=timezone.now, editable=False)

    objects: ClassVar = AssessmentPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("del av bedömning")
        verbose_name_plural = _("delar av bedömningar")
        ordering = ["assessment", "perspective", "unit", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "perspective", "unit"], name="assessmentpart_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["child", "parent"]) & Q(person__isnull=False))
                | (
                    Q(kind__in=["parent_child", "couple"])
                    & Q(person__isnull=False)
                    & Q(other_person__isnull=False)
                )
                | (Q(kind="family") & Q(person__isnull=True) & Q(other_person__isnull=True)),
                name="assessmentpart_persons_match_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "family_work"], name="assessmentpart_work"),
        ]

    def __str__(self):
        return f"{self.perspective} ({self.unit_id})"

    TEXT_FIELDS = (
        "needs",
        "risk_factors",
        "protective_notes",
        "family_view",
        "child_words",
        "free_text",
    )

    @property
    def is_empty(self):
        return not any(getattr(self, name) for name in self.TEXT_FIELDS)


# Instruments --------------------------------------------------------------------------
