"""Family meetings, who took part, and their minutes (a signed note)."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.core.notes import SignedNote
from kinsight.family.access import (
    FamilyMeetingQuerySet,
    MeetingNoteQuerySet,
    MeetingParticipantQuerySet,
)
from kinsight.family.models.work import family_work_field


class FamilyMeeting(TenantModel, Versioned):
    """Familjemöte: held by a participating unit (``unit``) on a day, with an agenda.
    Minutes are MeetingNote rows; decisions and follow-ups are FollowUpTask rows."""

    family_work = family_work_field("meetings")
    unit = fields.unit(_("ansvarig enhet"))
    held_on = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    created_by = fields.staff(_("registrerat av"))
    created_at = fields.created_at()

    objects: ClassVar = FamilyMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjemöte")
        verbose_name_plural = _("familjemöten")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "family_work", "held_on"])]

    def __str__(self):
        return f"{self.family_work}: {self.held_on}"


class MeetingParticipantKind(models.TextChoices):
    MEMBER = "member", _("Familjemedlem")
    STAFF = "staff", _("Personal")
    EXTERNAL = "external", _("Extern")


class MeetingParticipant(TenantModel):
    """Who took part in a meeting: a family member (``person``), staff (``unit`` and
    optionally ``user``) or someone external described as text (``external``, e.g.
    "Skolkurator, Norrskolan")."""

    meeting = fields.reference(
        FamilyMeeting, _("möte"), on_delete=models.CASCADE, related_name="participants"
    )
    kind = fields.choice(_("typ"), MeetingParticipantKind, max_length=10)
    person = fields.person(None, optional=True)
    unit = fields.unit(None, optional=True)
    user = fields.staff(optional=True)
    external = models.CharField(_("extern deltagare"), max_length=200, blank=True)

    objects: ClassVar = MeetingParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("mötesdeltagare")
        verbose_name_plural = _("mötesdeltagare")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(person__isnull=False))
                | (Q(kind="staff") & Q(unit__isnull=False))
                | (Q(kind="external") & ~Q(external="")),
                name="meetingparticipant_kind_fields",
            ),
        ]

    def __str__(self):
        return str(self.person or self.user or self.unit or self.external)


class MeetingNote(SignedNote):
    """Minutes (protokoll) of a meeting: a signed note (kinsight.core.notes), as
    cases.JournalNote."""

    parent = "meeting"

    meeting = fields.reference(
        FamilyMeeting, _("möte"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("protokoll"), blank=True)

    objects: ClassVar = MeetingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("mötesprotokoll")
        verbose_name_plural = _("mötesprotokoll")
        ordering = ["created_at", "pk"]
