"""A municipality's records in the import format (docs/import-format.md): persons with
a personnummer or samordningsnummer, their relationships and their cases, each kind as
rows under its header. For the round trip test and the bench (the generator's data
exported and imported into an empty municipality), not a page: it reads past
``visible_to`` and writes no audit row, so only code that runs without a user calls it."""

import csv
import datetime
import io
from collections.abc import Callable, Iterator

from kinsight.cases.models import Case
from kinsight.imports.formats import header
from kinsight.imports.kinds import RELATIONS, SEXES
from kinsight.imports.models import ImportKind
from kinsight.people.identifiers import NATIONAL_KINDS, format_identifier
from kinsight.people.models import Person, Relationship

SEX_WORDS: dict[str, str] = {value: word for word, value in SEXES.items() if len(word) > 1}
RELATION_WORDS: dict[str, str] = {value: word for word, value in RELATIONS.items()}
CHUNK = 5000


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _pnr(kind: str, value: str) -> str:
    return format_identifier(kind, value)


def _persons(municipality_id: int) -> Iterator[list[str]]:
    rows = Person._base_manager.filter(
        municipality_id=municipality_id, identifier_kind__in=NATIONAL_KINDS
    ).values_list(
        "identifier_kind",
        "identifier",
        "first_name",
        "last_name",
        "sex",
        "protected_identity",
        "deceased_on",
        "street_address",
        "postal_code",
        "city",
        "registered_unit__name",
    )
    for (
        kind,
        number,
        first,
        last,
        sex,
        protected,
        deceased,
        street,
        postal,
        city,
        unit,
    ) in rows.order_by("pk").iterator(chunk_size=CHUNK):
        yield [
            _pnr(kind, number),
            first,
            last,
            SEX_WORDS.get(sex, ""),
            "ja" if protected else "",
            _date(deceased),
            street,
            postal,
            city,
            unit or "",
        ]


def _relationships(municipality_id: int) -> Iterator[list[str]]:
    rows = Relationship._base_manager.filter(
        municipality_id=municipality_id,
        from_person__identifier_kind__in=NATIONAL_KINDS,
        to_person__identifier_kind__in=NATIONAL_KINDS,
    ).values_list(
        "from_person__identifier_kind",
        "from_person__identifier",
        "kind",
        "to_person__identifier_kind",
        "to_person__identifier",
        "valid_from",
        "valid_to",
    )
    for one_kind, one, kind, other_kind, other, valid_from, valid_to in rows.order_by(
        "pk"
    ).iterator(chunk_size=CHUNK):
        yield [
            _pnr(one_kind, one),
            RELATION_WORDS[kind],
            _pnr(other_kind, other),
            _date(valid_from),
            _date(valid_to),
        ]


def _cases(municipality_id: int) -> Iterator[list[str]]:
    rows = Case._base_manager.filter(
        municipality_id=municipality_id, person__identifier_kind__in=NATIONAL_KINDS
    ).values_list(
        "pk",
        "person__identifier_kind",
        "person__identifier",
        "unit__name",
        "status",
        "subject",
        "opened_on",
        "closed_on",
    )
    for pk, kind, number, unit, status, subject, opened, closed in rows.order_by("pk").iterator(
        chunk_size=CHUNK
    ):
        yield [f"K-{pk}", _pnr(kind, number), unit, status, subject, _date(opened), _date(closed)]


EXPORTERS: dict[str, Callable[[int], Iterator[list[str]]]] = {
    ImportKind.PERSONS: _persons,
    ImportKind.RELATIONSHIPS: _relationships,
    ImportKind.CASES: _cases,
}


def export_rows(municipality_id: int, kind: str) -> list[list[str]]:
    """The header of ``kind`` and one row per record of the municipality."""
    return [header(kind), *EXPORTERS[kind](municipality_id)]


def export_csv(municipality_id: int, kind: str) -> bytes:
    """``export_rows`` as a CSV file to import (";", UTF-8; cells as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows(export_rows(municipality_id, kind))
    return out.getvalue().encode("utf-8")
