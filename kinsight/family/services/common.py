"""What the family services share: the update of a row without a version, the
participant the actor acts through, the lock on one family work, and the checks of a
worker and of the parent roles. "A closed family work is read only" is in
kinsight.family.rules."""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from kinsight.audit.services import audit_updated, snapshot
from kinsight.cases.services import assignable_staff
from kinsight.core.models import OrgUnit, User
from kinsight.family import access
from kinsight.family.models import (
    PARENT_ROLES,
    FamilyRole,
    FamilyWork,
    Participant,
)

_M = TypeVar("_M", bound=Model)


def my_participant(actor: User, family_work: FamilyWork) -> Participant:
    """The participant through which ``actor`` acts in ``family_work`` (403 if none):
    the coordinator first, then by unit id."""
    found = (
        access.participations(actor)
        .filter(family_work_id=family_work.pk)
        .order_by("-is_coordinator", "pk")
        .select_related("unit")
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


def lock(family_work: FamilyWork) -> FamilyWork:
    """Serialise writes to one family work (members, participants, coordinator)."""
    return FamilyWork._base_manager.select_for_update().get(pk=family_work.pk)


def worker_errors(unit: OrgUnit, worker: User | None, field: str = "worker") -> dict[str, str]:
    """{field: message} when ``worker`` does not work in ``unit`` (none is fine)."""
    if worker is None or assignable_staff(unit).filter(pk=worker.pk).exists():
        return {}
    return {
        field: _("%(name)s arbetar inte i %(unit)s. Välj någon i enheten.")
        % {"name": worker, "unit": unit.name}
    }


def check_worker(unit: OrgUnit, worker: User | None, field: str = "worker") -> None:
    if errors := worker_errors(unit, worker, field):
        raise ValidationError(errors)


def check_roles(roles: Sequence[str]) -> None:
    for role in PARENT_ROLES:
        if roles.count(role) > 1:
            raise ValidationError(
                {
                    "members": _("Bara en person kan vara %(role)s.")
                    % {"role": FamilyRole(role).label.lower()}
                }
            )


def update_fields(actor: User, obj: _M, **values: Any) -> _M:
    """Set ``values`` on ``obj`` (a row without a version), save them and audit each
    as [before, after]."""
    fields = list(values)
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=fields)
    after = snapshot(obj, fields)
    return audit_updated(actor, obj, {name: [before[name], after[name]] for name in fields})
