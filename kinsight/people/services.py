"""Writes to persons and relationships. Each function takes the acting user, checks
that they may act, validates, writes and audits in one transaction; a refusal is a
ValidationError on the field, in Swedish, and nothing is half-saved."""

import datetime
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, diff, snapshot
from kinsight.core.services import save_versioned
from kinsight.people.access import WORK_ROLES
from kinsight.people.grants import (
    grant_registration,
    grant_relationship,
    grant_relationship_ended,
)
from kinsight.people.identifiers import IdentifierKind, format_identifier, parse_identifier
from kinsight.people.models import (
    FULL_REASONS,
    LIVES_WITH_KINDS,
    SYMMETRIC_KINDS,
    Person,
    PersonGrant,
    RelationKind,
    Relationship,
    normalise_name,
)

PERSON_FIELDS = [
    "identifier_kind",
    "identifier",
    "birth_date",
    "approximate_birth_year",
    "first_name",
    "last_name",
    "sex",
    "deceased_on",
    "protected_identity",
    "street_address",
    "postal_code",
    "city",
]
ADDRESS_FIELDS = ["street_address", "postal_code", "city"]
EDITABLE_FIELDS = [f for f in PERSON_FIELDS if f not in ("birth_date",)]
RELATIONSHIP_FIELDS = ["from_person", "to_person", "kind", "valid_from", "valid_to"]


class DuplicateIdentifier(ValidationError):
    """The identifier is registered already. ``existing`` is the person if the actor
    may see them, else None (and the message says nothing about who it is).
    ``found_pk`` names the person for the audit log only, never for the actor."""

    def __init__(self, existing, found_pk=None):
        self.existing = existing
        self.found_pk = found_pk if found_pk is not None else getattr(existing, "pk", None)
        if existing is not None:
            message = _(
                "Det finns redan en person med det numret: %(name)s. Öppna den personen "
                "i stället för att registrera en ny."
            ) % {"name": existing.full_name}
        else:
            message = _(
                "Numret är redan registrerat i kommunen. Personen kan inte registreras en "
                "gång till, men du kan öppna ett ärende i din enhet för personen."
            )
        super().__init__({"identifier": [message]})

    @property
    def url(self):
        if self.existing is None:
            return None
        return reverse("people:person_detail", args=[self.existing.pk])


ADDRESS_MASK = "[dold]"


def _mask_addresses(changes):
    """The audit log names a changed address field but never holds its value. The log
    is append-only and a person may be marked protected later: an address written in
    clear before that could never be taken back."""
    for name in ADDRESS_FIELDS:
        if name in changes:
            changes[name] = [ADDRESS_MASK if value else value for value in changes[name]]
    return changes


def _person_created(person):
    snap = snapshot(person, PERSON_FIELDS)
    return _mask_addresses({name: [None, value] for name, value in snap.items()})


def _check_duplicate(*, actor, municipality_id, identifier, exclude_pk=None):
    if not identifier:
        return
    existing = Person._base_manager.filter(municipality_id=municipality_id, identifier=identifier)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    found = existing.first()
    if found is None:
        return
    visible = Person.objects.visible_to(actor, "view").filter(pk=found.pk).exists()
    raise DuplicateIdentifier(found if visible else None, found_pk=found.pk)


def _records_identifier_probes(service):
    """A refusal that says "the number is registered" without naming the person still
    tells the actor that someone with that number is known to the social services.
    Log each such refusal (naming the person, not the number) so a log reviewer can
    see who probed whom."""

    @functools.wraps(service)
    def wrapper(*, actor, **kwargs):
        try:
            return service(actor=actor, **kwargs)
        except DuplicateIdentifier as error:
            if error.existing is None:
                with transaction.atomic():
                    audit_record(
                        actor=actor,
                        action=AuditAction.READ,
                        municipality_id=actor.municipality_id,
                        object_type="people.person",
                        object_id=str(error.found_pk or "*"),
                        changes={"refused": "identifier registered, person not visible"},
                    )
            raise

    return wrapper


def _validate_dates(*, person, today):
    errors = {}
    if person.approximate_birth_year and person.approximate_birth_year > today.year:
        errors["approximate_birth_year"] = _("Födelseåret kan inte ligga i framtiden.")
    if person.approximate_birth_year and person.approximate_birth_year < today.year - 130:
        errors["approximate_birth_year"] = _("Födelseåret är orimligt tidigt. Kontrollera åldern.")
    if person.birth_date and person.birth_date > today:
        errors["birth_date"] = _("Födelsedatum kan inte ligga i framtiden.")
    if person.deceased_on:
        if person.deceased_on > today:
            errors["deceased_on"] = _("Dödsdatum kan inte ligga i framtiden.")
        elif person.birth_date and person.deceased_on < person.birth_date:
            errors["deceased_on"] = _("Dödsdatum kan inte vara före födelsedatum.")
    if person.identifier_kind == IdentifierKind.NONE and not person.approximate_birth_year:
        errors["approximate_birth_year"] = _(
            "Ange ungefärlig ålder när personen saknar nummer (en uppskattning räcker)."
        )
    if not (person.first_name or "").strip():
        errors["first_name"] = _("Ange förnamn (eller det namn personen kallas).")
    if errors:
        raise ValidationError(errors)


def _apply_identifier(person, *, kind, raw, municipality):
    parsed = parse_identifier(raw, kind=kind, municipality=municipality)
    person.identifier_kind = parsed.kind
    person.identifier = parsed.value
    if parsed.birth_date:
        person.birth_date = parsed.birth_date
        person.approximate_birth_year = None
    elif kind == IdentifierKind.NONE:
        person.birth_date = None


@_records_identifier_probes
def person_register(
    *,
    actor,
    unit,
    identifier_kind,
    identifier="",
    first_name,
    last_name="",
    sex="",
    approximate_birth_year=None,
    protected_identity=False,
    street_address="",
    postal_code="",
    city="",
    deceased_on=None,
):
    """Register a person, worked with by ``unit`` (one of the actor's units)."""
    if not actor.is_authenticated or unit is None:
        raise PermissionDenied
    if unit.pk not in actor.units_with_role(*WORK_ROLES) or unit.municipality_id != (
        actor.municipality_id
    ):
        raise PermissionDenied
    today = timezone.localdate()
    person = Person(
        municipality_id=actor.municipality_id,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        sex=sex or "",
        approximate_birth_year=approximate_birth_year,
        protected_identity=protected_identity,
        street_address=street_address or "",
        postal_code=postal_code or "",
        city=city or "",
        deceased_on=deceased_on,
        registered_unit=unit,
        registered_by=actor,
    )
    _apply_identifier(person, kind=identifier_kind, raw=identifier, municipality=unit.municipality)
    _validate_dates(person=person, today=today)
    with transaction.atomic():
        _check_duplicate(
            actor=actor, municipality_id=actor.municipality_id, identifier=person.identifier
        )
        person.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # Registered by someone else a moment ago.
            raise DuplicateIdentifier(None) from None
        grant_registration(person)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            changes=_person_created(person),
        )
        return person


@_records_identifier_probes
def person_update(*, actor, person, expected_version, data):
    """Change a person's details. ``data`` holds EDITABLE_FIELDS (identifier as typed)."""
    require(Person.objects.visible_to(actor, "change"), person)
    today = timezone.localdate()
    with transaction.atomic():
        stored = Person._base_manager.get(pk=person.pk)
        before = snapshot(stored, PERSON_FIELDS)
        for name in EDITABLE_FIELDS:
            if name in data and name not in ("identifier", "identifier_kind"):
                value = data[name]
                setattr(person, name, value.strip() if isinstance(value, str) else value)
        kind = data.get("identifier_kind", stored.identifier_kind)
        raw = data.get("identifier", stored.identifier)
        if kind != stored.identifier_kind or raw != stored.identifier:
            _apply_identifier(person, kind=kind, raw=raw, municipality=actor.municipality)
        _validate_dates(person=person, today=today)
        _check_duplicate(
            actor=actor,
            municipality_id=person.municipality_id,
            identifier=person.identifier,
            exclude_pk=person.pk,
        )
        person.full_clean(validate_constraints=False)
        person.search_name = normalise_name(f"{person.first_name} {person.last_name}")
        try:
            with transaction.atomic():
                save_versioned(
                    person,
                    expected_version=expected_version,
                    fields=[*PERSON_FIELDS, "search_name"],
                )
        except IntegrityError:
            raise DuplicateIdentifier(None) from None
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            changes=_mask_addresses(diff(before, snapshot(person, PERSON_FIELDS))),
        )
        return person


def _overlaps(a_from, a_to, b_from, b_to):
    low = datetime.date.min
    high = datetime.date.max
    return (a_from or low) <= (b_to or high) and (b_from or low) <= (a_to or high)


def _ancestors(person_id, municipality_id):
    """Ids of the person's parents, their parents and so on (one query per generation)."""
    found, frontier = set(), {person_id}
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


def _validate_relationship(rel):
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


def relationship_add(*, actor, from_person, to_person, kind, valid_from=None, valid_to=None):
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
        municipality_id=actor.municipality_id,
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
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=rel,
            changes={name: [None, v] for name, v in snapshot(rel, RELATIONSHIP_FIELDS).items()},
        )
        return rel


def relationship_end(*, actor, relationship, valid_to, expected_version):
    require(Relationship.objects.visible_to(actor, "change"), relationship)
    with transaction.atomic():
        before = snapshot(relationship, RELATIONSHIP_FIELDS)
        relationship.valid_to = valid_to
        _validate_relationship(relationship)
        save_versioned(relationship, expected_version=expected_version, fields=["valid_to"])
        grant_relationship_ended(relationship)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=relationship,
            changes=diff(before, snapshot(relationship, RELATIONSHIP_FIELDS)),
        )
        return relationship


def relationship_remove(*, actor, relationship):
    """Remove a relationship registered by mistake (an ended one is ended, not removed)."""
    require(Relationship.objects.visible_to(actor, "change"), relationship)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=relationship,
            changes={
                name: [value, None]
                for name, value in snapshot(relationship, RELATIONSHIP_FIELDS).items()
            },
        )
        relationship.delete()


def display_identifier(person):
    return format_identifier(person.identifier_kind, person.identifier)


def _working_unit(actor, person):
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
    *, actor, person, relation, guardian=False, living="", valid_from=None, **new_person
):
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
        dates = {"valid_from": valid_from}
        if relation == "child":
            relationship_add(
                actor=actor, from_person=person, to_person=relative, kind="parent", **dates
            )
            if guardian:
                relationship_add(
                    actor=actor, from_person=person, to_person=relative, kind="guardian", **dates
                )
            if living:
                relationship_add(
                    actor=actor, from_person=relative, to_person=person, kind=living, **dates
                )
        elif relation == "parent":
            relationship_add(
                actor=actor, from_person=relative, to_person=person, kind="parent", **dates
            )
            if guardian:
                relationship_add(
                    actor=actor, from_person=relative, to_person=person, kind="guardian", **dates
                )
            if living:
                relationship_add(
                    actor=actor, from_person=person, to_person=relative, kind=living, **dates
                )
        elif relation in ("partner", "sibling"):
            relationship_add(
                actor=actor, from_person=person, to_person=relative, kind=relation, **dates
            )
        elif relation == "household":
            relationship_add(
                actor=actor, from_person=relative, to_person=person, kind="household", **dates
            )
        else:
            raise ValidationError({"relation": _("Välj en relation i listan.")})
        return relative
