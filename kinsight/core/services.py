"""Writes to the organisation and staff. Every function takes the acting user, checks
that they may act, validates, writes and audits in one transaction."""

import datetime
from collections.abc import Collection, Mapping
from typing import Any, Generic, NotRequired, TypedDict, TypeVar, Unpack

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kinsight.access import roles
from kinsight.access.rules import municipality_id_of, require, require_administrator
from kinsight.accounts.services import logout_everywhere
from kinsight.audit.models import AuditAction, AuditChainHead
from kinsight.audit.services import audit_created, audit_record, audit_updated, diff, snapshot
from kinsight.core.models import Membership, Municipality, OrgUnit, User
from kinsight.core.versioning import (  # noqa: F401 - re-exported for the apps
    StaleEdit,
    VersionMissing,
    save_versioned,
)

_M = TypeVar("_M", bound=models.Model)


def _stored(obj: _M) -> _M:
    """The row as the database has it (a bound form may have changed ``obj`` already)."""
    return type(obj)._base_manager.get(pk=obj.pk)


def create_audited(
    actor: User,
    model: type[_M],
    audited: Collection[str],
    /,
    *,
    clean: bool = False,
    extra: Mapping[str, Any] | None = None,
    **values: Any,
) -> _M:
    """A new ``model`` row of ``values`` in the actor's municipality, validated
    (``clean``: full_clean), saved and its creation audited (each of ``audited``, and
    each ``extra`` value, as [None, value]). Call inside the service's transaction."""
    obj = model(municipality_id=municipality_id_of(actor), **values)
    if clean:
        obj.full_clean()
    obj.save()
    return audit_created(actor, obj, audited, **(extra or {}))


def delete_audited(actor: User, obj: models.Model, audited: Collection[str]) -> None:
    """Delete ``obj``, audited first: each of ``audited`` as [value, None]. Call inside
    the service's transaction."""
    changes = {name: [value, None] for name, value in snapshot(obj, audited).items()}
    audit_record(actor=actor, action=AuditAction.DELETE, obj=obj, changes=changes)
    obj.delete()


def save_changes(
    obj: _M,
    values: Mapping[str, Any],
    /,
    *,
    expected_version: int | None,
    audited: Collection[str] | None = None,
    stored: _M | None = None,
    clean: bool = False,
) -> dict[str, list[Any]]:
    """Set ``values`` on ``obj``, validate it (``clean``: full_clean) and save them if
    the row still has ``expected_version``. Returns the change of ``audited`` (by
    default the fields saved) as {field: [before, after]}, before as ``stored`` has
    it (read now when not given: ``obj`` may have been changed already)."""
    audited = list(values) if audited is None else audited
    before = snapshot(stored if stored is not None else _stored(obj), audited)
    for name, value in values.items():
        setattr(obj, name, value)
    if clean:
        obj.full_clean()
    save_versioned(obj, expected_version=expected_version, fields=list(values))
    return diff(before, snapshot(obj, audited))


class ChangeOptions(TypedDict, Generic[_M]):
    """The options of ``save_changes``, said once for it and ``update_audited`` (which
    passes them on as they are)."""

    expected_version: int | None
    audited: NotRequired[Collection[str] | None]
    stored: NotRequired[_M | None]
    clean: NotRequired[bool]


def update_audited(
    actor: User, obj: _M, values: Mapping[str, Any], /, **options: Unpack[ChangeOptions[_M]]
) -> _M:
    """An update the one way: ``save_changes`` and its audit row (UPDATE, the changed
    fields of ``audited`` as [before, after]). Call inside the service's transaction."""
    return audit_updated(actor, obj, save_changes(obj, values, **options))


def municipality_create(*, name: str, code: str, is_demo: bool = False) -> Municipality:
    """A new tenant with an empty audit chain (used by setup commands, not the UI)."""
    with transaction.atomic():
        municipality = Municipality.objects.create(name=name, code=code, is_demo=is_demo)
        AuditChainHead.objects.create(municipality=municipality)
        return municipality


UNIT_FIELDS = ["parent", "kind", "unit_type", "name", "is_active"]


def org_unit_create(
    *, actor: User, parent: OrgUnit | None, kind: str, name: str, unit_type: str = ""
) -> OrgUnit:
    require_administrator(actor)
    if parent is not None and parent.municipality_id != actor.municipality_id:
        raise ValidationError({"parent": _("Välj en enhet i din egen kommun.")})
    with transaction.atomic():
        return create_audited(
            actor,
            OrgUnit,
            UNIT_FIELDS,
            clean=True,
            parent=parent,
            kind=kind,
            unit_type=unit_type or "",
            name=name,
        )


def org_unit_update(
    *, actor: User, unit: OrgUnit, expected_version: int | None, data: Mapping[str, Any]
) -> OrgUnit:
    require(OrgUnit.objects.visible_to(actor, "change"), unit)
    with transaction.atomic():
        if data.get("parent") is not None:
            _refuse_cycle(unit, data["parent"])
        if not data.get("is_active", True) and unit.memberships.current().exists():
            raise ValidationError(
                {"is_active": _("Enheten har personal med aktiva roller. Avsluta rollerna först.")}
            )
        return update_audited(
            actor,
            unit,
            {name: data[name] for name in UNIT_FIELDS},
            expected_version=expected_version,
            clean=True,
        )


def _refuse_cycle(unit: OrgUnit, new_parent: OrgUnit | None) -> None:
    node = new_parent
    while node is not None:
        if node.pk == unit.pk:
            raise ValidationError(
                {"parent": _("En enhet kan inte ingå i sig själv eller sina underenheter.")}
            )
        node = node.parent


STAFF_FIELDS = ["username", "first_name", "last_name", "email", "title", "is_active"]


def staff_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    title: str = "",
    password: str,
) -> User:
    require_administrator(actor)
    with transaction.atomic():
        # Created the one way; the password goes in hashed, as set_password hashes it.
        return create_audited(
            actor,
            User,
            STAFF_FIELDS,
            clean=True,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            title=title,
            password=make_password(password),
        )


def staff_update(
    *, actor: User, user: User, expected_version: int | None, data: Mapping[str, Any]
) -> User:
    require(User.objects.visible_to(actor, "change"), user)
    if user.pk == actor.pk and not data.get("is_active", True):
        raise ValidationError({"is_active": _("Du kan inte inaktivera ditt eget konto.")})
    with transaction.atomic():
        stored = _stored(user)
        update_audited(
            actor,
            user,
            {name: data[name] for name in STAFF_FIELDS},
            expected_version=expected_version,
            stored=stored,
            clean=True,
        )
        if stored.is_active and not user.is_active:
            logout_everywhere(user=user)
        return user


def membership_add(
    *,
    actor: User,
    user: User,
    unit: OrgUnit,
    role: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Membership:
    require(User.objects.visible_to(actor, "change"), user)
    with transaction.atomic():
        if unit.municipality_id != actor.municipality_id:
            raise ValidationError({"unit": _("Välj en enhet i din egen kommun.")})
        if Membership.objects.filter(user=user, unit=unit, role=role).exists():
            raise ValidationError({"role": _("Personen har redan den rollen i enheten.")})
        membership = create_audited(
            actor,
            Membership,
            ["user", "unit", "role", "valid_from", "valid_to"],
            clean=True,
            user=user,
            unit=unit,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        roles.forget(user)
        return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    require(Membership.objects.visible_to(actor, "change"), membership)
    with transaction.atomic():
        delete_audited(actor, membership, ["user", "unit", "role"])
