"""A cycle of a programme (gruppomgång) with its leaders, sessions, participants and
their attendance."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.core.notes import SignedNote, SignedNoteQuerySet
from kinsight.groups.access import (
    AttendanceQuerySet,
    CyclePartQuerySet,
    CycleQuerySet,
    MeasurementQuerySet,
)
from kinsight.groups.models.programmes import Programme
from kinsight.people.models import Sex


class Cycle(TenantModel, Versioned, fields.Period):
    """One run of a programme: from ``start_on`` to ``end_on``, in a district."""

    programme = fields.reference(Programme, _("program"), related_name="cycles")
    name = models.CharField(_("benämning"), max_length=200, help_text=_("T.ex. Vågen våren 2027."))
    district = fields.unit(_("stadsdel eller område"))
    venue = models.CharField(_("lokal"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("platser"), default=8)
    is_public = models.BooleanField(
        _("i den öppna grupplistan"),
        default=False,
        help_text=_(
            "Visas med lediga platser på kommunens öppna grupplista, där man kan anmäla "
            "intresse utan att logga in (om kommunen har listan påslagen)."
        ),
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CycleLeader",
        verbose_name=_("gruppledare"),
        related_name="group_cycles",
    )

    objects: ClassVar = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppomgång")
        verbose_name_plural = _("gruppomgångar")
        ordering = ["-start_on", "name"]
        constraints = [fields.not_before("end_on", "start_on", name="cycle_end_after_start")]

    def __str__(self):
        return self.name


class CycleLeader(TenantModel):
    """A leader of a cycle (the through table carries the municipality, as every
    municipal table does)."""

    cycle = fields.reference(Cycle, on_delete=models.CASCADE, related_name="+")
    leader = fields.staff(on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cycle", "leader"], name="cycleleader_unique"
            )
        ]


class Session(TenantModel):
    """A group session: its number in the cycle, the day and the theme."""

    cycle = fields.reference(
        Cycle, _("gruppomgång"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("träff nr"))
    held_on = models.DateField(_("datum"))
    theme = models.CharField(_("tema"), max_length=200, blank=True)

    objects: ClassVar = CyclePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppträff")
        verbose_name_plural = _("gruppträffar")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cycle", "number"], name="session_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.theme}".strip(". ")


class Intake(models.TextChoices):
    REFERRAL = "referral", _("Remiss")
    DECISION = "decision", _("Biståndsbeslut")
    SELF = "self", _("Egen ansökan (utan beslut)")


class ParticipantStatus(models.TextChoices):
    WAITING = "waiting", _("Väntelista")
    ACTIVE = "active", _("Deltar")
    COMPLETED = "completed", _("Fullföljt")
    DROPPED = "dropped", _("Avbrutit")


# The participants who take one of a cycle's places: waiting or taking part (the open
# list's free places, an offer's or intake's check, the fewest places a cycle may have).
TAKING_PLACE = (ParticipantStatus.WAITING, ParticipantStatus.ACTIVE)


class AgeBand(models.TextChoices):
    UNDER_7 = "0-6", _("0–6 år")
    CHILD = "7-12", _("7–12 år")
    TEEN = "13-16", _("13–16 år")
    YOUNG = "17-25", _("17–25 år")
    ADULT = "26+", _("26 år och äldre")


class GroupParticipant(TenantModel, Versioned):
    """A participant of a cycle: an identified person of the register, or anonymous
    (age band, sex, district only: many come on their own and are never clients)."""

    cycle = fields.reference(
        Cycle, _("gruppomgång"), on_delete=models.CASCADE, related_name="participants"
    )
    person = fields.person(_("person"), optional=True, related_name="group_participations")
    age_band = fields.choice(_("ålder"), AgeBand, max_length=10)
    sex = fields.choice(_("kön"), Sex, max_length=10, blank=True)
    district = fields.unit(_("stadsdel eller område"), optional=True)
    child_record = fields.reference(
        "detection.ChildRecord",
        _("barn som anhörig"),
        optional=True,
        on_delete=models.SET_NULL,
        related_name="group_participations",
    )
    intake = fields.choice(_("väg in"), Intake)
    referral = fields.reference(
        "interventions.Referral", _("remiss"), optional=True, on_delete=models.SET_NULL
    )
    status = fields.choice(_("status"), ParticipantStatus, default=ParticipantStatus.WAITING)
    joined_on = fields.optional_date(_("började"))
    ended_on = fields.optional_date(_("slutade"))
    dropped_reason = models.CharField(_("orsak till avbrott"), max_length=300, blank=True)
    measurement_consent = models.BooleanField(
        _("samtycke till mätning"),
        default=False,
        help_text=_("Vårdnadshavarens för ett barn; deltagarens eget från 18 år."),
    )
    own_consent = models.BooleanField(
        _("barnets eget samtycke"),
        default=False,
        help_text=_("Krävs dessutom från den ålder som kommunens inställning anger."),
    )
    created_at = fields.created_at()

    objects: ClassVar = CyclePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cycle", "person"],
                condition=Q(person__isnull=False),
                name="groupparticipant_unique_person",
            ),
            models.UniqueConstraint(
                fields=["municipality", "cycle", "child_record"],
                condition=Q(child_record__isnull=False),
                name="groupparticipant_unique_child_record",
            ),
            fields.not_before("ended_on", "joined_on", name="groupparticipant_end_after_start"),
        ]

    def __str__(self):
        if self.person_id:
            return str(self.person)
        return f"{_('Anonym')} {self.pk} ({self.get_age_band_display()})"


class CycleNoteQuerySet(SignedNoteQuerySet):
    """A cycle's notes may name participants: its leaders only, never the heads of
    services who see the cycle itself."""

    def _parents(self, user: Any, action: str) -> dict[str, Any]:
        return {"cycle__leaders": user.pk}


class CycleNote(SignedNote):
    """A leader's note on the cycle (how the group works, what to change): a signed
    note, seen by the cycle's leaders only."""

    parent = "cycle"

    cycle = fields.reference(
        Cycle, _("gruppomgång"), on_delete=models.CASCADE, related_name="notes"
    )

    objects: ClassVar = CycleNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("anteckning om gruppomgången")
        verbose_name_plural = _("anteckningar om gruppomgången")
        ordering = ["-created_at", "-pk"]


class IndividualTalk(TenantModel):
    """An individual talk with a participant, besides the group sessions (the programme
    says how many); the day only, never its content."""

    participant = fields.reference(
        GroupParticipant, _("deltagare"), on_delete=models.CASCADE, related_name="talks"
    )
    held_on = models.DateField(_("datum"))
    by = fields.staff(_("av"))

    objects: ClassVar = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("enskilt samtal")
        verbose_name_plural = _("enskilda samtal")
        ordering = ["participant", "held_on"]


class Presence(models.TextChoices):
    PRESENT = "present", _("Närvarande")
    ABSENT = "absent", _("Frånvarande")
    EXCUSED = "excused", _("Anmält förhinder")


class Attendance(TenantModel):
    session = fields.reference(
        Session, _("träff"), on_delete=models.CASCADE, related_name="attendance"
    )
    participant = fields.reference(
        GroupParticipant, _("deltagare"), on_delete=models.CASCADE, related_name="attendance"
    )
    presence = fields.choice(_("närvaro"), Presence)

    objects: ClassVar = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["session", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "session", "participant"],
                name="attendance_unique_participant",
            )
        ]
