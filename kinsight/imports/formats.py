"""The import format: the columns of each kind with their Swedish guide, reading an
uploaded CSV or Excel file into rows, the empty templates and the error report
(docs/import-format.md describes the same columns for the municipality's IT staff)."""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.imports.models import ImportKind
from kinsight.ui.exports import csv_safe

MAX_BYTES = 20 * 1024 * 1024  # nginx takes 20 MB (contrib/nginx, client_max_body_size)
MAX_ROWS = 500_000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    guide: Any  # a lazy Swedish text


def _c(name: str, required: bool, guide: Any) -> Column:
    return Column(name, required, guide)


PNR = gettext_lazy("Personnummer eller samordningsnummer, 10 eller 12 siffror (ÅÅÅÅMMDD-NNNN).")
DATE = gettext_lazy("Datum ÅÅÅÅ-MM-DD.")

COLUMNS: dict[str, list[Column]] = {
    ImportKind.PERSONS: [
        _c("personnummer", True, PNR),
        _c("fornamn", True, gettext_lazy("Förnamn.")),
        _c("efternamn", False, gettext_lazy("Efternamn.")),
        _c("kon", False, gettext_lazy("kvinna, man eller annat; tomt om okänt.")),
        _c(
            "skyddad_identitet",
            False,
            gettext_lazy("ja för sekretessmarkering eller skyddad folkbokföring, annars tomt."),
        ),
        _c("avliden", False, DATE),
        _c(
            "gatuadress",
            False,
            gettext_lazy("Gatuadress. Visas aldrig för en person med skyddade personuppgifter."),
        ),
        _c("postnummer", False, gettext_lazy("Fem siffror.")),
        _c("ort", False, gettext_lazy("Postort.")),
        _c(
            "enhet",
            False,
            gettext_lazy("Enhetens nummer eller namn i Kinsight: enheten som ser personen."),
        ),
    ],
    ImportKind.RELATIONSHIPS: [
        _c("personnummer", True, PNR),
        _c(
            "relation",
            True,
            gettext_lazy(
                "foralder, vardnadshavare, bor_heltid, bor_deltid, bor_vaxelvis, syskon, "
                "partner eller hushall: personen är <relation> till den relaterade."
            ),
        ),
        _c("relaterad_personnummer", True, PNR),
        _c("fran", False, DATE),
        _c("till", False, DATE),
    ],
    ImportKind.CASES: [
        _c("extern_id", True, gettext_lazy("Ärendets id i det tidigare systemet (unikt).")),
        _c("personnummer", True, PNR),
        _c("enhet", True, gettext_lazy("Enhetens nummer eller namn i Kinsight.")),
        _c(
            "status",
            True,
            gettext_lazy(
                "aktualisering, forhandsbedomning, utredning, beslut, insats, uppfoljning "
                "eller avslutad."
            ),
        ),
        _c("arendemening", True, gettext_lazy("Vad ärendet gäller, högst 200 tecken.")),
        _c("inlett", True, DATE),
        _c("avslutat", False, gettext_lazy("Datum ÅÅÅÅ-MM-DD; krävs när status är avslutad.")),
    ],
    ImportKind.NOTES: [
        _c("extern_id", True, gettext_lazy("Anteckningens id i det tidigare systemet (unikt).")),
        _c("arende_extern_id", True, gettext_lazy("Ärendets extern_id (importerat före).")),
        _c("datum", True, gettext_lazy("Datum ÅÅÅÅ-MM-DD då anteckningen signerades.")),
        _c(
            "forfattare",
            True,
            gettext_lazy(
                "Användarnamnet i Kinsight, eller namnet på den som skrev den i det tidigare "
                "systemet (sparas som text i anteckningen)."
            ),
        ),
        _c("text", True, gettext_lazy("Anteckningens text.")),
    ],
    ImportKind.CHILDREN: [
        _c("arende_extern_id", True, gettext_lazy("Förälderns ärendes extern_id.")),
        _c("barnets_fornamn", True, gettext_lazy("Barnets förnamn.")),
        _c("fodelsear", True, gettext_lazy("Fyra siffror.")),
        _c(
            "barnets_personnummer",
            False,
            gettext_lazy("Om barnet finns som person i Kinsight kopplas det dit."),
        ),
        _c(
            "vardnad",
            False,
            gettext_lazy("gemensam, foraldern, andra_foraldern, annan eller tomt (okänt)."),
        ),
        _c("bor_hos", False, gettext_lazy("heltid, deltid, inte eller tomt (okänt).")),
    ],
}

# Example rows for the templates (invented: numbers from the test series of the tax
# agency are not used, these fail nobody's check).
EXAMPLES: dict[str, list[str]] = {
    ImportKind.PERSONS: [
        "19850312-2387",
        "Anna",
        "Exempel",
        "kvinna",
        "",
        "",
        "Storgatan 1",
        "12345",
        "Exempelstad",
        "",
    ],
    ImportKind.RELATIONSHIPS: ["19850312-2387", "foralder", "20150101-2387", "2015-01-01", ""],
    ImportKind.CASES: [
        "A-1001",
        "19850312-2387",
        "Vuxen Norr",
        "utredning",
        "Ansökan om stöd",
        "2024-03-01",
        "",
    ],
    ImportKind.NOTES: ["J-1", "A-1001", "2024-03-02", "Eva Handläggare", "Samtal med Anna."],
    ImportKind.CHILDREN: ["A-1001", "Bo", "2015", "20150101-2387", "gemensam", "heltid"],
}


def header(kind: str) -> list[str]:
    return [column.name for column in COLUMNS[kind]]


class FileRefused(ValidationError):
    pass


def _refuse(message: str) -> FileRefused:
    return FileRefused({"file": message})


def format_of(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FORMATS:
        raise _refuse(_("Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))
    return ext


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # an Excel date cell
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            _("Filen är inte sparad som UTF-8. Spara den som CSV UTF-8 och försök igen.")
        ) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    for line in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [cell.strip() for cell in line]


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file it cannot read
        raise _refuse(
            _("Excel-filen kunde inte läsas. Spara den som .xlsx och försök igen.")
        ) from error
    for values in book.worksheets[0].iter_rows(values_only=True):
        yield [_cell(value) for value in values]


def read_rows(data: bytes, file_format: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each row below the header that is not empty.
    Refuses (FileRefused) a file whose header lacks a required column."""
    lines = _xlsx_lines(data) if file_format == "xlsx" else _csv_lines(data)
    head = [name.strip().lower() for name in next(lines, [])]
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in head]
    if missing:
        raise _refuse(
            _("Filen saknar kolumnen %(columns)s. Första raden ska vara kolumnnamnen: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(header(kind))}
        )
    rows = []
    for number, line in enumerate(lines, start=2):
        if not any(line):
            continue
        rows.append(
            (number, {name: (line[i] if i < len(line) else "") for i, name in enumerate(head)})
        )
        if len(rows) > MAX_ROWS:
            raise _refuse(_("Filen har fler än %(max)s rader. Dela upp den.") % {"max": MAX_ROWS})
    return rows


def write_table(rows: Sequence[Sequence[Any]], file_format: str, title: str) -> bytes:
    """``rows`` (the first the header) as a CSV (";" with a BOM, cells through
    csv_safe) or as a workbook with one sheet."""
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([csv_safe(str(cell)) for cell in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerows([[csv_safe(str(cell)) for cell in row] for row in rows])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def template(kind: str, file_format: str) -> bytes:
    return write_table([header(kind), EXAMPLES[kind]], file_format, str(ImportKind(kind).label))
