"""Writes to persons: register, update (kinsight/people/services/__init__.py tells the
whole)."""

import datetime
import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, diff, snapshot
from kinsight.core.models import Municipality, OrgUnit, User
from kinsight.core.services import save_versioned
from kinsight.people.access import WORK_ROLES
from kinsight.people.grants import (
    grant_registration,
)
from kinsight.people.identifiers import IdentifierKind, parse_identifier
from kinsight.people.models import (
    Person,
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

_Service = TypeVar("_Service", bound=Callable[..., Any])


class DuplicateIdentifier(ValidationError):
    """The identifier is registered already. ``existing`` is the person if the actor
    may see them, else None (and the message says nothing about who it is).
    ``found_pk`` names the person for the audit log only, never for the actor."""

    def __init__(self, existing: Person | None, found_pk: int | None = None) -> None:
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
    def url(self) -> str | None:
        if self.existing is None:
            return None
        return reverse("people:person_detail", args=[self.existing.pk])


ADDRESS_MASK = "[dold]"


def _mask_addresses(changes: dict[str, Any]) -> dict[str, Any]:
    """The audit log names a changed address field but never holds its value. The log
    is append-only and a person may be marked protected later: an address written in
    clear before that could never be taken back."""
    for name in ADDRESS_FIELDS:
        if name in changes:
            changes[name] = [ADDRESS_MASK if value else value for value in changes[name]]
    return changes


def _person_created(person: Person) -> dict[str, Any]:
    snap = snapshot(person, PERSON_FIELDS)
    return _mask_addresses({name: [None, value] for name, value in snap.items()})


def _check_duplicate(
    *, actor: User, municipality_id: int, identifier: str, exclude_pk: int | None = None
) -> None:
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


def _records_identifier_probes(service: _Service) -> _Service:
    """A refusal that says "the number is registered" without naming the person still
    tells the actor that someone with that number is known to the social services.
    Log each such refusal (naming the person, not the number) so a log reviewer can
    see who probed whom."""

    @functools.wraps(service)
    def wrapper(*, actor: User, **kwargs: Any) -> Any:
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

    return cast(_Service, wrapper)


def _validate_dates(*, person: Person, today: datetime.date) -> None:
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


def _apply_identifier(
    person: Person, *, kind: str, raw: str, municipality: Municipality | None
) -> None:
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
    actor: User,
    unit: OrgUnit | None,
    identifier_kind: str,
    identifier: str = "",
    first_name: str,
    last_name: str = "",
    sex: str = "",
    approximate_birth_year: int | None = None,
    protected_identity: bool = False,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    deceased_on: datetime.date | None = None,
) -> Person:
    """Register a person, worked with by ``unit`` (one of the actor's units)."""
    if not actor.is_authenticated or unit is None:
        raise PermissionDenied
    if unit.pk not in actor.units_with_role(*WORK_ROLES) or unit.municipality_id != (
        actor.municipality_id
    ):
        raise PermissionDenied
    today = timezone.localdate()
    municipality_id = municipality_id_of(actor)
    person = Person(
        municipality_id=municipality_id,
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
        _check_duplicate(actor=actor, municipality_id=municipality_id, identifier=person.identifier)
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
def person_update(
    *, actor: User, person: Person, expected_version: int | None, data: Mapping[str, Any]
) -> Person:
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
