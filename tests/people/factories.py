"""Persons, relationships, cases and notes for tests, made through the services where
the rule matters and directly where it does not. Synthetic only.

Rows made directly get the access grants the services would write with them
(kinsight/people/grants.py), so that access in tests is what it is in use."""

import datetime
import itertools

from django.db import transaction

from kinsight.cases.models import Case, JournalNote
from kinsight.people import grants
from kinsight.people.identifiers import IdentifierKind, synthetic_national
from kinsight.people.models import Person, Relationship

_serials = itertools.count(11)


def pnr(year=1985, month=3, day=12, *, serial=None, coordination=False):
    """A valid 12-digit personnummer (or samordningsnummer)."""
    serial = serial if serial is not None else next(_serials) % 999 + 1
    return synthetic_national(datetime.date(year, month, day), serial, coordination=coordination)


def person(municipality, first_name="Anna", last_name="Andersson", *, unit=None, **fields):
    birth = fields.pop("birth_date", datetime.date(1985, 3, 12))
    kind = fields.pop("identifier_kind", IdentifierKind.PERSONNUMMER)
    identifier = fields.pop("identifier", None)
    if identifier is None:
        identifier = "" if kind == IdentifierKind.NONE else pnr(birth.year, birth.month, birth.day)
    made = Person.objects.create(
        municipality=municipality,
        first_name=first_name,
        last_name=last_name,
        identifier_kind=kind,
        identifier=identifier,
        birth_date=birth if kind != IdentifierKind.NONE else None,
        registered_unit=unit,
        **fields,
    )
    grants.grant_registration(made)
    return made


def child(municipality, first_name="Kim", last_name="Andersson", age=8, **fields):
    today = datetime.date.today()
    birth = datetime.date(today.year - age, 1, 15)
    if birth > today:  # pragma: no cover - only in the first half of January
        birth = datetime.date(today.year - age - 1, 1, 15)
    return person(municipality, first_name, last_name, birth_date=birth, **fields)


def relate(from_person, to_person, kind, **fields):
    made = Relationship.objects.create(
        municipality=from_person.municipality,
        from_person=from_person,
        to_person=to_person,
        kind=kind,
        **fields,
    )
    grants.grant_relationship(made)
    return made


def case(person, unit, *, responsible=None, **fields):
    made = Case.objects.create(
        municipality=person.municipality,
        person=person,
        unit=unit,
        responsible=responsible,
        subject=fields.pop("subject", "Ansökan om stöd"),
        **fields,
    )
    grants.grant_case(made)
    return made


def note(case, author, text="Samtal med klienten.", *, signed=True):
    from django.utils import timezone

    with transaction.atomic():
        return JournalNote.objects.create(
            municipality=case.municipality,
            case=case,
            author=author,
            unit=case.unit,
            text=text,
            signed_at=timezone.now() if signed else None,
            signed_by=author if signed else None,
        )


def search(client, q, *, page=None):
    """The person search as the browser makes it: the term posted, then the results
    fetched by the key the answer names (the term itself never in a URL)."""
    from django.urls import reverse

    posted = client.post(reverse("people:person_search"), {"q": q})
    assert posted.status_code == 302, posted.status_code
    url = posted["Location"]
    if page is not None:
        url += ("&" if "?" in url else "?") + f"page={page}"
    return client.get(url)
