"""Cases (ärenden), their legal basis and journal notes.

A Case is opened in a unit for a person and moves through the status flow in
TRANSITIONS. A JournalNote is a draft until it is signed; a signed note is never
changed: a correction is a new note that points to the one it corrects.
Legal references are data (seeded by migration 0002), never hard-coded.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import Role, TenantModel, Versioned
from kinsight.core.notes import SignedNote, SignedNoteQuerySet
from kinsight.people.access import with_emergency


class LegalReference(fields.Validity):
    """A rule and where the law says it: one row per rule and law, with validity."""

    topic = models.SlugField(_("regel (kod)"), max_length=60)
    rule = models.CharField(_("regel"), max_length=300)
    law = models.CharField(_("författning"), max_length=60, help_text=_("T.ex. SFS 2025:400."))
    law_name = models.CharField(_("författningens namn"), max_length=100)
    reference = models.CharField(_("lagrum"), max_length=100, help_text=_("T.ex. 20 kap. 2 §."))

    class Meta:
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")
        ordering = ["topic", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "law"], name="legalreference_unique"),
        ]

    def __str__(self):
        # The name usually carries the number already: "Socialtjänstlagen (2025:400)".
        number = self.law.removeprefix("SFS").strip()
        if number and number in self.law_name:
            return f"{self.reference} {self.law_name}"
        return f"{self.reference} {self.law_name} ({self.law})"


class CaseStatus(models.TextChoices):
    ACTUALISATION = "aktualisering", _("Aktualisering")
    PRE_ASSESSMENT = "forhandsbedomning", _("Förhandsbedömning")
    INVESTIGATION = "utredning", _("Utredning")
    DECISION = "beslut", _("Beslut")
    INTERVENTION = "insats", _("Insats")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")
    CLOSED = "avslutad", _("Avslutad")


S = CaseStatus
# Which status may follow which. A case may be closed early: no investigation after the
# pre-assessment, no intervention after the decision.
TRANSITIONS = {
    S.ACTUALISATION: [S.PRE_ASSESSMENT, S.CLOSED],
    S.PRE_ASSESSMENT: [S.INVESTIGATION, S.CLOSED],
    S.INVESTIGATION: [S.DECISION],
    S.DECISION: [S.INTERVENTION, S.CLOSED],
    S.INTERVENTION: [S.FOLLOW_UP, S.CLOSED],
    S.FOLLOW_UP: [S.INTERVENTION, S.CLOSED],
    # Reopening (återöppna) starts over at aktualisering; the child question is asked
    # again (see kinsight.detection: reopened_at after the answer).
    S.CLOSED: [S.ACTUALISATION],
}


class CaseQuerySet(TenantQuerySet):
    """Seen by the case workers and unit managers of the case's unit and by the
    responsible worker; changed by the responsible worker and the unit manager."""

    def _allow_view(self, user):
        """Also the cases of a person seen through an emergency access (read only:
        ``change`` never includes it)."""
        units = user.units_with_role(Role.CASE_WORKER, Role.UNIT_MANAGER)
        rule = Q(unit_id__in=units) | Q(responsible_id=user.pk)
        return self.filter(with_emergency(user, rule, "person"))

    def _allow_change(self, user):
        managed = user.units_with_role(Role.UNIT_MANAGER)
        return self.filter(Q(unit_id__in=managed) | Q(responsible_id=user.pk))

    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)


class Case(TenantModel, Versioned):
    person = fields.person(_("person"), related_name="cases")
    unit = fields.unit(related_name="cases")
    status = fields.choice(_("status"), CaseStatus, default=CaseStatus.ACTUALISATION)
    responsible = fields.staff(
        _("ansvarig handläggare"), optional=True, related_name="responsible_cases"
    )
    legal_basis = fields.reference(LegalReference, _("lagrum"), optional=True)
    subject = models.CharField(
        _("ärendemening"), max_length=200, help_text=_("Kort: vad ärendet gäller.")
    )
    opened_on = models.DateField(_("inlett"), default=timezone.localdate)
    closed_on = fields.optional_date(_("avslutat"))
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    reopened_at = models.DateTimeField(_("återöppnat"), null=True, blank=True, editable=False)
    created_at = fields.created_at()

    objects: ClassVar = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            fields.not_before("closed_on", "opened_on", name="case_closed_after_opened"),
        ]
        indexes = [
            models.Index(fields=["municipality", "unit", "person"], name="case_unit_person"),
            models.Index(fields=["municipality", "responsible", "status"], name="case_responsible"),
            models.Index(fields=["municipality", "person"], name="case_person"),
            # "Open on a day" (followup.minimum_level.open_on_q) for the running month
            # and the queues: the cases open now, per unit, without the closed ones that
            # make up most of a municipality's history (partial), and the other arm of
            # the OR, cases closed after the day.
            models.Index(
                fields=["municipality", "unit", "opened_on"],
                condition=Q(closed_on__isnull=True) & ~Q(status=CaseStatus.CLOSED),
                name="case_open_unit",
            ),
            models.Index(fields=["municipality", "closed_on"], name="case_closed_on"),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"

    @property
    def is_closed(self):
        return self.status == CaseStatus.CLOSED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:case_detail", args=[self.pk])

    def next_statuses(self):
        return [CaseStatus(s) for s in TRANSITIONS[CaseStatus(self.status)]]


class JournalNoteQuerySet(SignedNoteQuerySet):
    """Signed notes are seen with their case; a draft only by its author, who writes
    it while they may change the case."""


class JournalNote(SignedNote):
    parent = "case"

    case = fields.reference(Case, _("ärende"), related_name="notes")
    unit = fields.unit()

    objects: ClassVar = JournalNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "case", "signed_at"])]
