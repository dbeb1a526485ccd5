"""The child question (barnfrågan) and every answer given to it."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.access import (
    ChildQuestionAnswerQuerySet,
    ChildQuestionQuerySet,
)


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Okänt")


# The child question -----------------------------------------------------------------


class ChildQuestion(TenantModel, Versioned):
    """The child question on one case of an adult. Blank ``has_children``: not yet
    answered."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        related_name="child_question",
    )
    person = fields.person(_("person"))
    unit = fields.unit()
    has_children = fields.choice(_("har barn under 18 år"), Answer, max_length=10, blank=True)
    unknown_reason = models.CharField(
        _("varför okänt"),
        max_length=300,
        blank=True,
        help_text=_("Krävs när svaret är okänt, t.ex. att personen inte ville svara."),
    )
    expecting_child = fields.choice(_("väntar barn"), Answer, max_length=10, blank=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True, editable=False)
    answered_by = fields.staff(_("besvarad av"), optional=True, editable=False)
    next_ask_on = fields.optional_date(
        _("ställs igen"),
        editable=False,
        help_text=_("Frågan ställs igen från detta datum (eller när ärendet öppnas igen)."),
    )
    created_at = fields.created_at()

    objects: ClassVar = ChildQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("barnfråga")
        verbose_name_plural = _("barnfrågor")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(has_children="unknown") | ~Q(unknown_reason=""),
                name="childquestion_unknown_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(has_children="", answered_at__isnull=True)
                | (~Q(has_children="") & Q(answered_at__isnull=False)),
                name="childquestion_answered_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "unit", "next_ask_on"], name="childq_unit_due"),
            models.Index(fields=["municipality", "person"], name="childq_person"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.get_has_children_display() or '–'}"

    @property
    def is_answered(self):
        return self.answered_at is not None

    def is_pending(self, on=None, case=None):
        """The same rule as ChildQuestionQuerySet.pending, for one loaded row."""
        on = on or timezone.localdate()
        case = case or self.case
        if self.answered_at is None:
            return True
        if self.next_ask_on is not None and self.next_ask_on <= on:
            return True
        if case.reopened_at is not None and case.reopened_at > self.answered_at:
            return True
        return self.has_children == Answer.UNKNOWN and case.status_changed_at > self.answered_at


class ChildQuestionAnswer(TenantModel):
    """Every answer given, never changed: the history behind the current answer."""

    question = fields.reference(
        ChildQuestion, _("barnfråga"), on_delete=models.CASCADE, related_name="answers"
    )
    unit = fields.unit()
    has_children = fields.choice(_("har barn under 18 år"), Answer, max_length=10)
    unknown_reason = models.CharField(_("varför okänt"), max_length=300, blank=True)
    expecting_child = fields.choice(_("väntar barn"), Answer, max_length=10, blank=True)
    answered_at = models.DateTimeField(_("besvarad"), default=timezone.now)
    answered_by = fields.staff(_("besvarad av"))

    objects: ClassVar = ChildQuestionAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på barnfrågan")
        verbose_name_plural = _("svar på barnfrågan")
        ordering = ["-answered_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "unit", "answered_at"], name="childqa_unit_at"),
        ]
