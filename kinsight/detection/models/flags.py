"""Flags (markeringar) on a child record, each from a date until ended."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.detection.access import (
    ChildRecordPartQuerySet,
)
from kinsight.detection.models.child_records import ChildRecord


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

    record = fields.reference(
        ChildRecord, _("barn"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = fields.choice(_("markering"), FlagKind, max_length=30)
    noted_on = models.DateField(_("från"), default=timezone.localdate)
    ended_on = fields.optional_date(_("till"))
    noted_by = fields.staff(_("noterad av"))
    note = models.CharField(_("kort anteckning"), max_length=300, blank=True)
    created_at = fields.created_at()

    objects: ClassVar = ChildRecordPartQuerySet.as_manager()

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
            fields.not_before("ended_on", "noted_on", name="childflag_period_ordered"),
        ]
        indexes = [models.Index(fields=["municipality", "kind", "noted_on"], name="childflag_kind")]

    @property
    def is_current(self):
        return self.ended_on is None
