"""Follow-up tasks: decisions and follow-ups with a due date."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import TenantModel, Versioned
from kinsight.family.access import FollowUpTaskQuerySet
from kinsight.family.models.meetings import FamilyMeeting
from kinsight.family.models.work import family_work_field


class FollowUpTask(TenantModel, Versioned):
    """A decision or follow-up of the family work (usually from a meeting) with a due
    date and a responsible unit (and worker). Open while ``done_on`` is empty; the work
    queues list open tasks by ``due_on``."""

    family_work = family_work_field("tasks")
    meeting = models.ForeignKey(
        FamilyMeeting,
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField(_("uppgift"), max_length=200)
    decision = models.TextField(_("beslut"), blank=True)
    due_on = models.DateField(_("klart senast"))
    responsible_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_tasks",
    )
    done_on = models.DateField(_("klar"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("klarmarkerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    outcome = models.TextField(_("resultat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljningsuppgift")
        verbose_name_plural = _("uppföljningsuppgifter")
        ordering = ["done_on", "due_on", "pk"]
        indexes = [
            models.Index(fields=["municipality", "responsible", "done_on", "due_on"]),
            models.Index(fields=["municipality", "responsible_unit", "done_on", "due_on"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_on is not None
