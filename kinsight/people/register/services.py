"""Looking a person up in the population register and taking what the worker chooses.

Every lookup is audited as a read of the person (the number asked for is the person's,
so the row names the person as its subject; the number itself is never in the row,
a log line or a URL). The register's protection marker sets Kinsight's at once; every
other value is taken only when the worker chooses it, and never from what the browser
sends: each write looks the person up again and refuses when the register's values are
no longer those the worker saw (``digest``)."""

import datetime
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_read_many, audit_record
from kinsight.core.models import User
from kinsight.people import services as people_services
from kinsight.people.identifiers import NATIONAL_KINDS, IdentifierKind
from kinsight.people.models import Person, RelationKind, Relationship
from kinsight.people.register import configured_register
from kinsight.people.register.navet import NavetNotConfigured
from kinsight.people.register.records import (
    PopulationRegister,
    RegisterError,
    RegisterRecord,
    RegisterRelation,
    RelationRole,
)
from kinsight.people.services.relationships import _working_unit

logger = logging.getLogger(__name__)

ADDRESS_FIELDS = ("street_address", "postal_code", "city")
# What a worker may take, each with the person's fields it writes.
TAKEABLE = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "address": ADDRESS_FIELDS,
    "deceased_on": ("deceased_on",),
}
LABELS = {
    "first_name": gettext_lazy("Förnamn"),
    "last_name": gettext_lazy("Efternamn"),
    "address": gettext_lazy("Adress"),
    "deceased_on": gettext_lazy("Avliden"),
    "protected": gettext_lazy("Skyddade personuppgifter"),
}
ROLE_LABELS = {
    RelationRole.PARENT: gettext_lazy("Förälder"),
    RelationRole.GUARDIAN: gettext_lazy("Vårdnadshavare"),
    RelationRole.CHILD: gettext_lazy("Barn"),
    RelationRole.IN_CUSTODY: gettext_lazy("Under personens vårdnad"),
}
# The relationship a register relation adds: (kind, the person looked up is "from").
LINKS = {
    RelationRole.PARENT: (RelationKind.PARENT, False),
    RelationRole.GUARDIAN: (RelationKind.GUARDIAN, False),
    RelationRole.CHILD: (RelationKind.PARENT, True),
    RelationRole.IN_CUSTODY: (RelationKind.GUARDIAN, True),
}


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    ours: str
    theirs: str
    differs: bool
    hidden: bool  # a protected person's address: neither value is shown
    takeable: bool


@dataclass(frozen=True)
class RelationRow:
    relation: RegisterRelation
    label: str
    known: Person | None  # the person in Kinsight with the number, if the actor sees them
    linked: bool  # the relationship is registered already

    @property
    def addable(self) -> bool:
        return not self.linked


@dataclass
class Lookup:
    person: Person
    record: RegisterRecord
    rows: list[FieldRow]
    relations: list[RelationRow]
    digest: str
    protection_set: bool  # this lookup set Kinsight's protection marker

    @property
    def takeable(self) -> list[FieldRow]:
        return [row for row in self.rows if row.takeable]


def _ask(register: PopulationRegister, actor: User, person: Person) -> RegisterRecord:
    """The register's record for the person's number, the lookup audited whatever
    came of it."""
    try:
        record = register.lookup(person.identifier, municipality_id=person.municipality_id)
        outcome = "found" if record.found else "not_found"
    except RegisterError as error:
        logger.warning("population register %s: %s", register.name, error.reason)
        record, outcome = None, "error"
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            obj=person,
            changes={"register_lookup": register.name, "outcome": outcome},
        )
    if record is None:
        raise ValidationError(
            _(
                "Folkbokföringen svarade inte, så inget är hämtat. Försök igen om en "
                "stund; om felet kvarstår, kontakta systemförvaltaren."
            )
        )
    return record


def _register() -> PopulationRegister:
    try:
        register = configured_register()
    except NavetNotConfigured as error:
        logger.warning("population register: %s", error.reason)
        raise ValidationError(
            _(
                "Uppslag i folkbokföringen är inte färdigt inställt (saknas: %(names)s). "
                "Kontakta systemförvaltaren."
            )
            % {"names": ", ".join(error.missing)}
        ) from None
    if register is None:
        raise ValidationError(
            _(
                "Uppslag i folkbokföringen är avstängt. Systemförvaltaren slår på det med "
                "inställningen KINSIGHT_POPULATION_REGISTER."
            )
        )
    return register


def _address(values: object) -> str:
    street, postal_code, city = (getattr(values, name) for name in ADDRESS_FIELDS)
    return ", ".join(filter(None, (street, f"{postal_code} {city}".strip())))


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _rows(person: Person, record: RegisterRecord) -> list[FieldRow]:
    hidden = person.protected_identity or record.protected
    pairs = {
        "first_name": (person.first_name, record.first_name),
        "last_name": (person.last_name, record.last_name),
        "address": (_address(person), _address(record)),
        "deceased_on": (_day(person.deceased_on), _day(record.deceased_on)),
    }
    rows = []
    for key, (ours, theirs) in pairs.items():
        secret = hidden and key == "address"
        differs = ours != theirs and not secret
        rows.append(
            FieldRow(
                key=key,
                label=str(LABELS[key]),
                ours="" if secret else ours,
                theirs="" if secret else theirs,
                differs=differs,
                hidden=secret,
                takeable=bool(theirs) and (differs or secret),
            )
        )
    yes, no = _("Ja"), _("Nej")
    rows.append(
        FieldRow(
            key="protected",
            label=str(LABELS["protected"]),
            ours=yes if person.protected_identity else no,
            theirs=yes if record.protected else no,
            differs=person.protected_identity != record.protected,
            hidden=False,
            takeable=False,
        )
    )
    return rows


def _relation_rows(actor: User, person: Person, record: RegisterRecord) -> list[RelationRow]:
    numbers = [relation.identifier for relation in record.relations]
    if not numbers:
        return []
    known = {
        other.identifier: other
        for other in Person.objects.visible_to(actor, "view").filter(identifier__in=numbers)
    }
    linked = set(
        Relationship.objects.filter(
            municipality_id=person.municipality_id,
            from_person_id__in=[person.pk, *(p.pk for p in known.values())],
            to_person_id__in=[person.pk, *(p.pk for p in known.values())],
            kind__in=[RelationKind.PARENT, RelationKind.GUARDIAN],
        ).values_list("from_person_id", "to_person_id", "kind")
    )
    audit_read_many(actor=actor, objects=known.values(), object_type="people.person")
    rows = []
    for relation in record.relations:
        other = known.get(relation.identifier)
        kind, person_first = LINKS[relation.role]
        pair = (person.pk, getattr(other, "pk", None))
        link = (*(pair if person_first else pair[::-1]), kind)
        rows.append(
            RelationRow(
                relation=relation,
                label=str(ROLE_LABELS[relation.role]),
                known=other,
                linked=other is not None and link in linked,
            )
        )
    return rows


def _digest(record: RegisterRecord) -> str:
    """Names what the register said (an HMAC: a protected address cannot be guessed
    from it), so a write can tell whether it still says so."""
    values = {key: str(getattr(record, key)) for key in (*ADDRESS_FIELDS, "first_name")}
    values.update(last_name=record.last_name, deceased_on=_day(record.deceased_on))
    payload = json.dumps(values, sort_keys=True)
    return salted_hmac("kinsight.people.register", payload).hexdigest()


def register_lookup(*, actor: User, person: Person) -> Lookup:
    """Look ``person`` up in the register (the actor may change the person) and
    compare. A protection marker in the register sets Kinsight's (audited as an
    update); nothing else is written."""
    require(Person.objects.visible_to(actor, "change"), person)
    if person.identifier_kind not in NATIONAL_KINDS or not person.identifier:
        raise ValidationError(
            _(
                "Folkbokföringen söks på personnummer eller samordningsnummer, och "
                "personen har inget. Lägg till numret under Ändra uppgifter först."
            )
        )
    record = _ask(_register(), actor, person)
    protection_set = False
    if record.found and record.protected and not person.protected_identity:
        person = people_services.person_update(
            actor=actor,
            person=person,
            expected_version=person.version,
            data={"protected_identity": True},
        )
        protection_set = True
    found = record.found
    return Lookup(
        person=person,
        record=record,
        rows=_rows(person, record) if found else [],
        relations=_relation_rows(actor, person, record) if found else [],
        digest=_digest(record),
        protection_set=protection_set,
    )


def _again(actor: User, person: Person, digest: str) -> Lookup:
    lookup = register_lookup(actor=actor, person=person)
    if not lookup.record.found or not constant_time_compare(lookup.digest, digest or ""):
        raise ValidationError(
            _(
                "Folkbokföringens uppgifter har ändrats sedan du hämtade dem. Inget är "
                "sparat: hämta igen och välj på nytt."
            )
        )
    return lookup


def register_take(
    *, actor: User, person: Person, take: list[str], digest: str, expected_version: int | None
) -> Person:
    """Take the register's values of the chosen fields (``take``: keys of TAKEABLE)
    into Kinsight, audited as an update of the person."""
    if not take:
        raise ValidationError({"take": _("Välj minst en uppgift att ta från folkbokföringen.")})
    lookup = _again(actor, person, digest)
    offered = {row.key for row in lookup.takeable}
    if not set(take) <= offered:
        raise ValidationError({"take": _("Välj bland uppgifterna som skiljer sig.")})
    data = {name: getattr(lookup.record, name) for key in take for name in TAKEABLE[key]}
    return people_services.person_update(
        actor=actor, person=lookup.person, expected_version=expected_version, data=data
    )


def _kind_of(number: str) -> str:
    if int(number[6:8]) > 60:
        return IdentifierKind.SAMORDNINGSNUMMER
    return IdentifierKind.PERSONNUMMER


def register_relation_add(*, actor: User, person: Person, identifier: str, digest: str) -> Person:
    """Add a relation the register shows as a relationship in Kinsight: the relative
    as Kinsight has them (when the actor sees them), else registered from the
    register's record (name and protection; never an address), by the unit through
    which the actor works with ``person``. Returns the relative."""
    lookup = _again(actor, person, digest)
    row = next((r for r in lookup.relations if r.relation.identifier == identifier), None)
    if row is None or not row.addable:
        raise ValidationError(
            _("Relationen finns inte bland folkbokföringens förslag, eller är redan registrerad.")
        )
    relation = row.relation
    with transaction.atomic():
        other = row.known or people_services.person_register(
            actor=actor,
            unit=_working_unit(actor, lookup.person),
            identifier_kind=_kind_of(relation.identifier),
            identifier=relation.identifier,
            first_name=relation.first_name or _("Okänt förnamn"),
            last_name=relation.last_name,
            protected_identity=relation.protected,
        )
        kind, person_first = LINKS[relation.role]
        ends = (lookup.person, other) if person_first else (other, lookup.person)
        people_services.relationship_add(
            actor=actor, from_person=ends[0], to_person=ends[1], kind=kind
        )
    return other
