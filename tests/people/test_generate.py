import pytest

from kinsight.cases.models import Case
from kinsight.demo.generate.organisation import generate_municipality
from kinsight.demo.generate.people import generate_people
from kinsight.people.identifiers import IdentifierKind, parse_identifier
from kinsight.people.models import Person, Relationship

pytestmark = pytest.mark.django_db


def test_it_generates_families_and_cases_with_valid_synthetic_identifiers():
    result = generate_municipality(name="Genkommun", code="8888", staff_per_unit=1)
    made = generate_people(municipality=result.municipality, persons=1500, seed=3)
    persons = Person.objects.filter(municipality=result.municipality)
    assert made["persons"] == persons.count() >= 1500
    assert not persons.filter(is_synthetic=False).exists()
    for person in persons.exclude(identifier_kind=IdentifierKind.NONE)[:500]:
        parsed = parse_identifier(
            person.identifier, kind=person.identifier_kind, municipality=result.municipality
        )
        assert parsed.value == person.identifier
    assert persons.filter(identifier_kind=IdentifierKind.NONE).exists()
    assert persons.filter(protected_identity=True).exists() or made["persons"] < 2000
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {"parent", "guardian", "partner", "lives_with_full", "sibling"} <= kinds
    assert Case.objects.filter(municipality=result.municipality).count() == made["cases"] > 50
    unit_types = set(Case.objects.values_list("unit__unit_type", flat=True))
    assert len(unit_types) >= 6
    assert persons.exclude(search_name="").count() == persons.count()
