"""Who may see and change the joint assessment (read with docs/permissions.md and
kinsight/family/access.py, whose consent helpers these rules are built from).

- Assessment: seen like its family work by every participating unit (that it exists);
  it holds no personal data of its own.
- AssessmentPart, own: a part is written by its unit. The user's *own* parts are those
  of a unit through which the user currently takes part in the family work (case worker
  or unit manager of the participating unit, or its contact worker): always seen and
  changed.
- AssessmentPart, another unit's: seen (never changed) only when the person(s) of the
  perspective have a SHARING consent in force covering one of the user's participating
  units: the child or the parent for their perspectives; both persons for a parent in
  relation to a child and for the couple; every current member of the family for the
  family as a whole (``fully_shared_q``). Otherwise the part is not there (404).
- InstrumentResult: seen and changed with its part.
- Catalogues (protective factors, instruments): the shipped rows and the user's own
  municipality's rows are seen by all staff; administrators change their
  municipality's rows.

Consent is evaluated on every query: a withdrawal takes effect on the next request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from kinsight.access.querysets import TenantQuerySet
from kinsight.family.access import (
    fully_shared_q,
    participating_work_ids,
    participations,
    shared_q,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kinsight.core.models import User


def _model(app_model: str) -> Any:
    app, model = app_model.split(".")
    return apps.get_model(app, model)


def own_part_q(user: User, prefix: str = "") -> Q:
    """Q: the part's unit is one through which ``user`` currently takes part in the
    part's family work."""
    return Q(
        Exists(
            participations(user).filter(
                family_work_id=OuterRef(f"{prefix}family_work_id"),
                unit_id=OuterRef(f"{prefix}unit_id"),
            )
        )
    )


def perspective_shared_q(user: User) -> Q:
    """Q on AssessmentPart: the persons of the part's perspective have consent in force
    covering ``user`` (see the module docstring)."""
    one = shared_q(user, person_field="person")
    both = one & shared_q(user, person_field="other_person")
    return (
        (Q(kind__in=["child", "parent"]) & one)
        | (Q(kind__in=["parent_child", "couple"]) & both)
        | (Q(kind="family") & fully_shared_q(user))
    )


class AssessmentQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(family_work_id__in=participating_work_ids(user))

    def _allow_change(self, user: User) -> Self:
        # Adding a part: any participating unit may write its own part.
        return self._allow_view(user)


class AssessmentPartQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            own_part_q(user) | perspective_shared_q(user)
        )

    def _allow_change(self, user: User) -> Self:
        return self.filter(own_part_q(user))

    def _allow_export(self, user: User) -> Self:
        return self._allow_view(user)


class InstrumentResultQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        parts = _model("assessment.AssessmentPart").objects.visible_to(user, "view")
        return self.filter(part_id__in=parts.values("pk"))

    def _allow_change(self, user: User) -> Self:
        parts = _model("assessment.AssessmentPart").objects.visible_to(user, "change")
        return self.filter(part_id__in=parts.values("pk"))


class CatalogueQuerySet(TenantQuerySet):
    """Shipped rows (no municipality) and the user's municipality's rows."""

    def visible_to(self, user: User | AnonymousUser | None, action: str) -> Self:
        from kinsight.access.querysets import ACTIONS

        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if not (user and user.is_authenticated and user.is_active and user.municipality_id):
            return self.none()
        if action == "view":
            return self.filter(
                Q(municipality__isnull=True) | Q(municipality_id=user.municipality_id)
            )
        if action == "change" and user.is_administrator:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()

    def active(self) -> Self:
        return self.filter(is_active=True)
