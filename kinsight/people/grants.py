# ruff: noqa: S608 - the SQL below interpolates table names and enum constants only;
# every value is a parameter.
"""Access kept as a relation: the grants that say which unit sees which person, and why.

The services that create a reason write its grants in the same transaction:
``grant_full`` when a unit comes to see a person in full (a case opened in the unit,
a person registered by it), ``grant_relationship`` when a family relationship is added.
A removed relationship takes its grants with it (foreign key, cascade); an ended one
ends them by its own end date, read at lookup. Grants are never derived at read time.

Data written without the services (the demo generator, imports) calls
``grants_rebuild``; ``grants_compare`` recomputes every grant from its sources and
compares with the kept ones (``manage.py grants_check``).

What gives sight in full comes from the apps that own the reason: each registers a
source, a SELECT of (municipality, person, unit, reason, case) rows, in its
``AppConfig.ready()`` (cases registers its cases), so this module imports no app above
people. Grants that give no sight of relatives (a family work's, a consent's: written by
kinsight/family/grants.py) register whole rows with ``register_source``.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kinsight.people.models import (
    FAMILY_KINDS,
    FULL_REASONS,
    GrantReason,
    Person,
    PersonGrant,
    Relationship,
)

# (sql, params): a SELECT and its parameters.
Sql = tuple[str, list[Any]]
# A grant source: ``source(municipality_id) -> (sql, params)``.
Source = Callable[[int], Sql]

_FULL_SOURCES: list[Source] = []
_SOURCES: list[Source] = []


class OpenedCase(Protocol):
    """What grant_case reads of a case (people imports nothing of cases)."""

    @property
    def pk(self) -> Any: ...
    @property
    def municipality_id(self) -> int: ...
    @property
    def person_id(self) -> int: ...
    @property
    def unit_id(self) -> int: ...


# A typed NULL: PostgreSQL types a bare NULL in a subquery as text, which a UNION with
# an id column then refuses.
NULL_ID = "CAST(NULL AS BIGINT)"
NULL_DATE = "CAST(NULL AS DATE)"


def register_full_source(source: Source) -> None:
    """``source(municipality_id)`` returns ``(sql, params)`` selecting the grants it
    gives as the columns ``m`` (municipality id), ``person_id``, ``unit_id``,
    ``reason`` and ``case_id``, named so (plain SQL that SQLite and PostgreSQL run;
    a missing id as ``NULL_ID``)."""
    _FULL_SOURCES.append(source)


def register_source(source: Source) -> None:
    """For grants that give no sight of relatives (the family work's and consent's):
    ``source(municipality_id)`` returns ``(sql, params)`` selecting whole grant rows,
    the columns ``m`` and those of ``_COLUMNS`` below, in that order."""
    _SOURCES.append(source)


def _registered_source(municipality_id: int) -> Sql:
    table = Person._meta.db_table
    sql = (
        f"SELECT municipality_id AS m, id AS person_id, registered_unit_id AS unit_id, "
        f"'{GrantReason.REGISTERED}' AS reason, {NULL_ID} AS case_id "
        f"FROM {table} WHERE municipality_id = %s AND registered_unit_id IS NOT NULL"
    )
    return sql, [municipality_id]


register_full_source(_registered_source)


# --- writers, called by the services inside their transaction ----------------------


def _related_rows(
    municipality_id: int,
    unit_ids_by_person: Mapping[int, list[int]],
    relationships: Iterable[Relationship],
) -> list[PersonGrant]:
    """Grants "related" for every unit that sees one end of a relationship in full."""
    rows = []
    for rel in relationships:
        for seen, other in (
            (rel.from_person_id, rel.to_person_id),
            (rel.to_person_id, rel.from_person_id),
        ):
            for unit_id in unit_ids_by_person.get(seen, ()):
                rows.append(
                    PersonGrant(
                        municipality_id=municipality_id,
                        person_id=other,
                        unit_id=unit_id,
                        reason=GrantReason.RELATED,
                        relationship_id=rel.pk,
                        via_person_id=seen,
                        valid_to=rel.valid_to,
                    )
                )
    return rows


def grant_full(
    *, municipality_id: int, person_id: int, unit_id: int, reason: str, case_id: int | None = None
) -> None:
    """``unit`` sees the person in full; and so the person's family, for the child
    question (the related grants). Three statements whatever the family's size."""
    rows = [
        PersonGrant(
            municipality_id=municipality_id,
            person_id=person_id,
            unit_id=unit_id,
            reason=reason,
            case_id=case_id,
        )
    ]
    family = Relationship._base_manager.filter(
        Q(from_person_id=person_id) | Q(to_person_id=person_id),
        municipality_id=municipality_id,
        kind__in=FAMILY_KINDS,
    ).only("pk", "from_person_id", "to_person_id", "valid_to")
    rows += _related_rows(municipality_id, {person_id: [unit_id]}, family)
    PersonGrant.objects.bulk_create(rows, ignore_conflicts=True)


def grant_case(case: OpenedCase) -> None:
    grant_full(
        municipality_id=case.municipality_id,
        person_id=case.person_id,
        unit_id=case.unit_id,
        reason=GrantReason.CASE,
        case_id=case.pk,
    )


def grant_registration(person: Person) -> None:
    if person.registered_unit_id:
        grant_full(
            municipality_id=person.municipality_id,
            person_id=person.pk,
            unit_id=person.registered_unit_id,
            reason=GrantReason.REGISTERED,
        )


def grant_relationship(rel: Relationship) -> None:
    """The units that see either end in full now see the other end (limited view)."""
    if rel.kind not in FAMILY_KINDS:
        return
    units: dict[int, list[int]] = {}
    for person_id, unit_id in (
        PersonGrant.objects.filter(
            person_id__in=[rel.from_person_id, rel.to_person_id], reason__in=FULL_REASONS
        )
        .values_list("person_id", "unit_id")
        .distinct()
    ):
        units.setdefault(person_id, []).append(unit_id)
    rows = _related_rows(rel.municipality_id, units, [rel])
    PersonGrant.objects.bulk_create(rows, ignore_conflicts=True)


def grant_relationship_ended(rel: Relationship) -> None:
    """An ended (or re-opened) relationship ends its grants on the same day."""
    PersonGrant.objects.filter(relationship_id=rel.pk).update(valid_to=rel.valid_to)


# --- recompute, compare, rebuild ----------------------------------------------------

_COLUMNS = (
    "person_id, unit_id, reason, case_id, relationship_id, via_person_id, valid_to, "
    "family_work_id, consent_id, valid_from"
)
# The family columns, empty in the grants derived from the full sources.
_NO_FAMILY = f"{NULL_ID}, {NULL_ID}, {NULL_DATE}"


def _expected_sql(municipality_id: int) -> Sql:
    """Every grant the sources give, as (municipality_id, <_COLUMNS>) rows."""
    parts: list[str] = []
    source_params: list[Any] = []
    for source in _FULL_SOURCES:
        sql, params = source(municipality_id)
        parts.append(sql)
        source_params += params
    full = " UNION ALL ".join(parts)
    rel = Relationship._meta.db_table
    kinds = ", ".join(f"'{kind}'" for kind in sorted(FAMILY_KINDS))
    selects = [
        f"SELECT m, person_id, unit_id, reason, case_id, {NULL_ID}, {NULL_ID}, {NULL_DATE}, "
        f"{_NO_FAMILY} FROM ({full}) s"
    ]
    for seen, other in (("from_person_id", "to_person_id"), ("to_person_id", "from_person_id")):
        selects.append(
            f"SELECT DISTINCT r.municipality_id, r.{other}, f.unit_id, '{GrantReason.RELATED}', "
            f"{NULL_ID}, r.id, r.{seen}, r.valid_to, {_NO_FAMILY} "
            f"FROM {rel} r JOIN ({full}) f ON f.person_id = r.{seen} "
            f"WHERE r.municipality_id = %s AND r.kind IN ({kinds})"
        )
    # The full sources appear three times: once as themselves, once per related SELECT.
    params = source_params + (source_params + [municipality_id]) * 2
    for source in _SOURCES:
        sql, source_params = source(municipality_id)
        selects.append(f"SELECT * FROM ({sql}) x")
        params += source_params
    return " UNION ALL ".join(selects), params


def _kept_sql(municipality_id: int) -> Sql:
    table = PersonGrant._meta.db_table
    return f"SELECT municipality_id, {_COLUMNS} FROM {table} WHERE municipality_id = %s", [
        municipality_id
    ]


@dataclass
class Comparison:
    missing: int
    extra: int
    missing_sample: list[tuple[Any, ...]]
    extra_sample: list[tuple[Any, ...]]

    @property
    def differences(self) -> int:
        return self.missing + self.extra


def _difference(first: Sql, second: Sql, limit: int = 5) -> tuple[int, list[tuple[Any, ...]]]:
    (sql_a, params_a), (sql_b, params_b) = first, second
    # Each side in its own subquery: compound SELECTs bind left to right, so a bare
    # "a EXCEPT b UNION ALL c" would add c back after the EXCEPT.
    query = f"SELECT * FROM (SELECT * FROM ({sql_a}) a EXCEPT SELECT * FROM ({sql_b}) b) d"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({query}) c", params_a + params_b)
        count = cursor.fetchone()[0]
        cursor.execute(f"{query} LIMIT {int(limit)}", params_a + params_b)
        return count, cursor.fetchall()


def grants_compare(municipality_id: int) -> Comparison:
    """Recompute every grant of the municipality from its sources and compare."""
    expected, kept = _expected_sql(municipality_id), _kept_sql(municipality_id)
    missing, missing_sample = _difference(expected, kept)
    extra, extra_sample = _difference(kept, expected)
    return Comparison(missing, extra, missing_sample, extra_sample)


def grants_rebuild(municipality_id: int) -> int:
    """Replace the municipality's grants by those its sources give (one DELETE, one
    INSERT … SELECT). For data written without the services, and the repair mode."""
    table = PersonGrant._meta.db_table
    sql, params = _expected_sql(municipality_id)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE municipality_id = %s", [municipality_id])
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, {_COLUMNS}, granted_at) "
            f"SELECT e.*, %s FROM ({sql}) e",
            [timezone.now(), *params],
        )
        return cursor.rowcount
