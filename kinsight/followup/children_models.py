"""Children as next of kin, kept (kinsight.followup.children_kept): per unit, month the
child was identified, sex and age band then, the number of child records identified
(``step`` "identified", ``done`` null) and, per step (attended, assessed, offered
support), the number done in each month (``done``). Each step is a row of its own, not
a combination of the three months, so the rows grow with the units and months, not the
children. Counts, not personal data."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel
from kinsight.followup.october_models import OctoberQuerySet


class ChildRecordCount(TenantModel):
    unit = fields.unit(on_delete=models.CASCADE)
    month = models.DateField(_("månad"), help_text=_("Månaden barnet identifierades."))
    sex = models.CharField(max_length=20)
    band = models.CharField(max_length=8)
    step = models.CharField(max_length=12)
    done = models.DateField(null=True)
    records = models.PositiveIntegerField()
    computed_at = models.DateTimeField(_("beräknad"), default=timezone.now)

    objects: ClassVar = OctoberQuerySet.as_manager()

    class Meta:
        verbose_name = _("barn som anhöriga (antal)")
        verbose_name_plural = _("barn som anhöriga (antal)")
        indexes = [models.Index(fields=["municipality", "month"], name="child_count_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}: {self.records}"
