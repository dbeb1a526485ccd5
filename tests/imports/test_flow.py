"""An import through its page: upload, dry run per row, run (idempotent), undo."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.cases.models import Case
from kinsight.core.models import UnitType
from kinsight.imports.models import Import, ImportState
from kinsight.people.models import Person, PersonGrant, Relationship
from tests.imports.helpers import csv_file, pnr

pytestmark = pytest.mark.django_db


def _upload(client, kind, data, name="fil.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("imports:list"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def _persons(unit_name):
    return csv_file(
        "persons",
        [
            [pnr(1980, 11), "Anna", "Ek", "kvinna", "", "", "Gatan 1", "12345", "Stad", unit_name],
            [pnr(1982, 21), "Bo", "Ek", "man", "", "", "", "", "", unit_name],
            ["19800101-0000", "Fel", "Nummer", "", "", "", "", "", "", ""],
            [pnr(1980, 11), "Anna", "Ek", "kvinna", "", "", "", "", "", ""],
            [pnr(1990, 31), "Cilla", "Ek", "", "", "", "", "", "", "Finns inte"],
        ],
    )


def test_it_dry_runs_runs_and_undoes_persons(client, login, administrator, org):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    login(administrator)
    response = _upload(client, "persons", _persons(unit.name))
    run = Import.objects.get()
    assert response.status_code == 302
    assert run.state == ImportState.CHECKED
    assert run.counts == {"created": 2, "refused": 3}
    reasons = [row[3] for row in run.report if row[1] == "refused"]
    assert "Ogiltigt personnummer" in reasons[0]
    assert reasons[1] == "Raden finns redan tidigare i filen."
    assert "Okänd enhet: Finns inte" in reasons[2]
    assert not Person.objects.exists()

    page = client.get(reverse("imports:detail", args=[run.pk]))
    assert page.status_code == 200
    assert "Raden finns redan tidigare i filen." in page.content.decode()

    client.post(reverse("imports:start", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.DONE
    assert run.counts["created"] == 2
    anna = Person.objects.get(first_name="Anna")
    assert anna.registered_unit == unit and anna.search_name == "anna ek"
    assert PersonGrant.objects.filter(person=anna, unit=unit, reason="registered").exists()
    batch = AuditEntry.objects.filter(object_type="imports.import", action="create").last()
    assert batch.changes["created"] == 2
    assert sorted(s.person_id for s in batch.subjects.all()) == sorted(
        Person.objects.values_list("pk", flat=True)
    )

    # The same file again changes nothing.
    _upload(client, "persons", _persons(unit.name))
    second = Import.objects.latest("pk")
    assert second.counts == {"unchanged": 2, "refused": 3}

    client.post(reverse("imports:undo", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.UNDONE
    assert not Person.objects.exists()
    assert not PersonGrant.objects.exists()


def test_it_imports_relationships_cases_notes_and_children(client, login, administrator, org):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    login(administrator)
    parent, child = pnr(1980, 11), pnr(2015, 21)
    _upload(
        client,
        "persons",
        csv_file("persons", [[parent, "Anna", "Ek"] + [""] * 7, [child, "Bo", "Ek"] + [""] * 7]),
    )
    client.post(reverse("imports:start", args=[Import.objects.latest("pk").pk]))
    rels = [
        [parent, "foralder", child, "2015-01-01", ""],
        [parent, "syskon", pnr(1999, 41), "", ""],
    ]
    _upload(client, "relationships", csv_file("relationships", rels))
    run = Import.objects.latest("pk")
    assert run.counts == {"created": 1, "refused": 1}
    client.post(reverse("imports:start", args=[run.pk]))
    assert Relationship.objects.get().kind == "parent"
    cases = [
        ["A-1", parent, unit.name, "avslutad", "Ansökan", "2020-01-01", "2020-06-01"],
        ["A-2", parent, str(unit.pk), "utredning", "Ny ansökan", "2024-01-01", ""],
        ["A-3", parent, unit.name, "avslutad", "Utan slut", "2024-01-01", ""],
    ]
    _upload(client, "cases", csv_file("cases", cases))
    run = Import.objects.latest("pk")
    assert run.counts == {"created": 2, "refused": 1}
    client.post(reverse("imports:start", args=[run.pk]))
    assert Case.objects.count() == 2
    notes = [
        ["J-1", "A-2", "2024-01-05", "Eva Gammal", "Första samtalet."],
        ["J-2", "A-9", "2024-01-05", "Eva Gammal", "Fel ärende."],
        ["J-3", "A-2", "2024-01-06", administrator.username, "Eget."],
    ]
    _upload(client, "notes", csv_file("notes", notes))
    run = Import.objects.latest("pk")
    assert run.counts == {"created": 2, "refused": 1}
    client.post(reverse("imports:start", args=[run.pk]))
    note = Case.objects.get(subject="Ny ansökan").notes.get(text__contains="Första")
    assert note.signed_at.date().isoformat() == "2024-01-05"
    assert note.text.startswith(
        "Importerad från tidigare system. Skriven av Eva Gammal 2024-01-05."
    )
    # The same notes again change nothing; a signed note's text is never changed.
    _upload(client, "notes", csv_file("notes", notes))
    assert Import.objects.latest("pk").counts == {"unchanged": 2, "refused": 1}
    notes[0][4] = "Ändrad text."
    _upload(client, "notes", csv_file("notes", notes))
    changed = Import.objects.latest("pk")
    assert changed.counts == {"unchanged": 1, "refused": 2}
    assert "En signerad anteckning ändras aldrig" in changed.report[0][3]
    children = [
        ["A-2", "Bo", "2015", child, "gemensam", "heltid"],
        ["A-2", "Lisa", "2018", "", "", ""],
    ]
    _upload(client, "children", csv_file("children", children))
    run = Import.objects.latest("pk")
    assert run.counts == {"created": 2}
    client.post(reverse("imports:start", args=[run.pk]))
    case = Case.objects.get(subject="Ny ansökan")
    assert sorted(case.child_records.values_list("first_name", flat=True)) == ["Bo", "Lisa"]
    # again: nothing changes
    _upload(client, "children", csv_file("children", children))
    assert Import.objects.latest("pk").counts == {"unchanged": 2}
    # Undo refuses while something hangs on what the import wrote.
    persons_run = Import.objects.filter(kind="persons").earliest("pk")
    refused = client.post(reverse("imports:undo", args=[persons_run.pk]), follow=True)
    assert "av personerna har relationer" in refused.content.decode()
    cases_run = Import.objects.filter(kind="cases").earliest("pk")
    refused = client.post(reverse("imports:undo", args=[cases_run.pk]), follow=True)
    assert "hänger på de importerade posterna" in refused.content.decode()
    assert Case.objects.count() == 2


def test_a_failing_dry_run_is_kept_as_a_message_and_logged_without_personal_data(
    client, login, administrator, org, monkeypatch, caplog
):
    from kinsight.imports import services

    def crash(*args, **kwargs):
        raise RuntimeError("Anna Ek 19801101")

    monkeypatch.setattr(services, "plan", crash)
    login(administrator)
    _upload(client, "persons", _persons(org["units"][UnitType.ADULTS_ADDICTION].name))
    run = Import.objects.get()
    assert run.state == ImportState.FAILED and run.finished_at is not None
    assert "Starta den igen" in run.message
    assert [r.getMessage() for r in caplog.records] == [f"imports.import {run.pk} failed"]
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Starta den igen" in page
