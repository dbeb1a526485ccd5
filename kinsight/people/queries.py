"""Reads of persons and relationships, each starting from visible_to(user, action)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kinsight.access.rules import get_for
from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.audit.services import audit_read, audit_read_many, audit_record
from kinsight.core.models import Role, User
from kinsight.people.access import WORK_ROLES
from kinsight.people.identifiers import (
    IdentifierKind,
    looks_like_identifier,
    parse_identifier,
    search_forms,
)
from kinsight.people.models import OTHER_ROLE_LABELS, Person, Relationship, normalise_name

PERSON_TYPE = "people.person"

_Q = TypeVar("_Q", bound=QuerySet[Person])


def _with_full_flag(queryset: _Q, actor: User) -> _Q:
    """Annotate ``has_full_access`` on rows already narrowed by visible_to."""
    if queryset.query.is_empty():
        return queryset
    full = Person.objects.all()._full_q(actor)
    return queryset.annotate(has_full_access=ExpressionWrapper(full, output_field=BooleanField()))


def person_search(*, actor: User, q: str = "", identifier: str = "") -> QuerySet[Person]:
    """Persons the actor may see, matching a name (partial, case- and accent-
    insensitive) or a number (personnummer, samordningsnummer, reserve number).
    Each row carries ``has_full_access``; the caller pages the result."""
    persons = Person.objects.visible_to(actor, "view")
    text = (q or "").strip()
    if identifier:
        text = identifier
    if text and (identifier or looks_like_identifier(text)):
        values = search_forms(text, municipality=actor.municipality)
        persons = persons.filter(identifier__in=values) if values else persons.none()
    elif text:
        for word in normalise_name(text).split():
            persons = persons.filter(search_name__contains=word)
    return _with_full_flag(persons, actor).order_by("last_name", "first_name", "pk")


def audit_list(
    *, actor: User, objects: Iterable[Model], object_type: str = PERSON_TYPE
) -> AuditEntry | None:
    """One audit row for a page of a list (nothing if the page is empty)."""
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


@dataclass
class PersonView:
    person: Person
    full: bool
    can_change: bool
    family: list["FamilyMember"] = field(default_factory=list)
    links: list["FamilyMember"] = field(default_factory=list)  # for limited: to full persons


@dataclass
class FamilyMember:
    relationship: Relationship
    other: Person
    role_label: str
    current: bool


def _family(actor: User, person: Person) -> list[FamilyMember]:
    relations = (
        Relationship.objects.visible_to(actor, "view")
        .filter(Q(from_person=person) | Q(to_person=person))
        .select_related("from_person", "to_person")
        .order_by("kind", "pk")
    )
    members: list[FamilyMember] = []
    for rel in relations:
        if rel.from_person_id == person.pk:
            other, end = rel.to_person, "to"
        else:
            other, end = rel.from_person, "from"
        # ``end``: the end of the relationship the other person is at.
        members.append(
            FamilyMember(
                relationship=rel,
                other=other,
                role_label=str(OTHER_ROLE_LABELS[(rel.kind, end)]),
                current=rel.is_current(),
            )
        )
    members.sort(key=lambda m: (not m.current, m.role_label, -(m.other.age() or 0)))
    return members


def _with_change_flag(queryset: _Q, actor: User) -> _Q:
    """Annotate ``may_change`` (the actor may change the person) on visible rows."""
    if queryset.query.is_empty():
        return queryset
    changeable = Person.objects.visible_to(actor, "change").filter(pk=OuterRef("pk"))
    return queryset.annotate(may_change=Exists(changeable))


def person_get(*, actor: User, pk: int) -> PersonView:
    """One person the actor may see, with the family around them, audited as a read.
    A person seen only through a relation (the child question) comes back with
    ``full=False`` and only the relations that connect them to the actor's persons.
    Whether the actor sees the person in full and may change them is read with the
    person, in one query."""
    persons = Person.objects.visible_to(actor, "view")
    person = get_object_or_404(_with_change_flag(_with_full_flag(persons, actor), actor), pk=pk)
    view = PersonView(person=person, full=person.has_full_access, can_change=person.may_change)
    full = view.full
    family = _family(actor, person)
    if full:
        view.family = family
    else:
        full_ids = set(
            Person.objects.full_access(actor)
            .filter(pk__in=[m.other.pk for m in family])
            .values_list("pk", flat=True)
        )
        view.links = [m for m in family if m.other.pk in full_ids]
    audit_read(actor=actor, obj=person)
    if view.family:
        others = {m.other.pk: m.other for m in view.family}
        audit_list(actor=actor, objects=others.values())
    return view


def person_for_write(*, actor: User, pk: int, action: str = "change") -> Person:
    """The person a write acts on: 404 if the actor may not see them, 403 if they may
    not ``action`` (a case opened for a person needs only sight: "view"). Not audited
    here: the write is, and a form page records its read (audit_read_on_get)."""
    return get_for(actor, Person.objects.all(), pk, action)


@dataclass(frozen=True)
class KnownPerson:
    """A person found by their full identifier: the lookup shows only what a new case
    needs (name and birth date), and nothing when ``unit_ids`` is empty (the actor may
    not open a case for the person)."""

    person: Person  # for the services; pages show only the fields below
    visible: bool  # the actor saw the person already (no lookup needed)
    unit_ids: frozenset[int]  # the actor's units in which a case may be opened

    @property
    def allowed(self) -> bool:
        return bool(self.unit_ids)

    @property
    def name(self) -> str:
        return self.person.full_name if self.allowed else ""

    @property
    def birth_date(self) -> datetime.date | None:
        return self.person.birth_date if self.allowed else None


LOOKUP_KINDS = [kind for kind in IdentifierKind if kind != IdentifierKind.NONE]


def person_lookup(*, actor: User, identifier_kind: str, identifier: str) -> KnownPerson | None:
    """The person with exactly this full identifier (personnummer, samordningsnummer or
    reserve number) in the actor's municipality, so that a case worker or unit manager
    may open a case in their own unit for a person another unit works with. None if
    nobody has the number. Deliberately outside visible_to: typing the whole number is
    the reason, and every lookup of a person the actor did not see is audited as a read
    naming that person. A protected person is offered to unit managers only."""
    work_units = actor.units_with_role(*WORK_ROLES)
    if not actor.is_authenticated or not work_units or actor.municipality_id is None:
        raise PermissionDenied
    if identifier_kind not in LOOKUP_KINDS:
        raise ValidationError({"identifier_kind": _("Välj typ av nummer.")})
    parsed = parse_identifier(identifier, kind=identifier_kind, municipality=actor.municipality)
    person = Person._base_manager.filter(
        municipality_id=actor.municipality_id, identifier=parsed.value
    ).first()
    if person is None:
        return None
    visible = Person.objects.visible_to(actor, "view").filter(pk=person.pk).exists()
    if visible or not person.protected_identity:
        units = work_units
    else:
        units = actor.units_with_role(Role.UNIT_MANAGER)
    known = KnownPerson(person=person, visible=visible, unit_ids=frozenset(units))
    if not visible:
        changes = {"lookup": "full identifier"}
        if not known.allowed:
            changes["refused"] = "protected identity: unit managers only"
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.READ,
                obj=person,
                changes=changes,
            )
    return known


def relationship_get(*, actor: User, pk: int, action: str = "view") -> Relationship:
    return get_object_or_404(
        Relationship.objects.visible_to(actor, action).select_related("from_person", "to_person"),
        pk=pk,
    )
