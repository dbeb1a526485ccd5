"""Children as next of kin (barn som anhöriga): the record per case and child, and its
dated steps."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.access import (
    ChildRecordPartQuerySet,
    ChildRecordQuerySet,
)


class Custody(models.TextChoices):
    JOINT = "joint", _("Gemensam vårdnad")
    THIS_PARENT = "this_parent", _("Föräldern ensam")
    OTHER_PARENT = "other_parent", _("Den andra föräldern ensam")
    OTHER = "other", _("Annan vårdnadshavare")
    UNKNOWN = "unknown", _("Okänt")


class LivesWith(models.TextChoices):
    FULL_TIME = "full", _("Heltid")
    PART_TIME = "part", _("Deltid")
    NOT = "not", _("Bor inte hos föräldern")
    UNKNOWN = "unknown", _("Okänt")


class ChildStatus(models.TextChoices):
    """The lifecycle of a child as next of kin, in order."""

    IDENTIFIED = "identified", _("Identifierat")
    ATTENDED = "attended", _("Uppmärksammat")
    ASSESSED = "assessed", _("Bedömt")
    SUPPORT_OFFERED = "support_offered", _("Stöd erbjudet")
    SUPPORT_STARTED = "support_started", _("Stöd påbörjat")
    SUPPORT_COMPLETED = "support_completed", _("Stöd avslutat")
    REFERRED = "referred", _("Hänvisat")
    NO_FURTHER_NEED = "no_further_need", _("Inget ytterligare behov")


C = ChildStatus
# Which step may follow which. Attended (uppmärksammat) is the minimum level: every
# later status implies it (ChildRecord.attended_on stays set).
CHILD_TRANSITIONS = {
    C.IDENTIFIED: [C.ATTENDED],
    C.ATTENDED: [C.ASSESSED, C.NO_FURTHER_NEED],
    C.ASSESSED: [C.SUPPORT_OFFERED, C.REFERRED, C.NO_FURTHER_NEED],
    C.SUPPORT_OFFERED: [C.SUPPORT_STARTED, C.REFERRED, C.NO_FURTHER_NEED],
    C.SUPPORT_STARTED: [C.SUPPORT_COMPLETED, C.REFERRED, C.NO_FURTHER_NEED],
    C.SUPPORT_COMPLETED: [C.SUPPORT_OFFERED, C.REFERRED, C.NO_FURTHER_NEED],
    C.REFERRED: [C.SUPPORT_OFFERED, C.NO_FURTHER_NEED],
    C.NO_FURTHER_NEED: [],
}
ATTENDED_STATUSES = [s for s in ChildStatus if s != C.IDENTIFIED]
# The steps a support group gives the record (taken by the groups app for its leader).
SUPPORT_STEPS = (C.SUPPORT_OFFERED, C.SUPPORT_STARTED, C.SUPPORT_COMPLETED)


class ChildInformation(models.TextChoices):
    """The child's part of "attended": age-appropriate information, or not applicable
    (with a reason, e.g. an infant or a child not yet born)."""

    GIVEN = "given", _("Barnet har fått information anpassad efter ålder")
    NOT_APPLICABLE = "not_applicable", _("Ej tillämpligt")


def expected_q(end, prefix=""):
    """Child records of a child not yet born on ``end`` (väntat barn)."""
    p = prefix
    return Q(**{f"{p}expected_month__isnull": False}) & (
        Q(**{f"{p}birth_date__isnull": True}) | Q(**{f"{p}birth_date__gt": end})
    )


class ChildRecord(TenantModel, Versioned):
    """A child as next of kin (barn som anhörig) of the parent on ``case``, or an
    expected child (``expected_month`` set and no birth date yet)."""

    case = fields.reference("cases.Case", _("förälderns ärende"), related_name="child_records")
    unit = fields.unit(help_text=_("Enheten för förälderns ärende: där barnet räknas."))
    parent = fields.person(_("förälder"), related_name="child_records_as_parent")
    child = fields.person(_("barn"), optional=True, related_name="child_records")
    first_name = models.CharField(_("barnets förnamn"), max_length=100)
    linked_by_number = models.BooleanField(
        _("kopplat med personnummer"),
        default=False,
        help_text=_(
            "Barnet kopplades med hela personnumret till en person som handläggaren inte "
            "ser: bara det inskrivna förnamnet visas."
        ),
    )
    birth_date = fields.optional_date(_("födelsedatum"))
    birth_year = models.PositiveSmallIntegerField(
        _("födelseår"), help_text=_("Ungefärligt när bara åldern är känd.")
    )
    expected_month = fields.optional_date(
        _("beräknad månad"),
        help_text=_("För ett väntat barn: månaden barnet väntas (månadens första dag)."),
    )
    custody = fields.choice(_("vårdnad"), Custody, default=Custody.UNKNOWN)
    lives_with = fields.choice(
        _("bor hos föräldern"), LivesWith, max_length=10, default=LivesWith.UNKNOWN
    )
    other_carers = models.CharField(
        _("andra som tar hand om barnet"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. den andra föräldern, mor- eller farföräldrar, familjehem."),
    )
    status = fields.choice(_("status"), ChildStatus, default=ChildStatus.IDENTIFIED)
    identified_on = models.DateField(_("identifierat"), default=timezone.localdate)
    attended_on = fields.optional_date(_("uppmärksammat"))
    status_changed_on = models.DateField(_("status ändrad"), default=timezone.localdate)
    created_by = fields.staff(_("registrerat av"), optional=True)
    created_at = fields.created_at()

    objects: ClassVar = ChildRecordQuerySet.as_manager()

    # Set by queries.case_detection on the records of the parent's other cases.
    on_this_case: bool

    class Meta:
        verbose_name = _("barn som anhörig")
        verbose_name_plural = _("barn som anhöriga")
        ordering = ["birth_year", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child"],
                condition=Q(child__isnull=False),
                name="childrecord_unique_case_child",
            ),
            models.CheckConstraint(
                condition=~Q(child=models.F("parent")), name="childrecord_not_own_child"
            ),
            models.CheckConstraint(
                condition=Q(status="identified", attended_on__isnull=True)
                | (~Q(status="identified") & Q(attended_on__isnull=False)),
                name="childrecord_attended_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "unit", "status"], name="childrec_unit_status"),
            models.Index(fields=["municipality", "parent"], name="childrec_parent"),
            models.Index(fields=["municipality", "child"], name="childrec_child"),
            models.Index(fields=["municipality", "case"], name="childrec_case"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        # A child linked by the whole number to a person the worker did not see shows
        # only what the worker typed, never the register's name.
        if self.child_id and not self.linked_by_number:
            return self.child.full_name
        if self.first_name or not self.is_expected:
            return self.first_name
        return str(_("Väntat barn"))

    @property
    def is_expected(self):
        """Not born yet (an expected child)."""
        return self.expected_month is not None and self.birth_date is None

    def age(self, on=None):
        on = on or timezone.localdate()
        if self.birth_date:
            b = self.birth_date
            return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        return on.year - self.birth_year

    @property
    def age_is_approximate(self):
        return self.birth_date is None

    @property
    def is_attended(self):
        return self.attended_on is not None

    def next_statuses(self):
        return [ChildStatus(s) for s in CHILD_TRANSITIONS[ChildStatus(self.status)]]


class ChildRecordStep(TenantModel):
    """One step of the lifecycle: dated, by whom, with a short note. Never changed;
    the record's ``status`` is the latest step."""

    record = fields.reference(
        ChildRecord, _("barn"), on_delete=models.CASCADE, related_name="steps"
    )
    status = fields.choice(_("steg"), ChildStatus)
    on = models.DateField(_("datum"), default=timezone.localdate)
    by = fields.staff(_("av"))
    unit = fields.unit(optional=True)
    note = models.CharField(_("kort anteckning"), max_length=500, blank=True)
    parent_talked_with = models.BooleanField(
        _("samtal med föräldern om barnets situation"), default=False
    )
    child_information = fields.choice(_("information till barnet"), ChildInformation, blank=True)
    child_information_reason = models.CharField(
        _("varför ej tillämpligt"), max_length=300, blank=True
    )
    created_at = fields.created_at()

    objects: ClassVar = ChildRecordPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("steg för barn som anhörig")
        verbose_name_plural = _("steg för barn som anhöriga")
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(child_information="not_applicable") | ~Q(child_information_reason=""),
                name="childstep_not_applicable_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "on"], name="childstep_status_on")
        ]
