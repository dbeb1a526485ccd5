"""The schema stays distributable by municipality (docs/architecture.md, "Beyond one
machine"): every table with municipal data carries municipality, every uniqueness
includes it, and tenant tables point only at tenant or reference tables. Reads the
models through Django's app registry, so it runs the same on SQLite and PostgreSQL."""

# ruff: noqa: DJ008 - the throwaway models below are never shown

import re
from pathlib import Path

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from kinsight.core import tenancy
from kinsight.core.models import Municipality, TenantModel
from kinsight.people.models import Person

DOCS = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_it_finds_nothing_to_fix_in_todays_schema():
    problems = tenancy.schema_violations()
    assert problems == [], "\n".join(problems)


def test_it_keeps_no_list_entry_that_nothing_needs():
    stale = tenancy.stale_entries()
    assert stale == [], f"no longer needed, remove from kinsight/core/tenancy.py and docs: {stale}"


def test_it_classifies_every_table_and_distributes_the_municipal_ones():
    kinds = {model._meta.label: tenancy.kind_of(model) for model in tenancy.tables()}
    assert None not in kinds.values()
    for label in ("people.Person", "cases.Case", "audit.AuditEntry", "family.Consent"):
        assert kinds[label] == "tenant"
    assert kinds["core.Municipality"] == kinds["cases.LegalReference"] == "reference"
    assert kinds["sessions.Session"] == "coordinator"


def _beyond_one_machine():
    text = DOCS.read_text(encoding="utf-8")
    section = re.search(r"^## Beyond one machine\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert section, "docs/architecture.md has no section '## Beyond one machine'"
    return section.group(1)


def test_it_names_every_listed_table_and_uniqueness_in_the_docs():
    section = _beyond_one_machine()
    listed = [
        *tenancy.REFERENCE_TABLES,
        *tenancy.COORDINATOR_TABLES,
        *tenancy.TENANT_TABLES_WITHOUT_MUNICIPALITY,
        *(part for key in tenancy.UNIQUE_WITHOUT_MUNICIPALITY for part in key),
    ]
    missing = [name for name in listed if f"`{name}`" not in section]
    assert missing == [], f'name these in docs/architecture.md, "Beyond one machine": {missing}'


# Throwaway models in a registry of their own: they prove the check fails for what it
# must refuse, without touching the real schema.


def _check(model):
    return tenancy.schema_violations([model])


@isolate_apps("kinsight.core")
def test_it_refuses_a_new_tenant_table_without_municipality():
    class Note(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    (problem,) = _check(Note)
    assert problem.startswith("core.Note has no municipality")
    assert "add the table to REFERENCE_TABLES in kinsight/core/tenancy.py" in problem
    assert 'with a reason in docs/architecture.md ("Beyond one machine")' in problem


@isolate_apps("kinsight.core")
def test_it_refuses_a_municipality_that_may_be_empty():
    class Note(models.Model):
        municipality = models.ForeignKey(
            Municipality, on_delete=models.PROTECT, null=True, related_name="+"
        )

        class Meta:
            app_label = "core"

    (problem,) = _check(Note)
    assert "core.Note.municipality may be empty" in problem and "make it required" in problem


@isolate_apps("kinsight.core")
def test_it_refuses_a_uniqueness_without_municipality_and_accepts_one_with_it():
    class Note(TenantModel):
        code = models.CharField(max_length=10, unique=True)
        name = models.CharField(max_length=10)
        kind = models.CharField(max_length=10)

        class Meta:
            app_label = "core"
            constraints = [
                models.UniqueConstraint(fields=["name"], name="note_unique_name"),
                models.UniqueConstraint(fields=["municipality", "kind"], name="note_kind"),
                models.UniqueConstraint(models.F("municipality"), "name", name="note_expr"),
            ]

    problems = _check(Note)
    assert [p.split(" (")[0] for p in problems] == [
        "core.Note: the uniqueness code",
        "core.Note: the uniqueness note_unique_name",
    ]
    assert all("Add municipality to the constraint, or add the table" in p for p in problems)


@isolate_apps("kinsight.core")
def test_it_refuses_a_tenant_table_pointing_at_a_coordinator_table():
    from django.contrib.sessions.models import Session

    class Note(TenantModel):
        session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    (problem,) = _check(Note)
    assert problem.startswith("core.Note.session -> sessions.Session: a tenant table")
    assert "this one is coordinator" in problem


@isolate_apps("kinsight.core")
def test_it_refuses_a_reference_table_pointing_at_a_tenant_table(monkeypatch):
    class Catalogue(models.Model):
        example = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    monkeypatch.setitem(tenancy.REFERENCE_TABLES, "core.Catalogue", "a test catalogue")
    (problem,) = _check(Catalogue)
    assert problem.startswith("core.Catalogue.example -> people.Person: a reference table")


@pytest.mark.parametrize(
    "entry", [("core.Membership", "membership_unique"), ("detection.ChildQuestion", "case")]
)
def test_it_fails_for_a_known_exception_once_it_is_off_the_list(monkeypatch, entry):
    monkeypatch.delitem(tenancy.UNIQUE_WITHOUT_MUNICIPALITY, entry)
    (problem,) = tenancy.schema_violations()
    assert problem.startswith(f"{entry[0]}: the uniqueness {entry[1]} (")


def test_it_fails_for_a_list_entry_that_matches_nothing(monkeypatch):
    monkeypatch.setitem(tenancy.UNIQUE_WITHOUT_MUNICIPALITY, ("cases.Case", "gone"), "-")
    monkeypatch.setitem(tenancy.REFERENCE_TABLES, "cases.Gone", "-")
    assert tenancy.stale_entries() == ["cases.Gone", ("cases.Case", "gone")]


def test_it_finds_no_unique_index_without_municipality_in_the_database(db):
    problems = tenancy.database_unique_violations(connection)
    assert problems == [], "\n".join(problems)


def test_it_refuses_a_unique_index_made_outside_the_models(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNIQUE INDEX case_probe_unique ON cases_case (opened_on, id)")
    (problem,) = tenancy.database_unique_violations(connection)
    assert problem.startswith("cases_case: the unique index case_probe_unique (opened_on, id)")
    assert "does not include municipality_id. Add municipality to the constraint" in problem
