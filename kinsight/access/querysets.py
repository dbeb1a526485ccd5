"""The one way to read records: ``Model.objects.visible_to(user, action)``.

Deny by default: an anonymous or inactive user, a user without a municipality, or an
action the model does not name sees nothing. Every query is narrowed to the user's
municipality first, so no rule written later can leak another tenant's rows.

A model opts in to an action by defining ``_allow_<action>(self, user)`` on its
queryset, returning the rows the user may act on (``self`` for all of the tenant's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

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


class RoleQuerySet(TenantQuerySet):
    """Rows that only the holders of one municipality-wide role reach, for the actions
    named: ``role`` is the ``User`` property that admits (``is_administrator``,
    ``is_log_reviewer``), ``actions`` what it admits to, ``everyone`` what every member
    of staff of the municipality may do. Any other action has no rule, so nobody.
    Said once for the configuration, retention, import and log models that share the
    shape (docs/permissions.md), instead of a copy of the same rule in each app."""

    role: ClassVar[str] = "is_administrator"
    actions: ClassVar[tuple[str, ...]] = ()
    everyone: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for action in cls.actions:
            setattr(cls, f"_allow_{action}", cls._role_holders)
        for action in cls.everyone:
            setattr(cls, f"_allow_{action}", cls._all_staff)

    def _role_holders(self, user: User) -> Self:
        return self if getattr(user, self.role) else self.none()

    def _all_staff(self, user: User) -> Self:
        return self


class AdministeredQuerySet(RoleQuerySet):
    """The organisation's own records (its units, its staff, their roles): every member
    of staff of the municipality sees them (to find and assign a colleague), only its
    administrators change them (docs/permissions.md)."""

    everyone = ("view",)
    actions: ClassVar[tuple[str, ...]] = ("change",)  # InterventionQuerySet adds create
