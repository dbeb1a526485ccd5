"""The emergency access: who broke the glass for whom, why, until when, and the log
reviewer's review of it. Registered with the people app by kinsight/people/models.py."""

import datetime
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import TenantModel, User


class EmergencyReason(models.TextChoices):
    CHILD_DANGER = "child_danger", _("Akut fara för ett barn")
    OUT_OF_HOURS = "out_of_hours", _("Akut ärende utanför kontorstid")
    OTHER = "other", _("Annat")


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Befogad")
    NOT_JUSTIFIED = "not_justified", _("Inte befogad")


class EmergencyAccessQuerySet(TenantQuerySet):
    """Seen by the user who opened it and by the log reviewers; reviewed (changed) by
    the log reviewers only."""

    def _allow_view(self, user: User) -> Self:
        return self if user.is_log_reviewer else self.filter(user_id=user.pk)

    def _allow_change(self, user: User) -> Self:
        return self if user.is_log_reviewer else self.none()

    def current(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(ends_at__gt=now or timezone.now())

    def to_review(self) -> Self:
        return self.filter(reviewed_at__isnull=True)


class EmergencyAccess(TenantModel):
    user = fields.staff(_("vem"), related_name="emergency_accesses")
    person = fields.person(_("person"))
    reason = fields.choice(_("skäl"), EmergencyReason)
    reason_text = models.TextField(_("beskrivning av skälet"))
    # The second step a protected identity needs (password again, the statement).
    protected_confirmed = models.BooleanField(_("skyddad identitet bekräftad"), default=False)
    started_at = models.DateTimeField(_("öppnad"), default=timezone.now, editable=False)
    # The last moment of sight: the setting's minutes after the start, or when ended early.
    ends_at = models.DateTimeField(_("gäller till"))
    ended_early = models.BooleanField(_("avslutad i förtid"), default=False)
    review_due_on = models.DateField(_("granskas senast"))
    outcome = fields.choice(_("bedömning"), ReviewOutcome, blank=True)
    review_comment = models.TextField(_("kommentar"), blank=True)
    reviewed_by = fields.staff(_("granskad av"), optional=True)
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)

    objects: ClassVar[Any] = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")
        indexes = [
            # The review queue: the open ones, oldest first.
            models.Index(
                fields=["municipality", "reviewed_at", "started_at"], name="emergency_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("started_at")), name="emergency_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.started_at:%Y-%m-%d %H:%M}"

    def is_current(self, now: datetime.datetime | None = None) -> bool:
        return self.ends_at > (now or timezone.now())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.reviewed_at is None and self.review_due_on < (today or timezone.localdate())
