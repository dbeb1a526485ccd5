"""Follow-up: the work queues ("Att göra") and the minimum-level indicator.

MinimumLevelMonth is a maintained rollup: per municipality, unit and month, the
children of parents with an open case, how many of them were attended by the end of
the month, expected children (counted on their own, not in the share), the adults with
an open case, and those whose child question was "unknown" or unanswered. It
holds counts, not personal data. It is filled by ``manage.py rollup_minimum_level``
(kinsight.followup.services.minimum_level_rollup); the current month is computed
live (kinsight.followup.minimum_level).

Who sees the figures (docs/permissions.md):
- unit managers: the units they manage (and everything under them);
- heads of services (IFO-chef / verksamhetsutvecklare): their subtree — for one at
  the administration or the board, the whole municipality;
- nobody else. Administrators run the system, not the follow-up; they get the
  figures by holding a head-of-services role like anyone else. The figures are
  aggregates (no personal data), so small counts are shown inside the municipality;
  suppression (< 5) is for regional sharing, not here.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import Role, TenantModel

DASHBOARD_ROLES = (Role.UNIT_MANAGER, Role.HEAD_OF_SERVICES)


def dashboard_units(user):
    """Ids of the organisation nodes whose figures ``user`` may see."""
    return user.units_with_role(*DASHBOARD_ROLES)


class MinimumLevelMonthQuerySet(TenantQuerySet):
    def _allow_view(self, user):
        units = dashboard_units(user)
        return self.filter(unit_id__in=units) if units else self.none()

    _allow_export = _allow_view


class MinimumLevelMonth(TenantModel):
    unit = fields.unit(on_delete=models.CASCADE)
    month = models.DateField(_("månad"), help_text=_("Månadens första dag."))
    children = models.PositiveIntegerField(_("barn"), default=0)
    attended = models.PositiveIntegerField(_("uppmärksammade"), default=0)
    unknown_parents = models.PositiveIntegerField(_("föräldrar med okänt svar"), default=0)
    unanswered_parents = models.PositiveIntegerField(_("föräldrar utan svar"), default=0)
    expected = models.PositiveIntegerField(_("väntade barn"), default=0)
    expected_attended = models.PositiveIntegerField(_("väntade barn uppmärksammade"), default=0)
    adults = models.PositiveIntegerField(_("vuxna med öppet ärende"), default=0)
    computed_at = models.DateTimeField(_("beräknad"), default=timezone.now)

    objects: ClassVar = MinimumLevelMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("miniminivå per månad")
        verbose_name_plural = _("miniminivå per månad")
        ordering = ["month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="minlevel_unique_unit_month"),
            models.CheckConstraint(
                condition=models.Q(attended__lte=models.F("children")),
                name="minlevel_attended_le_children",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "month"], name="minlevel_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}: {self.attended}/{self.children}"


# The annual report's models live beside its code; imported here so the app has them.
from kinsight.followup.annual.models import AnnualReport, AnnualReportText  # noqa: E402
from kinsight.followup.children_models import ChildRecordCount  # noqa: E402
from kinsight.followup.october_models import OctoberCount, OctoberRound  # noqa: E402

__all__ = [
    "AnnualReport",
    "AnnualReportText",
    "ChildRecordCount",
    "MinimumLevelMonth",
    "OctoberCount",
    "OctoberRound",
    "dashboard_units",
]
