"""Follow-up tasks: decisions and follow-ups with a due date."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.family.access import FollowUpTaskQuerySet
from kinsight.family.models.meetings import FamilyMeeting
from kinsight.family.models.work import family_work_field


class FollowUpTask(TenantModel, Versioned, fields.Created):
    """A decision or follow-up of the family work (usually from a meeting) with a due
    date and a responsible unit (and worker). Open while ``done_on`` is empty; the work
    queues list open tasks by ``due_on``."""

    family_work = family_work_field("tasks")
    meeting = fields.reference(
        FamilyMeeting, _("möte"), optional=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("uppgift"), max_length=200)
    decision = models.TextField(_("beslut"), blank=True)
    due_on = models.DateField(_("klart senast"))
    responsible_unit = fields.unit(_("ansvarig enhet"))
    responsible = fields.staff(_("ansvarig"), optional=True, related_name="family_tasks")
    done_on = fields.optional_date(_("klar"))
    done_by = fields.staff(_("klarmarkerad av"), optional=True, editable=False)
    outcome = models.TextField(_("resultat"), blank=True)

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
