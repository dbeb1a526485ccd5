"""Reads of persons and relationships, each starting from visible_to(user, action)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.people.identifiers import looks_like_identifier, search_forms
from kinsight.people.models import OTHER_ROLE_LABELS, Person, Relationship, normalise_name

PERSON_TYPE = "people.person"


def _with_full_flag(queryset, actor):
    """Annotate ``has_full_access`` on rows already narrowed by visible_to."""
    if queryset.query.is_empty():
        return queryset
    full = Person.objects.all()._full_q(actor)
    return queryset.annotate(has_full_access=ExpressionWrapper(full, output_field=BooleanField()))


def person_search(*, actor, q="", identifier=""):
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


def audit_list(*, actor, objects, object_type=PERSON_TYPE):
    """One audit row for a page of a list (nothing if the page is empty)."""
    return audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


@dataclass
class PersonView:
    person: Person
    full: bool
    can_change: bool
    family: list = field(default_factory=list)  # [FamilyMember]
    links: list = field(default_factory=list)  # for limited: [FamilyMember] to full persons


@dataclass
class FamilyMember:
    relationship: Relationship
    other: Person
    role_label: str
    current: bool


def _family(actor, person):
    relations = (
        Relationship.objects.visible_to(actor, "view")
        .filter(Q(from_person=person) | Q(to_person=person))
        .select_related("from_person", "to_person")
        .order_by("kind", "pk")
    )
    members = []
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


def person_get(*, actor, pk, action="view", audit=True):
    """One person the actor may see, with the family around them, audited as a read.
    A person seen only through a relation (the child question) comes back with
    ``full=False`` and only the relations that connect them to the actor's persons."""
    person = get_object_or_404(Person.objects.visible_to(actor, action), pk=pk)
    full = Person.objects.full_access(actor).filter(pk=pk).exists()
    can_change = Person.objects.visible_to(actor, "change").filter(pk=pk).exists()
    view = PersonView(person=person, full=full, can_change=can_change)
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
    if audit:
        audit_read(actor=actor, obj=person)
        if view.family:
            others = {m.other.pk: m.other for m in view.family}
            audit_list(actor=actor, objects=others.values())
    return view


def person_for_change(*, actor, pk):
    """404 if the actor may not see the person, 403 if they may see but not change."""
    person = get_object_or_404(Person.objects.visible_to(actor, "view"), pk=pk)
    if not Person.objects.visible_to(actor, "change").filter(pk=pk).exists():
        raise PermissionDenied
    return person


def relationship_get(*, actor, pk, action="view"):
    return get_object_or_404(
        Relationship.objects.visible_to(actor, action).select_related("from_person", "to_person"),
        pk=pk,
    )
