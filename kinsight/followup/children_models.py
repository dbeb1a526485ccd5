"""Children as next of kin, kept (kinsight.followup.children_kept): per unit, month the
child was identified, sex and age then, and the months the child was attended, assessed
and offered support (none yet: null), the number of child records. Counts, not
personal data."""

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
    age = models.PositiveSmallIntegerField()
    attended = models.DateField(null=True)
    assessed = models.DateField(null=True)
    offered = models.DateField(null=True)
    records = models.PositiveIntegerField()
    computed_at = models.DateTimeField(_("beräknad"), default=timezone.now)

    objects: ClassVar = OctoberQuerySet.as_manager()

    class Meta:
        verbose_name = _("barn som anhöriga (antal)")
        verbose_name_plural = _("barn som anhöriga (antal)")
        indexes = [models.Index(fields=["municipality", "month"], name="child_count_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}: {self.records}"
