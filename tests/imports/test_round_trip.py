"""The generator's data exported in the import format and imported into an empty
municipality with the same organisation gives the same persons (those with a
personnummer or samordningsnummer: the format's key), relationships and cases."""

import pytest

from kinsight.cases.models import Case
from kinsight.demo.bench.imports import empty_copy, import_all
from kinsight.demo.generate import generate_all
from kinsight.imports.models import ImportState
from kinsight.people.identifiers import NATIONAL_KINDS
from kinsight.people.models import SYMMETRIC_KINDS, Person, Relationship

pytestmark = pytest.mark.django_db(transaction=False)


def _persons(municipality):
    return set(
        Person._base_manager.filter(
            municipality=municipality, identifier_kind__in=NATIONAL_KINDS
        ).values_list(
            "identifier_kind",
            "identifier",
            "birth_date",
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
    )


def _relationships(municipality):
    found = set()
    for one, kind, other, valid_from, valid_to in Relationship._base_manager.filter(
        municipality=municipality,
        from_person__identifier_kind__in=NATIONAL_KINDS,
        to_person__identifier_kind__in=NATIONAL_KINDS,
    ).values_list(
        "from_person__identifier", "kind", "to_person__identifier", "valid_from", "valid_to"
    ):
        ends = sorted([one, other]) if kind in SYMMETRIC_KINDS else [one, other]
        found.add((ends[0], kind, ends[1], valid_from, valid_to))
    return found


def _cases(municipality):
    return sorted(
        Case._base_manager.filter(
            municipality=municipality, person__identifier_kind__in=NATIONAL_KINDS
        ).values_list(
            "person__identifier", "unit__name", "status", "subject", "opened_on", "closed_on"
        )
    )


def test_the_generated_data_comes_back_the_same():
    source, _stages = generate_all(name="Källkommun", code="8501", persons=300, seed=4)
    admin = empty_copy(source.municipality, code="8502")
    rows = import_all(source.municipality, admin)
    assert [row["state"] for row in rows] == [ImportState.DONE] * 3, rows
    target = admin.municipality
    assert len(_persons(source.municipality)) > 200
    assert _persons(target) == _persons(source.municipality)
    assert _relationships(target) == _relationships(source.municipality)
    assert _cases(target) == _cases(source.municipality)
    # A second import of the same files changes nothing.
    again = import_all(source.municipality, admin)
    for row in again:
        counts = row["counts"]
        assert counts == {"created": 0, "updated": 0, "unchanged": row["rows"], "refused": 0}
