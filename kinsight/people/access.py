"""Who may see and change a person (read with docs/permissions.md).

- Full view: the person has a case in one of the user's units (as case worker or unit
  manager), or was registered by one of those units (an explicit assignment: the unit
  that registers a person works with them before the case is opened).
- Limited view (the child question): the person is related as parent, child, guardian,
  partner or household member, through a relationship that has not ended, to a person
  the user sees in full. The user sees name, age and relation only, until a case widens
  it. Persons with protected identity are never visible this way.
- Change: the responsible worker of a case for the person, the unit manager of a unit
  with a case for the person or of the registering unit, and the user who registered
  the person.
- Break the glass (kinsight/people/emergency): a case worker or unit manager with an
  emergency access in force sees that person in full, read only (never "change"), and
  what hangs on the person (cases, notes, child records) through the case rule.
- Everything else, and every other municipality: nothing (404).
"""

from collections.abc import Collection
from typing import Any, Self

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kinsight.access.querysets import TenantQuerySet
from kinsight.audit.context import emergency_for
from kinsight.core.models import Role, User

WORK_ROLES = (Role.CASE_WORKER, Role.UNIT_MANAGER)


def _grants(units: Collection[int]) -> QuerySet[Any]:
    grant = apps.get_model("people", "PersonGrant")
    return grant.objects.filter(unit_id__in=units)


def person_full_q(user: User, field: str = "pk") -> Q:
    """The person in ``field`` is seen in full by ``user``: an indexed lookup in the
    kept grants (kinsight/people/grants.py), whatever the municipality's size."""
    from kinsight.people.models import FULL_REASONS

    units = user.units_with_role(*WORK_ROLES)
    if not units:
        return Q(pk__in=[])
    return Q(Exists(_grants(units).filter(person_id=OuterRef(field), reason__in=FULL_REASONS)))


def emergency_q(user: User, field: str = "pk") -> Q | None:
    """The person in ``field`` is one ``user`` sees through an emergency access in
    force (break the glass), or None when there is none: the rules of everyone else
    stay the same SQL. Read from the request's session (kinsight/people/emergency/
    live.py), so no query; only for the roles with casework."""
    persons = emergency_for(user.pk)
    if not persons or not user.units_with_role(*WORK_ROLES):
        return None
    return Q(**{f"{field}__in": sorted(persons)})


def with_emergency(user: User, rule: Q, field: str = "pk") -> Q:
    """``rule``, or the person in ``field`` is seen through an emergency access."""
    extra = emergency_q(user, field)
    return rule if extra is None else rule | extra


def person_visible_q(user: User, field: str = "pk") -> Q:
    """The person in ``field`` is seen by ``user``, in full or (never when protected)
    as the relative of a person seen in full, through a relationship not yet ended.

    Written as "among the persons the user's units hold a current grant for" (a
    semi-join the planner drives from the units' grants, read from the covering index,
    or a point lookup when the person is given), then "not protected, or seen in full"
    (evaluated only on those rows)."""
    from kinsight.people.models import PERSON_REASONS

    units = user.units_with_role(*WORK_ROLES)
    if not units:
        return Q(pk__in=[])
    today = timezone.localdate()
    # A family-work or consent grant shows the person's part of that work only.
    current = _grants(units).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), reason__in=PERSON_REASONS
    )
    seen = Q(**{f"{field}__in": current.values("person_id")})
    protected = "protected_identity" if field == "pk" else f"{field}__protected_identity"
    return seen & (Q(**{protected: False}) | person_full_q(user, field))


class PersonQuerySet(TenantQuerySet):
    """Who sees whom is kept as grants, written by the services that create the reason
    (a case, a registration, a family relationship): each rule below is an indexed
    EXISTS per person, not a set rebuilt from every case of the user's units."""

    def _full_q(self, user: User) -> Q:
        return with_emergency(user, person_full_q(user))

    def full_access(self, user: User) -> Self:
        """The persons ``user`` sees in full (a subset of visible_to(user, "view"))."""
        base = self.visible_to(user, "view")
        if not base.query.is_empty():
            base = base.filter(self._full_q(user))
        return base

    def _allow_view(self, user: User) -> Self:
        if not user.units_with_role(*WORK_ROLES):
            return self.none()
        return self.filter(with_emergency(user, person_visible_q(user)))

    def _allow_change(self, user: User) -> Self:
        managed = user.units_with_role(Role.UNIT_MANAGER)
        cases = (
            apps.get_model("cases", "Case")
            .objects.filter(municipality_id=OuterRef("municipality_id"), person_id=OuterRef("pk"))
            .filter(Q(responsible_id=user.pk) | Q(unit_id__in=managed))
        )
        rule = Q(Exists(cases)) | Q(registered_by_id=user.pk)
        if managed:
            rule |= Q(registered_unit_id__in=managed)
        return self.filter(rule)


class RelationshipQuerySet(TenantQuerySet):
    """A relationship is seen when both its persons are; changed by those who may
    change either person."""

    def _allow_view(self, user: User) -> Self:
        if not user.units_with_role(*WORK_ROLES):
            return self.none()
        return self.filter(
            person_visible_q(user, "from_person"), person_visible_q(user, "to_person")
        )

    def _allow_change(self, user: User) -> Self:
        from kinsight.people.models import Person

        changeable = Person.objects.visible_to(user, "change").values("pk")
        return self._allow_view(user).filter(
            Q(from_person_id__in=changeable) | Q(to_person_id__in=changeable)
        )
