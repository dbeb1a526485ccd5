"""The October survey's kept rounds (see kinsight.followup.october_rounds).

A round (OctoberRound) is one census date counted for one set of unit types in a
municipality; its counts (OctoberCount) are per unit and per the survey's dimensions
(sex, age band, answer rank, expecting, living with), in persons. They hold counts, not
personal data: a person with surveyed cases in only one unit is one of the ``persons``
of an aggregate row (``person_group`` 0); a person with open surveyed cases in several
units is a numbered group (1, 2, …; numbered per round, no link to the person) with one
row per unit, so that a scope of any units counts them once, with the most telling
answer among the scope's units.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import TenantModel


class OctoberQuerySet(TenantQuerySet):
    def _allow_view(self, user):
        from kinsight.followup.models import dashboard_units

        return self if dashboard_units(user) else self.none()


class OctoberRound(TenantModel):
    census = models.DateField(_("mätdatum"))
    unit_types = models.CharField(_("enhetstyper"), max_length=200)
    computed_at = models.DateTimeField(_("beräknad"), default=timezone.now)

    objects: ClassVar = OctoberQuerySet.as_manager()

    class Meta:
        verbose_name = _("oktoberkartläggning (omgång)")
        verbose_name_plural = _("oktoberkartläggningar (omgångar)")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "census", "unit_types"], name="october_round_unique"
            )
        ]

    def __str__(self):
        return f"{self.census} {self.unit_types}"


class OctoberCount(TenantModel):
    round = models.ForeignKey(OctoberRound, on_delete=models.CASCADE, related_name="counts")
    unit = fields.unit(on_delete=models.CASCADE)
    sex = models.CharField(max_length=20, blank=True)
    band = models.CharField(max_length=10)
    rank = models.PositiveSmallIntegerField()
    expecting = models.PositiveSmallIntegerField()
    living = models.PositiveSmallIntegerField()
    person_group = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField()

    objects: ClassVar = OctoberQuerySet.as_manager()

    class Meta:
        verbose_name = _("oktoberkartläggning (antal)")
        verbose_name_plural = _("oktoberkartläggningar (antal)")
        indexes = [models.Index(fields=["round", "unit"], name="october_count_round_unit")]

    def __str__(self):
        return f"{self.round_id} {self.unit_id}: {self.persons}"
