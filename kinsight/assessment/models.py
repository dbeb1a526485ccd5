"""Joint assessment by perspective (PRODUCT.md §3, issue 6).

- Assessment: one per family work; the frame the units' parts hang in.
- AssessmentPart: one per (perspective, unit). A perspective is one of
  ``FamilyWork.perspectives()`` and is stored by its stable key (``child:12``,
  ``parent:7``, ``parent_child:7:12``, ``couple``, ``family``) with the persons it is
  about (``person`` and ``other_person``), so the consent rules can be written as
  queries (kinsight/assessment/access.py). Each participating unit writes its own part:
  needs, risk factors, protective factors (from the ProtectiveFactor catalogue), the
  family's own view, the child's own words and free text.
- ProtectiveFactor: the configurable catalogue, seeded from seed 001's list. Rows
  without a municipality ship with Kinsight; a municipality's administrators add their
  own.
- Instruments as data: Instrument, InstrumentItem, AnswerOption (with its score) and
  Cutoff (a labelled score range, optionally per sex). AUDIT and DUDIT ship with their
  items (in Swedish, in our own words). Licensed instruments (ASI, SDQ, BBIC areas) are
  configured by the customer as score-only instruments: items are areas with a score
  range and no text (``is_licensed_text_included`` False), so Kinsight ships none of
  their copyrighted text.
- InstrumentResult: one filled-in instrument on a part, with the answers, the total
  score and the cut-off label it fell in.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.access import (
    AssessmentPartQuerySet,
    AssessmentQuerySet,
    CatalogueQuerySet,
    InstrumentResultQuerySet,
)
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

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tom: levereras med Kinsight."),
    )
    code = models.SlugField(_("kod"), max_length=40)
    label = models.CharField(_("skyddsfaktor"), max_length=300)
    target = models.CharField(
        _("gäller främst"), max_length=10, choices=FactorTarget.choices, default=FactorTarget.ANY
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
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("påbörjad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(self.family_work)


class AssessmentPart(TenantModel, Versioned):
    """One unit's part of the assessment for one perspective.

    ``person`` is the child (child), the parent (parent, parent_child) or parent 1
    (couple); ``other_person`` the child (parent_child) or parent 2 (couple); both are
    empty for the family as a whole. ``family_work`` repeats the assessment's work so
    the consent helpers of kinsight/family/access.py apply directly."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("bedömning"), on_delete=models.CASCADE, related_name="parts"
    )
    family_work = models.ForeignKey(
        "family.FamilyWork", on_delete=models.CASCADE, related_name="+", editable=False
    )
    perspective = models.CharField(_("perspektiv"), max_length=60)
    kind = models.CharField(_("typ av perspektiv"), max_length=20, choices=PerspectiveKind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("andra personen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("senast ändrad av"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("senast ändrad"), default=timezone.now, editable=False)

    objects = AssessmentPartQuerySet.as_manager()

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


class Instrument(models.Model):
    """A structured instrument as data. ``municipality`` empty: shipped with Kinsight
    (AUDIT, DUDIT); set: configured by that municipality (e.g. its licensed ASI, SDQ or
    BBIC areas as scores only). ``is_licensed_text_included`` False: the items carry
    only the customer's own short labels and score ranges, never the instrument's
    text."""

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("kod"), max_length=40)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    licence_note = models.TextField(_("licens och upphovsrätt"), blank=True)
    is_licensed_text_included = models.BooleanField(
        _("frågetext ingår"),
        default=False,
        help_text=_(
            "Av: bara poäng per område lagras, utan instrumentets upphovsrättsskyddade text."
        ),
    )
    for_adults = models.BooleanField(_("för vuxna"), default=True)
    for_children = models.BooleanField(_("för barn"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrument")
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="instrument_unique_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="instrument_unique_shipped_code",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_sex_specific_cutoffs(self):
        return any(c.sex for c in self.cutoffs.all())

    @property
    def max_total(self):
        return sum(item.max_score_value for item in self.items.all())


class InstrumentItem(models.Model):
    """An item (fråga) or, for a score-only instrument, an area (område). Answered by
    choosing an AnswerOption when it has options; otherwise by entering a score between
    ``min_score`` and ``max_score``."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    label = models.CharField(_("kort benämning"), max_length=200)
    text = models.TextField(
        _("frågetext"), blank=True, help_text=_("Tom för instrument där texten inte ingår.")
    )
    min_score = models.IntegerField(_("lägsta poäng"), default=0)
    max_score = models.IntegerField(_("högsta poäng"), default=0)

    class Meta:
        verbose_name = _("fråga eller område")
        verbose_name_plural = _("frågor och områden")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrumentitem_unique"),
            models.CheckConstraint(
                condition=Q(max_score__gte=models.F("min_score")),
                name="instrumentitem_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.label}"

    def clean(self):
        if self.text and self.instrument_id and not self.instrument.is_licensed_text_included:
            raise ValidationError(
                {"text": _("Frågetext får inte lagras för ett instrument där texten inte ingår.")}
            )

    @property
    def max_score_value(self):
        options = list(self.options.all())
        return max((o.score for o in options), default=self.max_score)


class AnswerOption(models.Model):
    item = models.ForeignKey(
        InstrumentItem, verbose_name=_("fråga"), on_delete=models.CASCADE, related_name="options"
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    label = models.CharField(_("svarsalternativ"), max_length=200)
    score = models.IntegerField(_("poäng"))

    class Meta:
        verbose_name = _("svarsalternativ")
        verbose_name_plural = _("svarsalternativ")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="answeroption_unique"),
        ]

    def __str__(self):
        return f"{self.label} ({self.score})"


class CutoffSex(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")


class Cutoff(models.Model):
    """A labelled range of the total score (inclusive), for one sex or (empty) all."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="cutoffs"
    )
    label = models.CharField(_("tolkning"), max_length=200)
    min_score = models.IntegerField(_("från poäng"))
    max_score = models.IntegerField(_("till poäng"))
    sex = models.CharField(_("kön"), max_length=10, choices=CutoffSex.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("gränsvärde")
        verbose_name_plural = _("gränsvärden")
        ordering = ["instrument", "min_score", "sex", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=models.F("min_score")), name="cutoff_range_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.min_score}–{self.max_score})"

    def matches(self, score, sex):
        return self.min_score <= score <= self.max_score and (not self.sex or self.sex == sex)


class InstrumentResult(TenantModel, Versioned):
    """A filled-in instrument on a part. ``answers`` maps item number (as text) to the
    score given (from the chosen option, or entered); ``total_score`` and
    ``cutoff_label`` are computed by the service from the instrument's data when saved,
    so a later change of the catalogue does not rewrite old results."""

    part = models.ForeignKey(
        AssessmentPart,
        verbose_name=_("del av bedömning"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("datum"), default=timezone.localdate)
    sex = models.CharField(_("kön (för gränsvärden)"), max_length=10, blank=True)
    answers = models.JSONField(_("svar"), default=dict)
    total_score = models.IntegerField(_("summa"))
    cutoff_label = models.CharField(_("tolkning"), max_length=200, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InstrumentResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrumentresultat")
        verbose_name_plural = _("instrumentresultat")
        ordering = ["part", "-answered_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "part"], name="instrumentresult_part")]

    def __str__(self):
        return f"{self.instrument}: {self.total_score}"
