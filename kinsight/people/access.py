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
    def _full_q(self, user):
        units = user.units_with_role(*WORK_ROLES)
        if not units:
            return Q(pk__in=[])
        cases = _case_model().objects.filter(
            municipality_id=user.municipality_id, unit_id__in=units
        )
        return Q(pk__in=cases.values("person_id")) | Q(registered_unit_id__in=units)

    def full_access(self, user):
        """The persons ``user`` sees in full (a subset of visible_to(user, "view"))."""
        base = self.visible_to(user, "view")
        if not base.query.is_empty():
            base = base.filter(self._full_q(user))
        return base

    def _allow_view(self, user):
        full = self._full_q(user)
        full_ids = self.model._default_manager.filter(
            full, municipality_id=user.municipality_id
        ).values("pk")
        today = timezone.localdate()
        from kinsight.people.models import FAMILY_KINDS

        relations = _relationship_model().objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            municipality_id=user.municipality_id,
            kind__in=FAMILY_KINDS,
        )
        related = Q(
            pk__in=relations.filter(from_person_id__in=full_ids).values("to_person_id")
        ) | Q(pk__in=relations.filter(to_person_id__in=full_ids).values("from_person_id"))
        return self.filter(full | (related & Q(protected_identity=False)))

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
