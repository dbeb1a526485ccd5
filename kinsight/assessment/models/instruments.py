"""Instruments as data and their results on a part (kinsight/assessment/models/__init__.py
tells the whole)."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.access import (
    CatalogueQuerySet,
    InstrumentResultQuerySet,
)
from kinsight.assessment.models.parts import AssessmentPart
from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned

# Instruments ---------------------------------------------------------------------------


def _from_manual(label, help_text):
    """A figure of the instrument's norms from its manual: unknown until entered."""
    return models.FloatField(label, null=True, blank=True, help_text=help_text)


class Instrument(models.Model):
    """A structured instrument as data. ``municipality`` empty: shipped with Kinsight
    (AUDIT, DUDIT); set: configured by that municipality (e.g. its licensed ASI, SDQ or
    BBIC areas as scores only). ``is_licensed_text_included`` False: the items carry
    only the customer's own short labels and score ranges, never the instrument's
    text."""

    municipality = fields.reference("core.Municipality", _("kommun"), optional=True)
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
    higher_is_better = models.BooleanField(
        _("högre poäng är bättre"),
        default=False,
        help_text=_("Av för symtomskalor (t.ex. AUDIT), på för välbefinnandeskalor."),
    )
    reference_sd = _from_manual(
        _("normgruppens standardavvikelse"), _("Från manualen; behövs för reliabel förändring.")
    )
    reliability = _from_manual(
        _("reliabilitet"), _("Test-retest eller Cronbachs alfa, mellan 0 och 1, från manualen.")
    )
    clinical_cutoff = _from_manual(
        _("klinisk gräns"), _("Summan som skiljer klinisk från icke-klinisk nivå.")
    )
    norms_source = models.CharField(_("källa för normerna"), max_length=300, blank=True)
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

    instrument = fields.reference(
        Instrument, _("instrument"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    label = models.CharField(_("kort benämning"), max_length=200)
    text = models.TextField(
        _("frågetext"), blank=True, help_text=_("Tom för instrument där texten inte ingår.")
    )
    min_score = models.IntegerField(_("lägsta poäng"), default=0)
    max_score = models.IntegerField(_("högsta poäng"), default=0)
    is_reversed = models.BooleanField(
        _("omvänd poäng"), default=False, help_text=_("Poängen vänds innan summan räknas.")
    )
    subscale = models.CharField(
        _("delskala"),
        max_length=100,
        blank=True,
        help_text=_(
            "Frågor med samma delskala summeras också för sig (t.ex. Emotionella "
            "symtom). Tom: bara i totalsumman."
        ),
    )

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
    item = fields.reference(
        InstrumentItem, _("fråga"), on_delete=models.CASCADE, related_name="options"
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

    instrument = fields.reference(
        Instrument, _("instrument"), on_delete=models.CASCADE, related_name="cutoffs"
    )
    label = models.CharField(_("tolkning"), max_length=200)
    min_score = models.IntegerField(_("från poäng"))
    max_score = models.IntegerField(_("till poäng"))
    sex = fields.choice(_("kön"), CutoffSex, max_length=10, blank=True)
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

    part = fields.reference(
        AssessmentPart, _("del av bedömning"), on_delete=models.CASCADE, related_name="results"
    )
    instrument = fields.reference(Instrument, _("instrument"))
    answered_on = models.DateField(_("datum"), default=timezone.localdate)
    sex = models.CharField(_("kön (för gränsvärden)"), max_length=10, blank=True)
    answers = models.JSONField(_("svar"), default=dict)
    total_score = models.IntegerField(_("summa"))
    cutoff_label = models.CharField(_("tolkning"), max_length=200, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    created_by = fields.staff(_("registrerat av"), editable=False)
    created_at = fields.created_at()

    objects: ClassVar = InstrumentResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrumentresultat")
        verbose_name_plural = _("instrumentresultat")
        ordering = ["part", "-answered_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "part"], name="instrumentresult_part")]

    def __str__(self):
        return f"{self.instrument}: {self.total_score}"
