"""A population register for the demo and the tests: deterministic, synthetic, no
network. A number Kinsight knows comes back as Kinsight has it (name, address,
protection, the parents, guardians and children registered; only the asking
municipality's own records), and some differ, chosen
by the number so the same number always answers the same:

- serial 991 (digits 9–11 of the twelve), or 1 in 100 numbers: not in the register;
- serial 992, or 2 in 100: protected (sekretessmarkering);
- serial 993, or 1 in 100: deceased;
- serial 994, or 10 in 100: moved (another address);
- serial 995, or 5 in 100: another last name;
- serial 996, or 20 in 100: one relation more than Kinsight has (a child of an adult,
  a guardian of a child).

A number Kinsight does not know gets an invented person. Nothing here is a real
person; a name or address that matches one does so by chance."""

import datetime
import hashlib
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kinsight.people.identifiers import synthetic_national
from kinsight.people.models import Person, RelationKind, Relationship
from kinsight.people.register.records import RegisterRecord, RegisterRelation, RelationRole

FIRST_NAMES = ("Alva", "Elias", "Maja", "Noah", "Ella", "Hugo", "Saga", "Liam", "Vera", "Adam")
LAST_NAMES = ("Lindqvist", "Berg", "Holm", "Nyström", "Ek", "Sandberg", "Falk", "Lund")
STREETS = ("Kyrkogatan", "Skolvägen", "Ängsvägen", "Torggatan", "Björkvägen", "Sjövägen")
CITIES = (("12345", "Småstad"), ("23456", "Åsby"), ("34567", "Norrvik"), ("45678", "Ekeby"))

# What a known person's record takes from Kinsight.
KEPT_FIELDS = ("first_name", "last_name", "street_address", "postal_code", "city")

# The variants by serial, then by the number's hash (0–99): (variant, last bucket).
SERIALS = {
    "991": "absent",
    "992": "protected",
    "993": "deceased",
    "994": "moved",
    "995": "renamed",
    "996": "relation",
}
BUCKETS = (
    ("absent", 0),
    ("protected", 2),
    ("deceased", 3),
    ("moved", 13),
    ("renamed", 18),
    ("relation", 38),
)
# How a Kinsight relationship reads as a register relation: (kind, the other person's
# end) → the other's role.
ROLES: dict[tuple[str, str], RelationRole] = {
    (RelationKind.PARENT, "from"): RelationRole.PARENT,
    (RelationKind.GUARDIAN, "from"): RelationRole.GUARDIAN,
    (RelationKind.PARENT, "to"): RelationRole.CHILD,
    (RelationKind.GUARDIAN, "to"): RelationRole.IN_CUSTODY,
}


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def variant_of(number: str) -> str:
    if number[8:11] in SERIALS:
        return SERIALS[number[8:11]]
    bucket = _hash(number) % 100
    for name, last in BUCKETS:
        if bucket <= last:
            return name
    return "same"


def _pick(options: tuple[Any, ...], number: str, salt: str) -> Any:
    return options[_hash(salt + number) % len(options)]


def _invented_address(number: str, salt: str = "") -> dict[str, str]:
    postal_code, city = _pick(CITIES, number, salt + "city")
    street = f"{_pick(STREETS, number, salt + 'street')} {_hash(salt + number) % 40 + 1}"
    return {"street_address": street, "postal_code": postal_code, "city": city}


def _birth_date(number: str) -> datetime.date | None:
    try:
        day = int(number[6:8])
        return datetime.date(int(number[:4]), int(number[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None


def _known_relations(person: Person) -> list[RegisterRelation]:
    today = timezone.localdate()
    rows = (
        Relationship._base_manager.filter(Q(from_person=person) | Q(to_person=person))
        .filter(kind__in=[RelationKind.PARENT, RelationKind.GUARDIAN])
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("from_person", "to_person")
        .order_by("pk")
    )
    relations = []
    for row in rows:
        end = "from" if row.to_person_id == person.pk else "to"
        other = row.from_person if end == "from" else row.to_person
        if other.identifier_kind in ("personnummer", "samordningsnummer"):
            relations.append(
                RegisterRelation(
                    role=ROLES[(row.kind, end)],
                    identifier=other.identifier,
                    first_name=other.first_name,
                    last_name=other.last_name,
                    protected=other.protected_identity,
                )
            )
    return relations


def _invented_relation(number: str, last_name: str) -> RegisterRelation:
    birth = _birth_date(number) or datetime.date(1980, 1, 1)
    today = timezone.localdate()
    if today.year - birth.year >= 20:  # an adult gets a child
        role, year = RelationRole.CHILD, min(today.year - 2, birth.year + 25)
    else:  # a child gets a guardian
        role, year = RelationRole.GUARDIAN, birth.year - 30
    other = synthetic_national(datetime.date(year, 6, 15), _hash("serial" + number) % 989 + 1)
    first = _pick(FIRST_NAMES, number, "relation")
    return RegisterRelation(role=role, identifier=other, first_name=first, last_name=last_name)


class FakeRegister:
    """The register of the demo and the tests (KINSIGHT_POPULATION_REGISTER=fake)."""

    name = "fake"

    def lookup(self, personnummer: str, *, municipality_id: int | None = None) -> RegisterRecord:
        variant = variant_of(personnummer)
        if variant == "absent":
            return RegisterRecord(identifier=personnummer, found=False)
        # Only the asking municipality's own person: what another municipality has
        # recorded (a protected identity, relations) must not come back as "the register".
        known = None
        if municipality_id is not None:
            persons = Person._base_manager.filter(
                municipality_id=municipality_id, identifier=personnummer
            )
            known = persons.order_by("pk").first()
        values: dict[str, Any]
        if known is not None:
            values = {name: getattr(known, name) for name in KEPT_FIELDS}
            protected = known.protected_identity
            relations = _known_relations(known)
            deceased_on = known.deceased_on
        else:
            values = {
                "first_name": _pick(FIRST_NAMES, personnummer, "first"),
                "last_name": _pick(LAST_NAMES, personnummer, "last"),
                **_invented_address(personnummer),
            }
            protected, relations, deceased_on = False, [], None
        if variant == "moved" or (known is not None and not values["street_address"]):
            values.update(_invented_address(personnummer, "moved"))
        if variant == "renamed":
            values["last_name"] = _pick(LAST_NAMES, personnummer, "renamed")
        if variant == "relation":
            relations.append(_invented_relation(personnummer, values["last_name"]))
        if variant == "deceased" and deceased_on is None:
            deceased_on = timezone.localdate() - datetime.timedelta(days=_hash(personnummer) % 60)
            birth = _birth_date(personnummer)
            if birth and deceased_on < birth:
                deceased_on = birth
        return RegisterRecord(
            identifier=personnummer,
            protected=protected or variant == "protected",
            deceased_on=deceased_on,
            relations=tuple(relations),
            **values,
        )
