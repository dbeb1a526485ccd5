"""Who may import (administrators of the municipality: 404 for everyone else), the API
for upload, dry run rows, run, undo and the error report, and bad files refused with a
message that says what to fix."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinsight.audit.models import AuditEntry
from kinsight.imports import formats
from kinsight.imports.models import Import, ImportState
from kinsight.people.models import Person
from tests import factories
from tests.imports.helpers import csv_file, pnr

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


def _run(user, rows=None):
    from kinsight.imports import services

    rows = rows or [[pnr(1980, 11), "Anna", "Ek"] + [""] * 7, ["19800101-0000", "X"] + [""] * 8]
    return services.import_upload(
        actor=user, kind="persons", name="p.csv", data=csv_file("persons", rows)
    )


@pytest.mark.parametrize("who", ["worker", "outsider", "log_reviewer"])
def test_it_is_404_for_everyone_but_the_municipalitys_administrators(
    client, login, administrator, who, request
):
    run = _run(administrator)
    user = request.getfixturevalue(who)
    login(user)
    listed = client.get(reverse("imports:list"))
    if user.is_administrator:  # another municipality's: its own list, without ours
        assert run.file_name not in listed.content.decode()
    else:
        assert listed.status_code == 404
        assert client.get(reverse("imports:template", args=["persons", "csv"])).status_code == 404
    for name in ("detail", "status"):
        assert client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:report", args=[run.pk, "csv"])).status_code == 404
    for name in ("start", "undo"):
        assert client.post(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    api = factories.token_client(user)
    assert api.get(f"{URL}{run.pk}/").status_code == 404
    assert api.post(f"{URL}{run.pk}/run/").status_code == 404
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_api_uploads_checks_runs_and_undoes(administrator):
    api = factories.token_client(administrator)
    data = csv_file("persons", [[pnr(1980, 11), "Anna", "Ek"] + [""] * 7, ["1", "X"] + [""] * 8])
    made = api.post(URL, {"kind": "persons", "file": SimpleUploadedFile("p.csv", data)})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["state"] == "checked"
    assert made.json()["counts"] == {"created": 1, "refused": 1}
    rows = api.get(f"{URL}{pk}/rows/").json()
    assert [r["outcome"] for r in rows] == ["created", "refused"]
    assert "10 eller 12 siffror" in rows[1]["reason"]
    report = api.get(f"{URL}{pk}/xlsx/")
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in next(sheet.iter_rows())] == ["Rad", "Utfall", "Nyckel", "Orsak"]
    assert AuditEntry.objects.filter(action="export", object_id=str(pk)).count() == 1
    assert api.post(f"{URL}{pk}/run/").json()["state"] == "done"
    assert Person.objects.count() == 1
    assert api.post(f"{URL}{pk}/undo/").json()["state"] == "undone"
    assert not Person.objects.exists()
    again = api.post(f"{URL}{pk}/undo/")
    assert again.status_code == 400
    assert "Bara en genomförd import kan ångras." in again.json()["detail"][0]


def test_undo_is_refused_naming_what_changed_since(client, login, administrator):
    run = _run(administrator)
    login(administrator)
    client.post(reverse("imports:start", args=[run.pk]))
    Person.objects.update(first_name="Ändrad", version=2)
    response = client.post(reverse("imports:undo", args=[run.pk]), follow=True)
    text = response.content.decode()
    assert "Importen kan inte ångras" in text and pnr(1980, 11).replace("-", "") in text
    assert Import.objects.get().state == ImportState.DONE
    assert Person.objects.count() == 1


def test_an_update_is_put_back_by_undo(client, login, administrator):
    person = Person.objects.create(
        municipality=administrator.municipality,
        identifier=pnr(1980, 11).replace("-", ""),
        first_name="Gammal",
    )
    run = _run(administrator, [[pnr(1980, 11), "Ny", "Ek"] + [""] * 7])
    assert run.counts == {"updated": 1}
    login(administrator)
    client.post(reverse("imports:start", args=[run.pk]))
    person.refresh_from_db()
    assert (person.first_name, person.version) == ("Ny", 2)
    client.post(reverse("imports:undo", args=[run.pk]))
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.search_name) == ("Gammal", "", "gammal")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("p.txt", b"x", "Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
        ("p.csv", b"namn;x\nA;B\n", "Filen saknar kolumnen personnummer, fornamn."),
        ("p.csv", "personnummer;fornamn\n".encode("latin-1") + b"\xe5", "UTF-8"),
        ("p.xlsx", b"not a workbook", "Excel-filen kunde inte läsas."),
    ],
)
def test_a_bad_file_is_refused_with_what_to_fix(client, login, administrator, name, data, message):
    login(administrator)
    response = client.post(
        reverse("imports:list"), {"kind": "persons", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Import.objects.exists()


def test_excel_files_and_the_templates_are_read_alike(client, login, administrator):
    login(administrator)
    for kind in formats.COLUMNS:
        for fmt in formats.FORMATS:
            response = client.get(reverse("imports:template", args=[kind, fmt]))
            rows = formats.read_rows(response.content, fmt, kind)
            assert rows[0][1][formats.header(kind)[0]] == formats.EXAMPLES[kind][0]
    book = Workbook()
    book.active.append(formats.header("persons"))
    book.active.append([pnr(1980, 11), "Anna", "Ek"])
    out = io.BytesIO()
    book.save(out)
    client.post(
        reverse("imports:list"),
        {"kind": "persons", "file": SimpleUploadedFile("p.xlsx", out.getvalue())},
    )
    assert Import.objects.get().counts == {"created": 1}


def test_a_file_over_the_limit_is_refused(client, login, administrator, monkeypatch):
    monkeypatch.setattr(formats, "MAX_BYTES", 10)
    login(administrator)
    data = csv_file("persons", [[pnr(1980, 11), "Anna"]])
    response = client.post(
        reverse("imports:list"), {"kind": "persons", "file": SimpleUploadedFile("p.csv", data)}
    )
    assert response.status_code == 400
    assert "Filen är större än 20 MB. Dela upp den." in response.content.decode()
