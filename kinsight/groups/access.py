"""Who may see and change support groups (read with docs/permissions.md).

- Providers, programmes, grants and the leader registry hold no personal data about
  clients: every member of staff of the municipality sees them (to refer, to find a
  group); administrators and heads of services change them.
- A cycle is seen by its leaders and by administrators and heads of services (dates,
  venue, leaders: no participant). Its leaders change it.
- Participants, sessions' attendance and measurements are personal data: only the
  cycle's leaders see and change them. A leader employed by an NGO is a member of staff
  with the group leader role and nothing else, so they see their own cycles and nothing
  else in the municipality. Heads of services read the effect and reach as aggregates,
  never a participant row.
"""

from __future__ import annotations

from typing import Self

from kinsight.access.querysets import TenantQuerySet
from kinsight.core.models import Role, User

LEADING_ROLES = (Role.HEAD_OF_SERVICES,)


def leads_groups(user: User) -> bool:
    """Administrators and heads of services keep the catalogue and plan cycles."""
    return user.is_administrator or bool(user.units_with_role(*LEADING_ROLES))


class CatalogueQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self

    def _allow_change(self, user: User) -> Self:
        return self if leads_groups(user) else self.none()

    _allow_create = _allow_change


class CycleQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self if leads_groups(user) else self.filter(leaders=user.pk)

    _allow_change = _allow_view

    def _allow_create(self, user: User) -> Self:
        return self if leads_groups(user) else self.none()


class CyclePartQuerySet(TenantQuerySet):
    """Participants, sessions, attendance, measurements: the cycle's leaders only."""

    cycle_path = "cycle"

    def _allow_view(self, user: User) -> Self:
        return self.filter(**{f"{self.cycle_path}__leaders": user.pk})

    _allow_change = _allow_view
    _allow_create = _allow_view


class AttendanceQuerySet(CyclePartQuerySet):
    cycle_path = "session__cycle"


class MeasurementQuerySet(CyclePartQuerySet):
    cycle_path = "participant__cycle"
