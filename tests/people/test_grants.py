"""Access kept as a relation (issue 10): the services write the grants with the change
that gives the reason, the recompute finds what differs, the repair mends it, and a
unit's sight of a person is an indexed lookup that does not grow with the municipality."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from kinsight.cases import services as case_services
from kinsight.core.models import Municipality
from kinsight.people import services
from kinsight.people.grants import grants_compare, grants_rebuild
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.models import (
    GrantReason,
    Person,
    PersonGrant,
    RelationKind,
    Relationship,
)
from kinsight.people.queries import person_lookup
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def sees(user, person):
    return Person.objects.visible_to(user, "view").filter(pk=person.pk).exists()


def test_the_services_write_the_grants_with_the_reason(
    worker, adult_unit, child_unit, child_worker, municipality
):
    def register(first_name, number):
        return services.person_register(
            actor=worker,
            unit=adult_unit,
            identifier_kind=IdentifierKind.PERSONNUMMER,
            identifier=number,
            first_name=first_name,
        )

    anna, kim = register("Anna", pf.pnr(1988, 4, 4)), register("Kim", pf.pnr(2018, 2, 2))
    relation = services.relationship_add(
        actor=worker, from_person=anna, to_person=kim, kind=RelationKind.PARENT
    )
    assert not sees(child_worker, kim) and not sees(child_worker, anna)
    known = person_lookup(
        actor=child_worker, identifier_kind=IdentifierKind.PERSONNUMMER, identifier=kim.identifier
    )
    case = case_services.case_open_for_known_person(
        actor=child_worker, known=known, unit=child_unit, subject="Stöd"
    )
    kept = set(
        PersonGrant.objects.values_list("unit_id", "person_id", "reason", "case_id", "via_person")
    )
    assert kept == {
        (adult_unit.pk, anna.pk, GrantReason.REGISTERED, None, None),
        (adult_unit.pk, kim.pk, GrantReason.REGISTERED, None, None),
        (adult_unit.pk, kim.pk, GrantReason.RELATED, None, anna.pk),
        (adult_unit.pk, anna.pk, GrantReason.RELATED, None, kim.pk),
        (child_unit.pk, kim.pk, GrantReason.CASE, case.pk, None),
        (child_unit.pk, anna.pk, GrantReason.RELATED, None, kim.pk),
    }
    assert PersonGrant.objects.filter(relationship=relation).count() == 3
    assert sees(child_worker, kim) and sees(child_worker, anna)
    assert grants_compare(municipality.pk).differences == 0


def test_an_ended_relationship_ends_the_sight_a_removed_one_takes_its_grants(
    worker, client_person, family, municipality
):
    kim, per = family["kim"], family["per"]
    partnership = Relationship.objects.get(from_person=client_person, to_person=per)
    services.relationship_end(
        actor=worker,
        relationship=partnership,
        valid_to=timezone.localdate(),
        expected_version=partnership.version,
    )
    assert sees(worker, per), "a relationship ending today still holds today"
    partnership.refresh_from_db()
    services.relationship_end(
        actor=worker,
        relationship=partnership,
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
        expected_version=partnership.version,
    )
    assert not sees(worker, per)
    ended = set(PersonGrant.objects.filter(relationship=partnership).values_list("valid_to"))
    assert ended == {(partnership.valid_to,)}, "the grants end with their relationship"
    assert sees(worker, kim)
    for rel in Relationship.objects.filter(Q(from_person=kim) | Q(to_person=kim)):
        services.relationship_remove(actor=worker, relationship=rel)
    assert not sees(worker, kim)
    assert grants_compare(municipality.pk).differences == 0


def test_the_recompute_finds_a_missing_or_extra_grant_and_the_repair_mends_it(
    family, municipality, child_unit, capsys
):
    kept = PersonGrant.objects.filter(person=family["kim"]).first()
    kept.delete()
    PersonGrant.objects.create(
        municipality=municipality, person=family["per"], unit=child_unit, reason="registered"
    )
    result = grants_compare(municipality.pk)
    assert (result.missing, result.extra) == (1, 1)
    with pytest.raises(CommandError, match="--repair"):
        call_command("grants_check")
    call_command("grants_check", "--repair")
    assert grants_compare(municipality.pk).differences == 0
    call_command("grants_check")
    assert "0 saknas, 0 för mycket" in capsys.readouterr().out


def test_the_rebuild_gives_the_grants_the_services_wrote(family, municipality):
    before = set(
        PersonGrant.objects.values_list(
            "person_id",
            "unit_id",
            "reason",
            "case_id",
            "relationship_id",
            "via_person_id",
            "valid_to",
        )
    )
    grants_rebuild(municipality.pk)
    after = set(
        PersonGrant.objects.values_list(
            "person_id",
            "unit_id",
            "reason",
            "case_id",
            "relationship_id",
            "via_person_id",
            "valid_to",
        )
    )
    assert before == after and len(before) >= 5


def test_generated_data_has_its_grants():
    call_command("generate", name="Genkommun", code="9990", persons=300, verbosity=0)
    municipality = Municipality.objects.get(code="9990")
    assert PersonGrant.objects.filter(municipality=municipality).exists()
    assert grants_compare(municipality.pk).differences == 0


@pytest.mark.postgres
def test_a_units_sight_of_a_person_is_an_index_lookup(worker, family, adult_unit, municipality):
    """The person page's visibility probes the grant index for this one person; it
    neither scans persons nor builds the set of everyone the unit sees (with a unit
    of thousands of persons, as in a real municipality)."""
    if connection.vendor != "postgresql":
        pytest.fail("runs on PostgreSQL (bin/test's PostgreSQL pass)")
    others = Person.objects.bulk_create(
        Person(
            municipality=municipality,
            identifier_kind=IdentifierKind.NONE,
            approximate_birth_year=1980,
            first_name=f"P{i}",
            search_name=f"p{i}",
        )
        for i in range(3000)
    )
    PersonGrant.objects.bulk_create(
        PersonGrant(municipality=municipality, person=p, unit=adult_unit, reason="registered")
        for p in others
    )
    query = Person.objects.visible_to(worker, "view").filter(pk=family["kim"].pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person, people_persongrant")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index (Only )?Scan using \w+ on people_persongrant", plan), plan
    assert "Seq Scan" not in plan and "hashed SubPlan" not in plan, plan
    assert "Bitmap" not in plan, "a probe for one person, not the unit's grants: " + plan
