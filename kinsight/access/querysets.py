"""The one way to read records: ``Model.objects.visible_to(user, action)``.

Deny by default: an anonymous or inactive user, a user without a municipality, or an
action the model does not name sees nothing. Every query is narrowed to the user's
municipality first, so no rule written later can leak another tenant's rows.

A model opts in to an action by defining ``_allow_<action>(self, user)`` on its
queryset, returning the rows the user may act on (``self`` for all of the tenant's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kinsight.core.models import User

ACTIONS = ("view", "change", "create", "delete", "export")


class TenantQuerySet(models.QuerySet[Any]):
    tenant_field = "municipality_id"

    def visible_to(self, user: User | AnonymousUser | None, action: str) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if not (user and user.is_authenticated and user.is_active and user.municipality_id):
            return self.none()
        rule = getattr(self, f"_allow_{action}", None)
        if rule is None:
            return self.none()
        return rule(user).filter(**{self.tenant_field: user.municipality_id})


class AdministeredQuerySet(TenantQuerySet):
    """The organisation's own records (its units, its staff, their roles): every member
    of staff of the municipality sees them (to find and assign a colleague), only its
    administrators change them (docs/permissions.md). Said once for the models that
    share the rule."""

    def _allow_view(self, user: User) -> Self:
        return self

    def _allow_change(self, user: User) -> Self:
        return self if user.is_administrator else self.none()
