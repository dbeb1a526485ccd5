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
- Everything else, and every other municipality: nothing (404).
"""

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from kinsight.access.querysets import TenantQuerySet
from kinsight.core.models import Role

WORK_ROLES = (Role.CASE_WORKER, Role.UNIT_MANAGER)


def _case_model():
    return apps.get_model("cases", "Case")


def _relationship_model():
    return apps.get_model("people", "Relationship")


class PersonQuerySet(TenantQuerySet):
    """Rules are written as ``pk IN (small id sets joined by UNION)``: the database
    then looks persons up by key instead of testing every row against several
    subqueries (an OR of IN-subqueries scans the whole person table)."""

    def _full_ids(self, user):
        """Ids of the persons ``user`` sees in full, as a subquery (None: nobody)."""
        units = user.units_with_role(*WORK_ROLES)
        if not units:
            return None
        by_case = (
            _case_model()
            .objects.filter(municipality_id=user.municipality_id, unit_id__in=units)
            .values("person_id")
            .order_by()
        )
        registered = (
            self.model._default_manager.filter(
                municipality_id=user.municipality_id, registered_unit_id__in=units
            )
            .values("pk")
            .order_by()
        )
        return by_case.union(registered)

    def _full_q(self, user):
        full_ids = self._full_ids(user)
        return Q(pk__in=[]) if full_ids is None else Q(pk__in=full_ids)

    def full_access(self, user):
        """The persons ``user`` sees in full (a subset of visible_to(user, "view"))."""
        base = self.visible_to(user, "view")
        if not base.query.is_empty():
            base = base.filter(self._full_q(user))
        return base

    def _allow_view(self, user):
        full_ids = self._full_ids(user)
        if full_ids is None:
            return self.none()
        from kinsight.people.models import FAMILY_KINDS

        today = timezone.localdate()
        relations = (
            _relationship_model()
            .objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
                municipality_id=user.municipality_id,
                kind__in=FAMILY_KINDS,
            )
            .order_by()
        )
        related_ids = (
            relations.filter(from_person_id__in=full_ids)
            .values("to_person_id")
            .union(relations.filter(to_person_id__in=full_ids).values("from_person_id"))
        )
        # Related persons are seen for the child question, never when protected.
        related_unprotected = (
            self.model._default_manager.filter(pk__in=related_ids, protected_identity=False)
            .values("pk")
            .order_by()
        )
        return self.filter(pk__in=full_ids.union(related_unprotected))

    def _allow_change(self, user):
        managed = user.units_with_role(Role.UNIT_MANAGER)
        cases = (
            _case_model()
            .objects.filter(municipality_id=user.municipality_id)
            .filter(Q(responsible_id=user.pk) | Q(unit_id__in=managed))
        )
        rule = Q(pk__in=cases.values("person_id")) | Q(registered_by_id=user.pk)
        if managed:
            rule |= Q(registered_unit_id__in=managed)
        return self.filter(rule)


class RelationshipQuerySet(TenantQuerySet):
    """A relationship is seen when both its persons are; changed by those who may
    change either person."""

    def _allow_view(self, user):
        from kinsight.people.models import Person

        visible = Person.objects.visible_to(user, "view").values("pk")
        return self.filter(from_person_id__in=visible, to_person_id__in=visible)

    def _allow_change(self, user):
        from kinsight.people.models import Person

        changeable = Person.objects.visible_to(user, "change").values("pk")
        return self._allow_view(user).filter(
            Q(from_person_id__in=changeable) | Q(to_person_id__in=changeable)
        )
