"""Writes to relationships, and relatives added from a person's page
(kinsight/people/services/__init__.py tells the whole)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.services import audit_created, audit_updated
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import delete_audited, save_changes
from kinsight.people.access import WORK_ROLES
from kinsight.people.grants import (
    grant_relationship,
    grant_relationship_ended,
)
from kinsight.people.identifiers import format_identifier
from kinsight.people.models import (
    FULL_REASONS,
    LIVES_WITH_KINDS,
    SYMMETRIC_KINDS,
    Person,
    PersonGrant,
    RelationKind,
    Relationship,
)
from kinsight.people.services.persons import (
    DuplicateIdentifier,
    _records_identifier_probes,
    person_register,
)

RELATIONSHIP_FIELDS = ["from_person", "to_person", "kind", "valid_from", "valid_to"]


def _overlaps(
    a_from: datetime.date | None,
    a_to: datetime.date | None,
    b_from: datetime.date | None,
    b_to: datetime.date | None,
) -> bool:
    low = datetime.date.min
    high = datetime.date.max
    return (a_from or low) <= (b_to or high) and (b_from or low) <= (a_to or high)


def _ancestors(person_id: int, municipality_id: int) -> set[int]:
    """Ids of the person's parents, their parents and so on (one query per generation)."""
    found: set[int] = set()
    frontier = {person_id}
    while frontier:
        parents = set(
            Relationship._base_manager.filter(
                municipality_id=municipality_id,
                kind=RelationKind.PARENT,
                to_person_id__in=frontier,
            ).values_list("from_person_id", flat=True)
        )
        frontier = parents - found
        found |= parents
    return found


def _validate_relationship(rel: Relationship) -> None:
    label = rel.get_kind_display().lower()
    if rel.from_person_id == rel.to_person_id:
        raise ValidationError(
            {"to_person": _("En person kan inte ha en relation till sig själv. Välj en annan.")}
        )
    if rel.valid_from and rel.valid_to and rel.valid_to < rel.valid_from:
        raise ValidationError({"valid_to": _("Slutdatum kan inte vara före startdatum.")})
    if rel.from_person.municipality_id != rel.to_person.municipality_id:
        raise ValidationError({"to_person": _("Välj en person i din egen kommun.")})
    same_pair = Relationship._base_manager.filter(
        municipality_id=rel.municipality_id, kind=rel.kind
    ).filter(
        Q(from_person_id=rel.from_person_id, to_person_id=rel.to_person_id)
        | (
            Q(from_person_id=rel.to_person_id, to_person_id=rel.from_person_id)
            if rel.kind in SYMMETRIC_KINDS
            else Q(pk__in=[])
        )
    )
    if rel.pk:
        same_pair = same_pair.exclude(pk=rel.pk)
    for other in same_pair:
        if _overlaps(rel.valid_from, rel.valid_to, other.valid_from, other.valid_to):
            raise ValidationError(
                {
                    "kind": _("Relationen %(label)s finns redan under den perioden.")
                    % {"label": label}
                }
            )
    if rel.kind == RelationKind.PARENT:
        if rel.to_person_id in _ancestors(rel.from_person_id, rel.municipality_id):
            raise ValidationError(
                {
                    "to_person": _(
                        "%(child)s är redan förälder eller mor-/farförälder till %(parent)s. "
                        "En person kan inte bli sin egen förälder eller förfader."
                    )
                    % {"child": rel.to_person.full_name, "parent": rel.from_person.full_name}
                }
            )
        reverse_parent = Relationship._base_manager.filter(
            municipality_id=rel.municipality_id,
            kind__in=[RelationKind.PARTNER, RelationKind.SIBLING],
        ).filter(
            Q(from_person_id=rel.from_person_id, to_person_id=rel.to_person_id)
            | Q(from_person_id=rel.to_person_id, to_person_id=rel.from_person_id)
        )
        if reverse_parent.exists():
            raise ValidationError(
                {"kind": _("Personerna är redan registrerade som partner eller syskon.")}
            )
    if rel.kind in LIVES_WITH_KINDS:
        others = Relationship._base_manager.filter(
            municipality_id=rel.municipality_id,
            kind__in=LIVES_WITH_KINDS,
            from_person_id=rel.from_person_id,
            to_person_id=rel.to_person_id,
        )
        if rel.pk:
            others = others.exclude(pk=rel.pk)
        for other in others:
            if _overlaps(rel.valid_from, rel.valid_to, other.valid_from, other.valid_to):
                raise ValidationError(
                    {
                        "valid_from": _(
                            "%(person)s bor redan hos %(other)s (%(kind)s) under en del av "
                            "den perioden, %(start)s – %(end)s. Avsluta den perioden först "
                            "eller välj datum som inte överlappar."
                        )
                        % {
                            "person": rel.from_person.full_name,
                            "other": rel.to_person.full_name,
                            "kind": other.get_kind_display().lower(),
                            "start": other.valid_from or "…",
                            "end": other.valid_to or "…",
                        }
                    }
                )


def relationship_add(
    *,
    actor: User,
    from_person: Person,
    to_person: Person,
    kind: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Relationship:
    """``from_person`` is <kind> of ``to_person`` (e.g. parent of, lives with)."""
    visible = Person.objects.visible_to(actor, "view")
    changeable = Person.objects.visible_to(actor, "change")
    for person in (from_person, to_person):
        require(visible, person)
    if not changeable.filter(pk__in=[from_person.pk, to_person.pk]).exists():
        raise PermissionDenied
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Välj en relation i listan.")})
    rel = Relationship(
        municipality_id=municipality_id_of(actor),
        from_person=from_person,
        to_person=to_person,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    with transaction.atomic():
        _validate_relationship(rel)
        rel.full_clean(validate_constraints=False)
        rel.save()
        grant_relationship(rel)
        return audit_created(actor, rel, RELATIONSHIP_FIELDS)


def relationship_end(
    *,
    actor: User,
    relationship: Relationship,
    valid_to: datetime.date | None,
    expected_version: int | None,
) -> Relationship:
    require(Relationship.objects.visible_to(actor, "change"), relationship)
    with transaction.atomic():
        relationship.valid_to = valid_to
        _validate_relationship(relationship)
        changes = save_changes(
            relationship,
            {"valid_to": valid_to},
            expected_version=expected_version,
            audited=RELATIONSHIP_FIELDS,
        )
        grant_relationship_ended(relationship)
        return audit_updated(actor, relationship, changes)


def relationship_remove(*, actor: User, relationship: Relationship) -> None:
    """Remove a relationship registered by mistake (an ended one is ended, not removed)."""
    require(Relationship.objects.visible_to(actor, "change"), relationship)
    with transaction.atomic():
        delete_audited(actor, relationship, RELATIONSHIP_FIELDS)


def display_identifier(person: Person) -> str:
    return format_identifier(person.identifier_kind, person.identifier)


def _working_unit(actor: User, person: Person) -> OrgUnit:
    """The actor's unit through which they see ``person`` in full (for registering
    relatives from the person's page): the registering unit first, else the unit of
    the latest case, read from the kept grants."""
    grant = (
        PersonGrant.objects.filter(
            person=person, unit_id__in=actor.units_with_role(*WORK_ROLES), reason__in=FULL_REASONS
        )
        .select_related("unit")
        .order_by("-reason", "-granted_at", "-pk")  # "registered" sorts after "case"
        .first()
    )
    if grant is None:
        raise PermissionDenied
    return grant.unit


@_records_identifier_probes
def person_add_relative(
    *,
    actor: User,
    person: Person,
    relation: str,
    guardian: bool = False,
    living: str = "",
    valid_from: datetime.date | None = None,
    **new_person: Any,
) -> Person:
    """Register a relative of ``person`` (or link the existing one with the same number,
    if the actor may see them) and add the relationships, all or nothing.
    ``relation`` is the relative's role: child, parent, partner, sibling, household."""
    require(Person.objects.visible_to(actor, "change"), person)
    unit = _working_unit(actor, person)
    with transaction.atomic():
        try:
            relative = person_register(actor=actor, unit=unit, **new_person)
        except DuplicateIdentifier as duplicate:
            if duplicate.existing is None:
                raise
            relative = duplicate.existing
        if relation in ("child", "parent"):
            parent, child = (person, relative) if relation == "child" else (relative, person)
            links = [
                (parent, child, "parent"),
                (parent, child, "guardian" if guardian else ""),
                (child, parent, living),
            ]
        elif relation in ("partner", "sibling"):
            links = [(person, relative, relation)]
        elif relation == "household":
            links = [(relative, person, "household")]
        else:
            raise ValidationError({"relation": _("Välj en relation i listan.")})
        for from_person, to_person, kind in links:
            if kind:  # no guardianship or living arrangement given: none added
                relationship_add(
                    actor=actor,
                    from_person=from_person,
                    to_person=to_person,
                    kind=kind,
                    valid_from=valid_from,
                )
        return relative
