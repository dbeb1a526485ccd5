"""Files for the import tests: CSV text from rows, and valid personnummer."""

import datetime

from kinsight.imports.formats import header
from kinsight.people.identifiers import synthetic_national


def pnr(year: int, serial: int, month: int = 1, day: int = 1) -> str:
    number = synthetic_national(datetime.date(year, month, day), serial)
    return f"{number[:8]}-{number[8:]}"


def csv_file(kind: str, rows: list[list[str]]) -> bytes:
    lines = [";".join(header(kind))] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
