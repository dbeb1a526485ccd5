"""The regional network's own records: its meetings (with the members' attendance,
shared files and questions between members), the competence-needs inventory with the
members' answers, and the training offer's courses.

The region's own rows (``Meeting``, ``MeetingFile``, ``Inventory``, ``Course``) hold no
personal data and no municipality: they are classified in kinsight/core/tenancy.py. A
member's part (its attendance, its questions, its answers) carries the member's
municipality.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import Municipality
from kinsight.regions.models import Region


class Meeting(models.Model):
    """A network meeting in the region's yearly calendar."""

    region = fields.reference(Region, _("region"), related_name="meetings")
    title = models.CharField(_("rubrik"), max_length=150)
    day = models.DateField(_("datum"))
    starts_at = models.TimeField(_("börjar"))
    ends_at = models.TimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    link = models.URLField(_("länk till mötet"), blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("minnesanteckningar"), blank=True)
    minutes_writer = models.CharField(_("antecknade av"), max_length=150, blank=True)
    created_by = fields.staff()

    class Meta:
        verbose_name = _("nätverksmöte")
        verbose_name_plural = _("nätverksmöten")
        ordering = ["day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_later",
                violation_error_message=_("Mötet måste sluta efter att det börjar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.day:%Y-%m-%d}"


class Attendance(models.Model):
    """A member municipality invited to a meeting, and who came from it (names of its
    staff as text: they are not users of the region)."""

    meeting = fields.reference(
        Meeting, _("möte"), on_delete=models.CASCADE, related_name="attendances"
    )
    municipality = fields.reference(Municipality, _("kommun"))
    attendees = models.TextField(_("deltagare"), blank=True)

    class Meta:
        verbose_name = _("inbjuden medlem")
        verbose_name_plural = _("inbjudna medlemmar")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "meeting"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.meeting_id}"


class MeetingFile(models.Model):
    """Material shared at a meeting, kept as bytes in the database (no file under the
    web root) and served only through the download view."""

    meeting = fields.reference(Meeting, _("möte"), on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=120)
    size = models.PositiveIntegerField(_("storlek"))
    data = models.BinaryField(_("filens innehåll"), editable=False)
    uploaded_by = fields.staff()
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("delad fil")
        verbose_name_plural = _("delade filer")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question a member's head of services raised at a meeting, and its answer (by
    another member or the network leader)."""

    meeting = fields.reference(
        Meeting, _("möte"), on_delete=models.CASCADE, related_name="questions"
    )
    municipality = fields.reference(Municipality, _("kommun"))
    text = models.TextField(_("fråga"))
    asked_by = fields.staff()
    asked_at = models.DateTimeField(_("ställd"), default=timezone.now)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = fields.staff(null=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


DEFAULT_AREAS = ["Missbruk", "Ekonomiskt bistånd", "Barn och unga"]


class Inventory(models.Model):
    """The yearly competence-needs inventory: the areas asked about and the deadline the
    members' heads of services answer by."""

    region = fields.reference(Region, _("region"), related_name="inventories")
    year = models.PositiveSmallIntegerField(_("år"))
    deadline = models.DateField(_("sista svarsdag"))
    areas = models.JSONField(_("områden"), default=list)
    opened_by = fields.staff()
    opened_at = models.DateTimeField(_("öppnad"), default=timezone.now)

    class Meta:
        verbose_name = _("kompetensinventering")
        verbose_name_plural = _("kompetensinventeringar")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="inventory_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.deadline


class Answer(models.Model):
    """A member's answer for one area of an inventory."""

    inventory = fields.reference(
        Inventory, _("inventering"), on_delete=models.CASCADE, related_name="answers"
    )
    municipality = fields.reference(Municipality, _("kommun"))
    area = models.CharField(_("område"), max_length=100)
    needs = models.TextField(_("behov"))
    staff_count = models.PositiveIntegerField(_("antal medarbetare"))
    suggestions = models.TextField(_("förslag på utbildningar och utbildare"), blank=True)
    answered_by = fields.staff()
    answered_at = models.DateTimeField(_("besvarad"), default=timezone.now)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["area", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "inventory", "area"], name="answer_once_per_area"
            )
        ]

    def __str__(self) -> str:
        return self.area


class Course(models.Model):
    """A course of the region's training offer."""

    region = fields.reference(Region, _("region"), related_name="courses")
    inventory = fields.reference(Inventory, _("inventering"), optional=True, related_name="courses")
    area = models.CharField(_("område"), max_length=100)
    title = models.CharField(_("kurs"), max_length=200)
    starts_on = models.DateField(_("första dag"))
    ends_on = models.DateField(_("sista dag"))
    capacity = models.PositiveIntegerField(_("antal platser"))
    minimum = models.PositiveIntegerField(_("minsta antal deltagare"))
    cost = models.DecimalField(_("kostnad (kr)"), max_digits=10, decimal_places=2)
    decision_on = models.DateField(_("beslutsdag"))
    with_neighbour = models.BooleanField(_("grannförbund deltar"), default=False)
    leader_training = models.BooleanField(
        _("stödgruppsledarutbildning"),
        default=False,
        help_text=_("Den som deltar förs in i kommunens gruppledarregister."),
    )
    created_by = fields.staff()

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("kurser")
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="course_ends_later"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=models.F("minimum")), name="course_room_for_min"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A member's staff member enrolled in a course by the municipality's head of
    services; ``attended`` recorded after it (empty until then)."""

    course = fields.reference(Course, _("kurs"), related_name="enrolments")
    municipality = fields.reference(Municipality, _("kommun"))
    participant = fields.staff(_("deltagare"), related_name="course_enrolments")
    enrolled_by = fields.staff()
    enrolled_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    attended = models.BooleanField(_("deltog"), null=True, blank=True)

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["course__starts_on", "participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "course", "participant"], name="enrolment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.course_id}"
