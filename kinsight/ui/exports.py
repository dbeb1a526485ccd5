"""Safe exports: one way to give a file (docs/architecture.md "Safe exports").

A view that gives a file is wrapped in ``accounts.reauth.require_recent_auth`` (an API
action calls ``check_api_export``), marks the file with ``watermark(user)`` through the
helper of its format, and answers with ``export_response``, which writes the export's
audit row (the app's own, naming what the file holds by ids) before the file leaves.

Where the mark goes: a PDF made from a template includes ``ui/_print_watermark.html``
(a running header on every page); a made PDF gets the same line stamped on each page
(``stamp_pdf``); a workbook the header and footer of every sheet and a line under the
first sheet's content (``mark_workbook``, ``stamp_xlsx`` for a made file); a CSV a last
line (the header stays the first line, so Excel and other readers see the table as
before); JSON the top-level ``exported_by`` and ``exported_at``."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @
    (or a tab or carriage return) gets a leading quote. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Watermark:
    """Who exported, and when (local time)."""

    by: str
    at: datetime.datetime

    @property
    def text(self) -> str:
        return _("Exporterad av %(by)s %(at)s") % {"by": self.by, "at": f"{self.at:%Y-%m-%d %H:%M}"}

    def as_json(self) -> dict[str, str]:
        return {"exported_by": self.by, "exported_at": self.at.isoformat()}


def watermark(user: Any) -> Watermark:
    """The mark of ``user`` now: their name and username, so two of the same name differ."""
    name = user.get_full_name()
    by = f"{name} ({user.username})" if name else user.username
    return Watermark(by=by, at=timezone.localtime())


def export_response(
    *, content: bytes | str, filename: str, content_type: str, audit: Callable[[], object]
) -> HttpResponse:
    """The file as a download. ``audit`` writes the export's row (what the file holds,
    by ids) and runs first: a failed audit gives no file. Never cached."""
    audit()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_writer(out: Any) -> Any:
    """A CSV writer as Excel in Sweden reads it: ";" and UTF-8 with a byte order mark."""
    out.write("\ufeff")
    return csv.writer(out, delimiter=";")


def csv_mark(writer: Any, mark: Watermark, width: int) -> None:
    """The watermark as the file's last line, as wide as the table's ``width`` columns
    (every line the same number of fields, as readers expect)."""
    writer.writerow([csv_safe(mark.text), *[""] * (width - 1)])


def with_mark(document: dict[str, Any], mark: Watermark) -> dict[str, Any]:
    """A JSON document with who exported it and when at the top."""
    return {**mark.as_json(), **document}


def _header_text(mark: Watermark) -> str:
    """The mark as header text: "&" starts a code in Excel's headers, "&&" is one "&"."""
    return mark.text.replace("&", "&&")


def mark_workbook(book: Any, mark: Watermark) -> None:
    """Every sheet's printed header and footer, and a line under the first sheet."""
    for sheet in book.worksheets:
        for part in (sheet.oddHeader, sheet.oddFooter, sheet.firstHeader, sheet.firstFooter):
            part.right.text = _header_text(mark)
    first = book.worksheets[0]
    cell = first.cell(row=first.max_row + 2, column=1, value=csv_safe(mark.text))
    cell.data_type = "s"


# Where <headerFooter> goes in a sheet's XML: before the first of these (ECMA-376 order).
_AFTER_HEADER = re.compile(
    rb"<(?:rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing"
    rb"|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts"
    rb"|extLst)\b|</worksheet>"
)
_HEADER_FOOTER = re.compile(rb"<headerFooter\b.*?(?:</headerFooter>|/>)", re.S)


def stamp_xlsx(data: bytes, mark: Watermark) -> bytes:
    """A made workbook with the watermark as every sheet's header and footer, written
    into the sheets' XML so its charts stay (openpyxl would drop them on reading)."""
    text = escape("&R" + _header_text(mark)).encode()
    part = b"<headerFooter><oddHeader>%s</oddHeader><oddFooter>%s</oddFooter></headerFooter>"
    block = part % (text, text)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = _HEADER_FOOTER.sub(b"", content)
                at = _AFTER_HEADER.search(content)
                if at is not None:
                    content = content[: at.start()] + block + content[at.start() :]
            target.writestr(item, content)
    return out.getvalue()


def stamp_pdf(data: bytes, mark: Watermark) -> bytes:
    """A made PDF with the watermark at the top right of every page."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    html = (
        "<style>@page { size: A4; margin: 0 } p { position: absolute; top: 6mm; right: 16mm;"
        ' margin: 0; font: 8pt "DejaVu Sans", sans-serif; color: #444 }</style>'
        f"<p>{escape(mark.text)}</p>"
    )
    stamp = PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0]
    writer = PdfWriter(clone_from=io.BytesIO(data))
    for page in writer.pages:
        page.merge_page(stamp, over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
