"""What a shared file may be: PDF, or a zip-based office document (OOXML: docx, pptx,
xlsx; ODF: odp), checked by the name's extension AND the content's signature, and not
larger than ``KINSIGHT_NETWORK_FILE_MAX_MB`` (default 20). Anything else is refused
with a message that says what is accepted."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    part: str  # a member of the zip that the format always has ("" for a PDF)


KINDS = {
    "pdf": Kind("application/pdf", ""),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"
    ),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "odp": Kind("application/vnd.oasis.opendocument.presentation", "mimetype"),
}


def max_bytes() -> int:
    return int(getattr(settings, "KINSIGHT_NETWORK_FILE_MAX_MB", 20)) * 1024 * 1024


def _zip_holds(data: bytes, kind: Kind) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if kind.part == "mimetype":
                return archive.read("mimetype").decode("ascii", "replace") == kind.content_type
            return "[Content_Types].xml" in names and any(n.startswith(kind.part) for n in names)
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False


def checked(name: str, size: int, data: bytes) -> Kind:
    """The file's kind, or a ValidationError saying why it is refused."""
    limit = max_bytes()
    if size > limit:
        message = _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
        raise ValidationError(
            {"file": message % {"size": round(size / 1024 / 1024, 1), "max": limit // 1024 // 1024}}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        message = _("Filtypen tas inte emot. Ladda upp PDF, PPTX, ODP, DOCX eller XLSX.")
        raise ValidationError({"file": message})
    fits = data.startswith(b"%PDF-") if extension == "pdf" else _zip_holds(data, kind)
    if not fits:
        message = _(
            "Filens innehåll stämmer inte med filtypen .%(ext)s. Spara filen på nytt i "
            "rätt format och ladda upp den igen."
        )
        raise ValidationError({"file": message % {"ext": extension}})
    return kind


def download(shared: Any) -> HttpResponse:
    """A shared file as an attachment of its checked type, never sniffed nor cached."""
    response = HttpResponse(bytes(shared.data), content_type=shared.content_type)
    response["Content-Disposition"] = content_disposition_header(True, shared.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
