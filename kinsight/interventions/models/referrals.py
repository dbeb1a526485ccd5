"""Referrals (remisser) and their steps."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.interventions.access import (
    ReferralQuerySet,
    ReferralStepQuerySet,
)
from kinsight.interventions.models.catalogue import Intervention
from kinsight.interventions.models.family_plan import PlanIntervention


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

    family_work = fields.reference(
        "family.FamilyWork", _("familjeärende"), on_delete=models.CASCADE, related_name="referrals"
    )
    person = fields.person(_("gäller"))
    plan_intervention = fields.reference(
        PlanIntervention,
        _("insats i planen"),
        optional=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    intervention = fields.reference(Intervention, _("insats"), optional=True)
    from_unit = fields.unit(_("från enhet"))
    to_unit = fields.unit(_("till enhet"), optional=True)
    external_provider = models.CharField(_("extern utförare"), max_length=200, blank=True)
    external_contact = models.CharField(_("kontaktuppgifter"), max_length=300, blank=True)
    reason = models.TextField(_("anledning och önskat stöd"))
    consent = fields.reference("family.Consent", _("samtycke"), editable=False)
    status = fields.choice(_("status"), ReferralStatus, max_length=10, default=ReferralStatus.SENT)
    sent_on = models.DateField(_("skickad"), default=timezone.localdate)
    sent_by = fields.staff(_("skickad av"), editable=False)
    status_changed_on = models.DateField(_("senaste steg"), default=timezone.localdate)
    created_at = fields.created_at()

    objects: ClassVar = ReferralQuerySet.as_manager()

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

    referral = fields.reference(Referral, on_delete=models.CASCADE, related_name="steps")
    status = fields.choice(_("status"), ReferralStatus, max_length=10)
    on = models.DateField(_("datum"))
    by = fields.staff(_("av"))
    unit = fields.unit()
    note = models.TextField(_("anteckning"), blank=True)
    created_at = fields.created_at()

    objects: ClassVar = ReferralStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("steg i remiss")
        verbose_name_plural = _("steg i remisser")
        ordering = ["on", "pk"]
