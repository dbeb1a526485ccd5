"""Interventions, the family plan, referrals and placements (PRODUCT.md §3, issue 6).

- Intervention: the municipality's catalogue of interventions (insatskatalog) per
  target (child, parent, couple, family, placement) with provider, age range, format,
  evidence level and a KVÅ-style code. Seeded with the examples of seed 001
  (``is_example``: to adapt to the municipality); administrators edit it.
- FamilyPlan (familjeplan): one per family work, versioned; every save keeps a
  PlanRevision with a snapshot of the whole plan. PlanGoal: a goal for one perspective
  of the family (``perspective_key`` as FamilyWork.perspectives(): child:12, parent:7,
  parent_child:7:12, couple, family). PlanIntervention: a catalogue intervention
  towards a goal, with responsible unit and dates. PlanFollowUp: a follow-up date (in
  the work queues while open) and its outcome (goal met / partly / not).
- Referral (remiss) of a family member to another unit or an external provider, only
  with consent for purpose REFERRAL; its steps (sent → received → accepted/declined →
  started → ended) as ReferralStep rows, dated and by whom.
- Placement of a child (family home, HVB, other); ContactPlan: planned contact
  (umgänge) with each parent; ContactEvent: a recorded contact (happened/cancelled).

Who sees and changes what: kinsight/interventions/access.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import TenantModel, Versioned
from kinsight.interventions.access import (
    ContactEventQuerySet,
    ContactPlanQuerySet,
    FamilyPlanQuerySet,
    InterventionQuerySet,
    PlacementQuerySet,
    PlanFollowUpQuerySet,
    PlanGoalQuerySet,
    PlanInterventionQuerySet,
    PlanRevisionQuerySet,
    ReferralQuerySet,
    ReferralStepQuerySet,
)

# The catalogue ------------------------------------------------------------------------


class Target(models.TextChoices):
    CHILD = "child", _("Barn")
    PARENT = "parent", _("Förälder")
    COUPLE = "couple", _("Par")
    FAMILY = "family", _("Familj")
    PLACEMENT = "placement", _("Placering")


class ProviderKind(models.TextChoices):
    OWN_UNIT = "own_unit", _("Egen enhet")
    OTHER_UNIT = "other_unit", _("Annan enhet i kommunen")
    EXTERNAL = "external", _("Extern utförare (t.ex. ideell organisation)")


class Format(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuellt")
    GROUP = "group", _("Grupp")
    HOME = "home", _("I hemmet")


class EvidenceLevel(models.TextChoices):
    EVIDENCE_BASED = "evidence_based", _("Evidensbaserad")
    PROMISING = "promising", _("Lovande, under utvärdering")
    EXPERIENCE = "experience", _("Beprövad erfarenhet")
    UNKNOWN = "unknown", _("Ej bedömd")


class Intervention(TenantModel, Versioned):
    """An intervention the municipality can offer or refer to. Holds no personal data:
    all staff of the municipality see the catalogue; administrators change it."""

    name = models.CharField(_("namn"), max_length=200)
    target = models.CharField(_("målgrupp"), max_length=20, choices=Target.choices)
    provider_kind = models.CharField(_("utförare"), max_length=20, choices=ProviderKind.choices)
    provider_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("utförande enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("För insatser som en enhet i kommunen utför."),
    )
    provider_name = models.CharField(
        _("extern utförare"),
        max_length=200,
        blank=True,
        help_text=_("Namn på organisationen, t.ex. Maskrosbarn."),
    )
    provider_contact = models.CharField(
        _("kontaktuppgifter"), max_length=300, blank=True, help_text=_("Telefon, e-post, webb.")
    )
    min_age = models.PositiveSmallIntegerField(_("från ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("till ålder"), null=True, blank=True)
    format = models.CharField(_("form"), max_length=20, choices=Format.choices)
    evidence_level = models.CharField(
        _("evidensläge"),
        max_length=20,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.UNKNOWN,
    )
    code = models.CharField(
        _("kod"), max_length=30, blank=True, help_text=_("KVÅ-liknande kod, fritext.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    is_example = models.BooleanField(
        _("exempel att anpassa"),
        default=False,
        help_text=_("Inlagt som exempel från kunskapsguiden: anpassa till kommunen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="intervention_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="intervention_age_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "target", "is_active"])]

    def __str__(self):
        return self.name

    @property
    def age_range(self):
        if self.min_age is None and self.max_age is None:
            return ""
        if self.max_age is None:
            return _("från %(min)s år") % {"min": self.min_age}
        if self.min_age is None:
            return _("till %(max)s år") % {"max": self.max_age}
        return _("%(min)s–%(max)s år") % {"min": self.min_age, "max": self.max_age}

    @property
    def provider(self):
        if self.provider_kind == ProviderKind.EXTERNAL:
            return self.provider_name
        return (
            str(self.provider_unit) if self.provider_unit_id else self.get_provider_kind_display()
        )


# The family plan ----------------------------------------------------------------------


class FamilyPlan(TenantModel, Versioned):
    """Familjeplan: one per family work. ``version`` rises on every change of the plan
    (its goals, interventions and follow-ups); each version is kept as a
    PlanRevision."""

    family_work = models.OneToOneField(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="plan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FamilyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjeplan")
        verbose_name_plural = _("familjeplaner")

    def __str__(self):
        return str(self.family_work)


class PlanRevision(TenantModel):
    """One saved version of a plan: what changed (``summary``) and the whole plan as it
    then was (``snapshot``: goals with their interventions and follow-ups)."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("sparad"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sparad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(_("ändring"), max_length=300)
    snapshot = models.JSONField(_("planen"), default=dict)

    objects = PlanRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version av familjeplan")
        verbose_name_plural = _("versioner av familjeplaner")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="planrevision_unique"),
        ]


class PlanGoal(TenantModel, Versioned):
    """A goal for one perspective of the family. ``perspective_key`` must be one of the
    family's perspectives when the goal is set; ``perspective_label`` keeps how it read
    then (a member may leave later)."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    perspective_key = models.CharField(_("perspektiv"), max_length=60)
    perspective_label = models.CharField(_("perspektiv"), max_length=300)
    text = models.TextField(_("mål"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlanGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.perspective_label}: {self.text[:60]}"


class PlanIntervention(TenantModel, Versioned):
    """A catalogue intervention in the plan, towards a goal, with the unit responsible
    for it (and optionally a worker) and its dates."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="interventions")
    goal = models.ForeignKey(
        PlanGoal, verbose_name=_("mål"), on_delete=models.PROTECT, related_name="interventions"
    )
    intervention = models.ForeignKey(
        Intervention, verbose_name=_("insats"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_on = models.DateField(_("startdatum"))
    end_on = models.DateField(_("slutdatum"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlanInterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats i familjeplan")
        verbose_name_plural = _("insatser i familjeplaner")
        ordering = ["start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="planintervention_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "responsible_unit"])]

    def __str__(self):
        return str(self.intervention)


class Outcome(models.TextChoices):
    MET = "met", _("Målet är uppnått")
    PARTLY = "partly", _("Målet är delvis uppnått")
    NOT_MET = "not_met", _("Målet är inte uppnått")


class PlanFollowUp(TenantModel, Versioned):
    """A follow-up of a plan intervention: open (in the work queues) until its outcome
    is recorded, with the day and a note."""

    plan_intervention = models.ForeignKey(
        PlanIntervention, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("följs upp"))
    outcome = models.CharField(_("resultat"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("uppföljt"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppföljt av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlanFollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="planfollowup_outcome_dated",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "outcome", "due_on"])]

    def __str__(self):
        return f"{self.plan_intervention}: {self.due_on}"

    @property
    def is_open(self):
        return not self.outcome


# Referrals ----------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Skickad")
    RECEIVED = "received", _("Mottagen")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Avböjd")
    STARTED = "started", _("Påbörjad")
    ENDED = "ended", _("Avslutad")


REFERRAL_TRANSITIONS = {
    ReferralStatus.SENT: [ReferralStatus.RECEIVED],
    ReferralStatus.RECEIVED: [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED],
    ReferralStatus.ACCEPTED: [ReferralStatus.STARTED],
    ReferralStatus.DECLINED: [],
    ReferralStatus.STARTED: [ReferralStatus.ENDED],
    ReferralStatus.ENDED: [],
}


class Referral(TenantModel, Versioned):
    """Remiss of a family member to another unit (``to_unit``) or an external provider
    (``external_provider``), sent by ``from_unit``. Sent only with the person's consent
    for purpose REFERRAL covering the receiver (``consent``: the one relied on). The
    receiving unit records the steps; for an external provider the sending unit
    records the provider's answers."""

    family_work = models.ForeignKey(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("gäller"), on_delete=models.PROTECT, related_name="+"
    )
    plan_intervention = models.ForeignKey(
        PlanIntervention,
        verbose_name=_("insats i planen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("insats"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("från enhet"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("till enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_provider = models.CharField(_("extern utförare"), max_length=200, blank=True)
    external_contact = models.CharField(_("kontaktuppgifter"), max_length=300, blank=True)
    reason = models.TextField(_("anledning och önskat stöd"))
    consent = models.ForeignKey(
        "family.Consent",
        verbose_name=_("samtycke"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("skickad"), default=timezone.localdate)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    status_changed_on = models.DateField(_("senaste steg"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_unit__isnull=False) & Q(external_provider=""))
                | (Q(to_unit__isnull=True) & ~Q(external_provider="")),
                name="referral_one_receiver",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "to_unit", "status"]),
            models.Index(fields=["municipality", "from_unit", "status"]),
        ]

    def __str__(self):
        return _("Remiss för %(person)s till %(to)s") % {"person": self.person, "to": self.receiver}

    @property
    def receiver(self):
        return str(self.to_unit) if self.to_unit_id else self.external_provider

    @property
    def is_external(self):
        return not self.to_unit_id

    def next_statuses(self):
        return REFERRAL_TRANSITIONS[ReferralStatus(self.status)]


class ReferralStep(TenantModel):
    """One step of a referral: its status, the day, who and from which unit."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices)
    on = models.DateField(_("datum"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("anteckning"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReferralStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("steg i remiss")
        verbose_name_plural = _("steg i remisser")
        ordering = ["on", "pk"]


# Placement ----------------------------------------------------------------------------


class PlacementKind(models.TextChoices):
    FAMILY_HOME = "family_home", _("Familjehem")
    HVB = "hvb", _("HVB (hem för vård eller boende)")
    OTHER = "other", _("Annan placering")


class Placement(TenantModel, Versioned):
    """A child's placement outside the home. Periods of the same child never overlap
    (checked by the service, for all family works)."""

    family_work = models.ForeignKey(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    child = models.ForeignKey(
        "people.Person", verbose_name=_("barn"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("placeringsform"), max_length=20, choices=PlacementKind.choices)
    place = models.CharField(
        _("placeringsställe"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. familjehemmets namn eller HVB-hemmet."),
    )
    responsible_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField(_("startdatum"))
    end_on = models.DateField(_("slutdatum"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="placement_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "child", "start_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.child}"


class ContactPlan(TenantModel, Versioned):
    """Planned contact (umgänge) between the placed child and one parent."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="contact_plans")
    parent = models.ForeignKey(
        "people.Person", verbose_name=_("förälder"), on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField(
        _("omfattning"), max_length=200, help_text=_("T.ex. varannan helg, en timme i veckan.")
    )
    arrangement = models.CharField(
        _("former"), max_length=300, blank=True, help_text=_("T.ex. med umgängesstöd.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContactPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("planerat umgänge")
        verbose_name_plural = _("planerade umgängen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "parent"], name="contactplan_unique"),
        ]

    def __str__(self):
        return f"{self.parent}: {self.frequency}"


class ContactStatus(models.TextChoices):
    HAPPENED = "happened", _("Genomfört")
    CANCELLED = "cancelled", _("Inställt")


class ContactEvent(TenantModel):
    """A recorded contact between the placed child and a parent."""

    contact_plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("datum"))
    status = models.CharField(_("utfall"), max_length=10, choices=ContactStatus.choices)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContactEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("umgängestillfälle")
        verbose_name_plural = _("umgängestillfällen")
        ordering = ["-on", "-pk"]
