"""The family plan: versioned, every save a revision; goals, interventions, follow-ups."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.interventions.access import (
    FamilyPlanQuerySet,
    PlanFollowUpQuerySet,
    PlanGoalQuerySet,
    PlanInterventionQuerySet,
    PlanRevisionQuerySet,
)
from kinsight.interventions.models.catalogue import Intervention


class FamilyPlan(TenantModel, Versioned, fields.Created):
    """Familjeplan: one per family work. ``version`` rises on every change of the plan
    (its goals, interventions and follow-ups); each version is kept as a
    PlanRevision."""

    family_work = models.OneToOneField(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="plan",
    )
    updated_by = fields.staff(editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar = FamilyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjeplan")
        verbose_name_plural = _("familjeplaner")

    def __str__(self):
        return str(self.family_work)


class PlanRevision(TenantModel):
    """One saved version of a plan: what changed (``summary``) and the whole plan as it
    then was (``snapshot``: goals with their interventions and follow-ups)."""

    plan = fields.reference(FamilyPlan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("sparad"), default=timezone.now)
    saved_by = fields.staff(_("sparad av"))
    summary = models.CharField(_("ändring"), max_length=300)
    snapshot = models.JSONField(_("planen"), default=dict)

    objects: ClassVar = PlanRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version av familjeplan")
        verbose_name_plural = _("versioner av familjeplaner")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="planrevision_unique"),
        ]


class PlanGoal(TenantModel, Versioned, fields.Created):
    """A goal for one perspective of the family. ``perspective_key`` must be one of the
    family's perspectives when the goal is set; ``perspective_label`` keeps how it read
    then (a member may leave later)."""

    plan = fields.reference(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    perspective_key = models.CharField(_("perspektiv"), max_length=60)
    perspective_label = models.CharField(_("perspektiv"), max_length=300)
    text = models.TextField(_("mål"))

    objects: ClassVar = PlanGoalQuerySet.as_manager()

    # Set by queries.plan_overview: the goal's interventions the actor sees.
    items: list["PlanIntervention"]

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.perspective_label}: {self.text[:60]}"


class PlanIntervention(TenantModel, Versioned, fields.Created, fields.Period):
    """A catalogue intervention in the plan, towards a goal, with the unit responsible
    for it (and optionally a worker) and its dates."""

    plan = fields.reference(FamilyPlan, on_delete=models.CASCADE, related_name="interventions")
    goal = fields.reference(PlanGoal, _("mål"), related_name="interventions")
    intervention = fields.reference(Intervention, _("insats"))
    responsible_unit = fields.unit(_("ansvarig enhet"))
    responsible = fields.staff(_("ansvarig handläggare"), optional=True)
    note = models.TextField(_("anteckning"), blank=True)

    objects: ClassVar = PlanInterventionQuerySet.as_manager()

    class Meta(fields.Period.Meta):
        verbose_name = _("insats i familjeplan")
        verbose_name_plural = _("insatser i familjeplaner")
        ordering = ["start_on", "pk"]
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

    plan_intervention = fields.reference(
        PlanIntervention, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("följs upp"))
    outcome = fields.choice(_("resultat"), Outcome, max_length=10, blank=True)
    outcome_on = fields.optional_date(_("uppföljt"))
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = fields.staff(_("uppföljt av"), optional=True, editable=False)
    created_at = fields.created_at()

    objects: ClassVar = PlanFollowUpQuerySet.as_manager()

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
