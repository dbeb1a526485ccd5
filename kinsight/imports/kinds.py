"""The five kinds of import (docs/import-format.md): persons matched by personnummer,
relationships by their two persons and kind, cases, journal notes and children as
next of kin by their external id (the previous system's). Each is a ``KindSpec`` of
the engine."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.cases.models import Case, CaseStatus, JournalNote
from kinsight.core.models import User
from kinsight.detection.models.child_records import ChildRecord, Custody, LivesWith
from kinsight.imports.engine import (
    Context,
    KindSpec,
    Planned,
    Refused,
    choice,
    date,
    national,
    optional,
    refuse,
    required,
)
from kinsight.imports.models import ImportKind
from kinsight.people.models import (
    SYMMETRIC_KINDS,
    Person,
    RelationKind,
    Relationship,
    Sex,
    normalise_name,
)

YES = {"ja": True, "j": True, "1": True, "x": True, "nej": False, "n": False, "0": False}
SEXES = {"kvinna": Sex.FEMALE, "k": Sex.FEMALE, "man": Sex.MALE, "m": Sex.MALE, "annat": Sex.OTHER}
RELATIONS = {
    "foralder": RelationKind.PARENT,
    "vardnadshavare": RelationKind.GUARDIAN,
    "bor_heltid": RelationKind.LIVES_WITH_FULL,
    "bor_deltid": RelationKind.LIVES_WITH_PART,
    "bor_vaxelvis": RelationKind.LIVES_WITH_ALTERNATING,
    "syskon": RelationKind.SIBLING,
    "partner": RelationKind.PARTNER,
    "hushall": RelationKind.HOUSEHOLD,
}
STATUSES = {status.value: status.value for status in CaseStatus}
CUSTODY = {
    "gemensam": Custody.JOINT,
    "foraldern": Custody.THIS_PARENT,
    "andra_foraldern": Custody.OTHER_PARENT,
    "annan": Custody.OTHER,
}
LIVES_WITH = {"heltid": LivesWith.FULL_TIME, "deltid": LivesWith.PART_TIME, "inte": LivesWith.NOT}


def _no_refs(ctx: Context, planned: list[Planned]) -> None:
    return None


def _by_persons(persons_field: tuple[str, ...]):
    """A resolver that turns the personnummer in ``values[<field>_nr]`` into
    ``values[<field>_id]``, refusing a row whose person is not in Kinsight."""

    def resolve(ctx: Context, planned: list[Planned]) -> None:
        found = ctx.person_ids(p.values[f"{name}_nr"] for p in planned for name in persons_field)
        for p in planned:
            for name in persons_field:
                number = p.values.pop(f"{name}_nr")
                if number not in found:
                    refuse(
                        p,
                        _("Ingen person med personnummer %(nr)s: importera personerna först.")
                        % {"nr": number},
                    )
                    break
                p.values[f"{name}_id"] = found[number]

    return resolve


# --- persons ---------------------------------------------------------------------------


def _person(ctx: Context, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    number = national(row, "personnummer")
    protected = choice(row, "skyddad_identitet", YES, False)
    address = {
        "street_address": optional(row, "gatuadress", 200),
        "postal_code": optional(row, "postnummer", 10),
        "city": optional(row, "ort", 100),
    }
    postal = address["postal_code"].replace(" ", "")
    if postal and not (len(postal) == 5 and postal.isdigit()):
        raise Refused(_("Postnumret ska ha fem siffror."))
    first, last = required(row, "fornamn", 100), optional(row, "efternamn", 100)
    unit = row.get("enhet", "").strip()
    values = {
        "identifier_kind": number.kind,
        "identifier": number.value,
        "birth_date": number.birth_date,
        "first_name": first,
        "last_name": last,
        "sex": choice(row, "kon", SEXES),
        "protected_identity": protected,
        "deceased_on": date(row, "avliden"),
        **address,
        "registered_unit_id": ctx.unit(unit) if unit else None,
        "search_name": normalise_name(f"{first} {last}"),
    }
    return number.value, values


def _persons_existing(ctx: Context, keys: list[str]) -> dict[str, Any]:
    return ctx.persons(keys)


def _person_make(ctx: Context, values: dict[str, Any]) -> Person:
    return Person(municipality_id=ctx.municipality_id, **values)


PERSON_FIELDS = [
    "identifier_kind",
    "birth_date",
    "first_name",
    "last_name",
    "sex",
    "protected_identity",
    "deceased_on",
    "street_address",
    "postal_code",
    "city",
    "registered_unit_id",
]

# --- relationships ---------------------------------------------------------------------


def _relationship(ctx: Context, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    one, other = national(row, "personnummer").value, national(row, "relaterad_personnummer").value
    if one == other:
        raise Refused(_("En person kan inte ha en relation till sig själv."))
    kind = choice(row, "relation", RELATIONS)
    if not kind:
        raise Refused(_("Kolumnen %(column)s är tom.") % {"column": "relation"})
    valid_from, valid_to = date(row, "fran"), date(row, "till")
    if valid_from and valid_to and valid_to < valid_from:
        raise Refused(_("Slutdatum kan inte vara före startdatum."))
    ends = sorted([one, other]) if kind in SYMMETRIC_KINDS else [one, other]
    values = {"from_person_nr": one, "to_person_nr": other, "kind": kind}
    return f"{ends[0]}|{kind}|{ends[1]}", {**values, "valid_from": valid_from, "valid_to": valid_to}


def _relationships_existing(ctx: Context, keys: list[str]) -> dict[str, Any]:
    numbers = {part for key in keys for part in key.split("|")[::2]}
    ids = {pk: number for number, pk in ctx.person_ids(numbers).items()}
    rows = Relationship._base_manager.filter(
        municipality_id=ctx.municipality_id, from_person_id__in=ids, to_person_id__in=ids
    )
    found = {}
    for rel in rows:
        ends = [ids[rel.from_person_id], ids[rel.to_person_id]]
        if rel.kind in SYMMETRIC_KINDS:
            ends.sort()
        found[f"{ends[0]}|{rel.kind}|{ends[1]}"] = rel
    return found


def _relationship_make(ctx: Context, values: dict[str, Any]) -> Relationship:
    return Relationship(municipality_id=ctx.municipality_id, **values)


# --- cases, notes, children: by external id --------------------------------------------


def _by_key(kind: str, model: type[Any]):
    def existing(ctx: Context, keys: list[str]) -> dict[str, Any]:
        ids = ctx.imported(kind, keys)
        rows = model._base_manager.filter(municipality_id=ctx.municipality_id, pk__in=ids.values())
        by_id = {obj.pk: obj for obj in rows}
        return {key: by_id[pk] for key, pk in ids.items() if pk in by_id}

    return existing


def _case(ctx: Context, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    key = required(row, "extern_id", 100)
    status = choice(row, "status", STATUSES)
    if not status:
        raise Refused(_("Kolumnen %(column)s är tom.") % {"column": "status"})
    opened, closed = date(row, "inlett", needed=True), date(row, "avslutat")
    if status == CaseStatus.CLOSED and closed is None:
        raise Refused(_("Ett avslutat ärende behöver ett datum i kolumnen avslutat."))
    if closed and opened and closed < opened:
        raise Refused(_("Ärendet kan inte avslutas före det inleddes."))
    values = {
        "person_nr": national(row, "personnummer").value,
        "unit_id": ctx.unit(required(row, "enhet")),
        "status": status,
        "subject": required(row, "arendemening", 200),
        "opened_on": opened,
        "closed_on": closed,
    }
    return key, values


def _case_make(ctx: Context, values: dict[str, Any]) -> Case:
    return Case(municipality_id=ctx.municipality_id, **values)


def _by_case(ctx: Context, planned: list[Planned]) -> None:
    """``values["case_key"]`` → the imported case (its id, unit and person)."""
    cases = ctx.cases(p.values["case_key"] for p in planned)
    for p in planned:
        key = p.values.pop("case_key")
        case = cases.get(key)
        if case is None:
            refuse(
                p,
                _("Inget importerat ärende med extern_id %(key)s: importera ärendena först.")
                % {"key": key},
            )
            continue
        p.values.update(case_id=case.pk, unit_id=case.unit_id)
        p.values.setdefault("person_id", case.person_id)


def _note(ctx: Context, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    key = required(row, "extern_id", 100)
    day = date(row, "datum", needed=True)
    assert day is not None
    author = required(row, "forfattare", 150)
    text = required(row, "text")
    signed = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return key, {
        "case_key": required(row, "arende_extern_id", 100),
        "author_name": author,
        "day": day,
        "text": text,
        "signed_at": signed,
    }


def _note_authors(ctx: Context, planned: list[Planned]) -> None:
    _by_case(ctx, planned)
    names = {p.values["author_name"] for p in planned}
    users = {
        u.username: u.pk
        for u in User.objects.filter(municipality_id=ctx.municipality_id, username__in=names)
    }
    for p in planned:
        name, day = p.values.pop("author_name"), p.values.pop("day")
        author = users.get(name)
        if author is None:  # not a Kinsight user: kept as text, signed by the importer
            author = ctx.actor.pk
            heading = _("Importerad från tidigare system. Skriven av %(name)s %(day)s.") % {
                "name": name,
                "day": day.isoformat(),
            }
            p.values["text"] = f"{heading}\n\n{p.values['text']}"
        p.values.update(author_id=author, signed_by_id=author)


def _note_make(ctx: Context, values: dict[str, Any]) -> JournalNote:
    signed, person = values["signed_at"], values.pop("person_id")
    note = JournalNote(
        municipality_id=ctx.municipality_id, created_at=signed, updated_at=signed, **values
    )
    note.subject_person = person  # type: ignore[attr-defined]
    return note


def _child(ctx: Context, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    case_key = required(row, "arende_extern_id", 100)
    first = required(row, "barnets_fornamn", 100)
    year = required(row, "fodelsear")
    if not (year.isdigit() and 1900 <= int(year) <= ctx.today.year):
        raise Refused(_("Födelseåret ska vara fyra siffror, högst i år."))
    number = (
        national(row, "barnets_personnummer").value
        if row.get("barnets_personnummer", "").strip()
        else ""
    )
    values = {
        "case_key": case_key,
        "child_nr": number,
        "first_name": first,
        "birth_year": int(year),
        "custody": choice(row, "vardnad", CUSTODY, Custody.UNKNOWN),
        "lives_with": choice(row, "bor_hos", LIVES_WITH, LivesWith.UNKNOWN),
    }
    return f"{case_key}|{number or first.casefold() + year}", values


def _child_refs(ctx: Context, planned: list[Planned]) -> None:
    _by_case(ctx, planned)
    live = [p for p in planned if "case_id" in p.values]
    found = ctx.persons(p.values["child_nr"] for p in live)
    for p in live:
        p.values["parent_id"] = p.values.pop("person_id")
        number = p.values.pop("child_nr")
        child = found.get(number) if number else None
        if child is not None and child.pk == p.values["parent_id"]:
            refuse(p, _("Barnet kan inte vara samma person som föräldern."))
            continue
        if number and child is None:
            refuse(
                p,
                _("Ingen person med personnummer %(nr)s: importera personerna först.")
                % {"nr": number},
            )
            continue
        p.values["child_id"] = child.pk if child else None
        p.values["birth_date"] = child.birth_date if child else None
        p.values["linked_by_number"] = child is not None


def _child_make(ctx: Context, values: dict[str, Any]) -> ChildRecord:
    return ChildRecord(municipality_id=ctx.municipality_id, created_by=ctx.actor, **values)


SPECS: dict[str, KindSpec] = {
    ImportKind.PERSONS: KindSpec(
        ImportKind.PERSONS,
        Person,
        PERSON_FIELDS,
        _person,
        _no_refs,
        _persons_existing,
        _person_make,
        lambda obj: [obj.pk],
    ),
    ImportKind.RELATIONSHIPS: KindSpec(
        ImportKind.RELATIONSHIPS,
        Relationship,
        ["valid_from", "valid_to"],
        _relationship,
        _by_persons(("from_person", "to_person")),
        _relationships_existing,
        _relationship_make,
        lambda obj: [obj.from_person_id, obj.to_person_id],
    ),
    ImportKind.CASES: KindSpec(
        ImportKind.CASES,
        Case,
        ["person_id", "unit_id", "status", "subject", "opened_on", "closed_on"],
        _case,
        _by_persons(("person",)),
        _by_key(ImportKind.CASES, Case),
        _case_make,
        lambda obj: [obj.person_id],
    ),
    ImportKind.NOTES: KindSpec(
        ImportKind.NOTES,
        JournalNote,
        ["case_id", "text", "signed_at"],
        _note,
        _note_authors,
        _by_key(ImportKind.NOTES, JournalNote),
        _note_make,
        lambda obj: [obj.subject_person],
        frozen=_("En signerad anteckning ändras aldrig: en rättelse skrivs som en ny anteckning."),
    ),
    ImportKind.CHILDREN: KindSpec(
        ImportKind.CHILDREN,
        ChildRecord,
        ["case_id", "parent_id", "child_id", "first_name", "birth_year", "custody", "lives_with"],
        _child,
        _child_refs,
        _by_key(ImportKind.CHILDREN, ChildRecord),
        _child_make,
        lambda obj: [pid for pid in (obj.parent_id, obj.child_id) if pid],
    ),
}
