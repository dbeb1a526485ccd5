"""Early detection (PRODUCT.md §2): the child question, children as next of kin and
concern reports.

- ChildQuestion (barnfrågan): one per case of an adult; the current answer, with every
  answer kept in ChildQuestionAnswer. It is pending until answered, again from
  ``next_ask_on`` (answered + settings.KINSIGHT_CHILD_QUESTION_MONTHS, or the day a
  case is reopened), and while "unknown" once the case has moved on (next event).
- ChildRecord (barn som anhörig): a child of a parent on one case, found through the
  child question; the child as a Person when known, else first name and birth year,
  or an expected child (``expected_month``) until it is born. One per case and child: a
  parent's new case records the child afresh, the earlier case keeps its record.
  Its lifecycle (ChildStatus) moves by ChildRecordStep rows;
  ChildFlag rows mark young carers, child interpreters, violence and the parent's
  problem areas, each with dates.
- ConcernReport (orosanmälan): internal (from a child record in an adult unit) or
  external; received by a children-and-youth unit; its clocks come from DeadlineRule
  (data with legal topics) and the due dates are stored on the report.
Every row carries its municipality; rows that are edited carry a version.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.access import (
    ChildQuestionAnswerQuerySet,
    ChildQuestionQuerySet,
    ChildRecordPartQuerySet,
    ChildRecordQuerySet,
    ConcernReportQuerySet,
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
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    has_children = models.CharField(
        _("har barn under 18 år"), max_length=10, choices=Answer.choices, blank=True
    )
    unknown_reason = models.CharField(
        _("varför okänt"),
        max_length=300,
        blank=True,
        help_text=_("Krävs när svaret är okänt, t.ex. att personen inte ville svara."),
    )
    expecting_child = models.CharField(
        _("väntar barn"), max_length=10, choices=Answer.choices, blank=True
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besvarad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    next_ask_on = models.DateField(
        _("ställs igen"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Frågan ställs igen från detta datum (eller när ärendet öppnas igen)."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChildQuestionQuerySet.as_manager()

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

    question = models.ForeignKey(
        ChildQuestion, verbose_name=_("barnfråga"), on_delete=models.CASCADE, related_name="answers"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    has_children = models.CharField(
        _("har barn under 18 år"), max_length=10, choices=Answer.choices
    )
    unknown_reason = models.CharField(_("varför okänt"), max_length=300, blank=True)
    expecting_child = models.CharField(
        _("väntar barn"), max_length=10, choices=Answer.choices, blank=True
    )
    answered_at = models.DateTimeField(_("besvarad"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besvarad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ChildQuestionAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på barnfrågan")
        verbose_name_plural = _("svar på barnfrågan")
        ordering = ["-answered_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "unit", "answered_at"], name="childqa_unit_at"),
        ]


# Children as next of kin ---------------------------------------------------------------


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
    REFERRED = "referred", _("Hänvisat")
    NO_FURTHER_NEED = "no_further_need", _("Inget ytterligare behov")


C = ChildStatus
# Which step may follow which. Attended (uppmärksammat) is the minimum level: every
# later status implies it (ChildRecord.attended_on stays set).
CHILD_TRANSITIONS = {
    C.IDENTIFIED: [C.ATTENDED],
    C.ATTENDED: [C.ASSESSED, C.NO_FURTHER_NEED],
    C.ASSESSED: [C.SUPPORT_OFFERED, C.REFERRED, C.NO_FURTHER_NEED],
    C.SUPPORT_OFFERED: [C.REFERRED, C.NO_FURTHER_NEED],
    C.REFERRED: [C.SUPPORT_OFFERED, C.NO_FURTHER_NEED],
    C.NO_FURTHER_NEED: [],
}
ATTENDED_STATUSES = [s for s in ChildStatus if s != C.IDENTIFIED]


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

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("förälderns ärende"),
        on_delete=models.PROTECT,
        related_name="child_records",
    )
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Enheten för förälderns ärende: där barnet räknas."),
    )
    parent = models.ForeignKey(
        "people.Person",
        verbose_name=_("förälder"),
        on_delete=models.PROTECT,
        related_name="child_records_as_parent",
    )
    child = models.ForeignKey(
        "people.Person",
        verbose_name=_("barn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_records",
    )
    first_name = models.CharField(_("barnets förnamn"), max_length=100)
    linked_by_number = models.BooleanField(
        _("kopplat med personnummer"),
        default=False,
        help_text=_(
            "Barnet kopplades med hela personnumret till en person som handläggaren inte "
            "ser: bara det inskrivna förnamnet visas."
        ),
    )
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("födelseår"), help_text=_("Ungefärligt när bara åldern är känd.")
    )
    expected_month = models.DateField(
        _("beräknad månad"),
        null=True,
        blank=True,
        help_text=_("För ett väntat barn: månaden barnet väntas (månadens första dag)."),
    )
    custody = models.CharField(
        _("vårdnad"), max_length=20, choices=Custody.choices, default=Custody.UNKNOWN
    )
    lives_with = models.CharField(
        _("bor hos föräldern"), max_length=10, choices=LivesWith.choices, default=LivesWith.UNKNOWN
    )
    other_carers = models.CharField(
        _("andra som tar hand om barnet"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. den andra föräldern, mor- eller farföräldrar, familjehem."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ChildStatus.choices, default=ChildStatus.IDENTIFIED
    )
    identified_on = models.DateField(_("identifierat"), default=timezone.localdate)
    attended_on = models.DateField(_("uppmärksammat"), null=True, blank=True)
    status_changed_on = models.DateField(_("status ändrad"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChildRecordQuerySet.as_manager()

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

    record = models.ForeignKey(
        ChildRecord, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(_("steg"), max_length=20, choices=ChildStatus.choices)
    on = models.DateField(_("datum"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("kort anteckning"), max_length=500, blank=True)
    parent_talked_with = models.BooleanField(
        _("samtal med föräldern om barnets situation"), default=False
    )
    child_information = models.CharField(
        _("information till barnet"),
        max_length=20,
        choices=ChildInformation.choices,
        blank=True,
    )
    child_information_reason = models.CharField(
        _("varför ej tillämpligt"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChildRecordPartQuerySet.as_manager()

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


class FlagKind(models.TextChoices):
    YOUNG_CARER = "young_carer", _("Ung omsorgsgivare")
    CHILD_INTERPRETER = "child_interpreter", _("Barntolkning")
    VIOLENCE_IN_FAMILY = "violence_in_family", _("Våld i familjen")
    PARENT_SUBSTANCE_USE = "parent_substance_use", _("Föräldern: missbruk eller beroende")
    PARENT_MENTAL_ILLNESS = "parent_mental_illness", _("Föräldern: psykisk ohälsa")
    PARENT_VIOLENCE = "parent_violence", _("Föräldern: våld")
    PARENT_DISABILITY = "parent_disability", _("Föräldern: funktionsnedsättning")
    PARENT_DEATH = "parent_death", _("Förälder har avlidit")
    PARENT_IMPRISONMENT = "parent_imprisonment", _("Föräldern: fängelse")


PARENT_PROBLEM_FLAGS = [k for k in FlagKind if k.value.startswith("parent_")]


class ChildFlag(TenantModel, Versioned):
    """A flag on a child record, from ``noted_on`` until ``ended_on`` (open: current)."""

    record = models.ForeignKey(
        ChildRecord, verbose_name=_("barn"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("markering"), max_length=30, choices=FlagKind.choices)
    noted_on = models.DateField(_("från"), default=timezone.localdate)
    ended_on = models.DateField(_("till"), null=True, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noterad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("kort anteckning"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChildRecordPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("markering")
        verbose_name_plural = _("markeringar")
        ordering = ["noted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind"],
                condition=Q(ended_on__isnull=True),
                name="childflag_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("noted_on")),
                name="childflag_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "kind", "noted_on"], name="childflag_kind")]

    @property
    def is_current(self):
        return self.ended_on is None


# Concern reports ---------------------------------------------------------------------


class DeadlineRule(models.Model):
    """A statutory clock as data: how long, and the legal topic (LegalReference.topic)
    that says so. Seeded by migration; an administrator updates it with the law."""

    PRE_ASSESSMENT = "pre_assessment"
    INVESTIGATION = "investigation"
    FEEDBACK = "feedback"

    code = models.SlugField(_("kod"), max_length=40)
    label = models.CharField(_("frist"), max_length=200)
    days = models.PositiveIntegerField(_("dagar"), default=0)
    months = models.PositiveIntegerField(_("månader"), default=0)
    legal_topic = models.SlugField(
        _("lagrum (kod)"), max_length=60, help_text=_("Koden för regeln i lagrumstabellen.")
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="deadlinerule_unique"),
        ]

    def __str__(self):
        return self.label

    def due(self, start):
        """The last day: ``start`` plus the period, in calendar days and months."""
        return add_months(start, self.months) + datetime.timedelta(days=self.days)

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def legal_references(self, on=None):
        from kinsight.cases.models import LegalReference

        refs = LegalReference.objects.filter(topic=self.legal_topic)
        if on is not None:
            refs = [r for r in refs if r.is_valid_on(on)]
        return refs


def add_months(day, months):
    """Same day ``months`` later; the month's last day when it has no such day."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReportSource(models.TextChoices):
    INTERNAL = "internal", _("Intern (från socialtjänsten)")
    EXTERNAL = "external", _("Extern")


class ReporterCategory(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Socialtjänsten")
    SCHOOL = "school", _("Skola")
    POLICE = "police", _("Polis")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvård")
    PRESCHOOL = "preschool", _("Förskola")
    OTHER = "other", _("Annan")
    ANONYMOUS = "anonymous", _("Anonym")


EXTERNAL_CATEGORIES = [c for c in ReporterCategory if c != ReporterCategory.SOCIAL_SERVICES]


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen, förhandsbedömning pågår")
    INVESTIGATING = "investigating", _("Utredning inledd")
    CLOSED = "closed", _("Avslutad")


class PreAssessmentDecision(models.TextChoices):
    OPEN_INVESTIGATION = "open_investigation", _("Utredning inleds")
    NO_INVESTIGATION = "no_investigation", _("Utredning inleds inte")
    ADDED_TO_ONGOING = "added_to_ongoing", _("Läggs till pågående utredning")


class InvestigationOutcome(models.TextChoices):
    INTERVENTION = "intervention", _("Insats beviljas")
    NO_INTERVENTION = "no_intervention", _("Avslutas utan insats")
    COMPULSORY_CARE = "compulsory_care", _("Ansökan om vård enligt LVU")


class ConcernReport(TenantModel, Versioned):
    """An orosanmälan about a child, received by a children-and-youth unit."""

    source = models.CharField(_("typ"), max_length=10, choices=ReportSource.choices)
    reporter_category = models.CharField(
        _("anmälare"), max_length=20, choices=ReporterCategory.choices
    )
    reporter_name = models.CharField(_("anmälarens namn"), max_length=200, blank=True)
    reporter_contact = models.CharField(
        _("anmälarens kontaktuppgifter"), max_length=200, blank=True
    )
    reporting_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("anmälande enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anmäld av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    child_record = models.ForeignKey(
        ChildRecord,
        verbose_name=_("barn som anhörig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_reports",
    )
    child = models.ForeignKey(
        "people.Person",
        verbose_name=_("barn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_reports",
    )
    child_name = models.CharField(_("barnets namn"), max_length=200)
    child_birth_year = models.PositiveSmallIntegerField(
        _("barnets födelseår"), null=True, blank=True
    )
    receiving_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("mottagande enhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField(_("mottagen"), default=timezone.localdate)
    concern = models.TextField(_("oro"), help_text=_("Vad anmälan gäller."))
    feedback_requested = models.BooleanField(_("anmälaren vill ha återkoppling"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    pre_assessment_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("frist för förhandsbedömning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pre_assessment_due_on = models.DateField(_("förhandsbedömning senast"))
    pre_assessment_decision = models.CharField(
        _("beslut efter förhandsbedömning"),
        max_length=20,
        choices=PreAssessmentDecision.choices,
        blank=True,
    )
    pre_assessment_decided_on = models.DateField(
        _("förhandsbedömning beslutad"), null=True, blank=True
    )
    pre_assessment_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigation_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("frist för utredning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigation_started_on = models.DateField(_("utredning inledd"), null=True, blank=True)
    investigation_due_on = models.DateField(_("utredning klar senast"), null=True, blank=True)
    investigation_outcome = models.CharField(
        _("utredningens resultat"), max_length=20, choices=InvestigationOutcome.choices, blank=True
    )
    investigation_completed_on = models.DateField(_("utredning avslutad"), null=True, blank=True)
    investigation_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField(_("motivering"), max_length=1000, blank=True)
    feedback_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("frist för återkoppling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback_due_on = models.DateField(_("återkoppling senast"), null=True, blank=True)
    feedback_given_on = models.DateField(_("återkoppling given"), null=True, blank=True)
    feedback_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("återkoppling given av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConcernReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reporter_category=""), name="concernreport_has_reporter_category"
            ),
            models.CheckConstraint(
                condition=Q(source="external") | Q(reporting_unit__isnull=False),
                name="concernreport_internal_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(pre_assessment_decided_on__isnull=True)
                | Q(pre_assessment_decided_on__gte=models.F("received_on")),
                name="concernreport_decided_after_received",
            ),
            models.CheckConstraint(
                condition=Q(investigation_completed_on__isnull=True)
                | Q(investigation_completed_on__gte=models.F("investigation_started_on")),
                name="concernreport_completed_after_started",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "receiving_unit", "status", "pre_assessment_due_on"],
                name="report_receiving_due",
            ),
            models.Index(
                fields=["municipality", "status", "investigation_due_on"],
                name="report_investigation_due",
            ),
            models.Index(fields=["municipality", "reporting_unit"], name="report_reporting"),
            models.Index(fields=["municipality", "child_record"], name="report_child_record"),
            models.Index(fields=["municipality", "responsible", "status"], name="report_resp"),
            models.Index(
                fields=["municipality", "receiving_unit", "feedback_due_on"],
                condition=Q(feedback_given_on__isnull=True, feedback_due_on__isnull=False),
                name="report_feedback_due",
            ),
        ]

    def __str__(self):
        return f"{self.received_on}: {self.child_name}"

    @property
    def current_due_on(self):
        """The end of the clock that runs now (None when no clock runs)."""
        if self.status == ReportStatus.RECEIVED:
            return self.pre_assessment_due_on
        if self.status == ReportStatus.INVESTIGATING:
            return self.investigation_due_on
        return None

    @property
    def awaits_feedback(self):
        """The reporter asked to hear back and has not yet (19 kap. 6 § SoL)."""
        return self.feedback_due_on is not None and self.feedback_given_on is None

    def days_left(self, on=None):
        due = self.current_due_on
        if due is None:
            return None
        return (due - (on or timezone.localdate())).days

    def is_overdue(self, on=None):
        left = self.days_left(on)
        return left is not None and left < 0
