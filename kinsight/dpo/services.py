"""The register extract's writes: a request received, compiled, reviewed, released
or refused, and each download. Only a log reviewer (loggranskare / dataskyddsombud)
may do any of it.

**The unscoped read.** Compiling must find everything about the person, also what no
unit of the log reviewer's could see through ``visible_to`` (which stays as it is for
every other use). So ``extract_compile`` reads each app's model through its manager
filtered only by the municipality and the person (``sources.Kind.rows``), and only
here: it requires the log-reviewer role first and writes one audit read per kind,
naming every row read, with the reason ``registerutdrag`` and the request. The person
chosen for a request is likewise found among all the municipality's persons, as the
log reviewer's log search does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.audit.services import audit_read_many, audit_record, reads_batch
from kinsight.core.services import create_audited, update_audited
from kinsight.dpo import sources
from kinsight.dpo.models import ExtractRequest, ExtractStatus, due_on
from kinsight.people.identifiers import search_forms
from kinsight.people.models import Person

if TYPE_CHECKING:
    import datetime

    from kinsight.core.models import User

REASON = "registerutdrag"
RELEASE, WITHHOLD = "release", "withhold"
STEP_FIELDS = ["status", "release_note"]


def require_dpo(actor: User) -> int:
    """The municipality whose extracts ``actor`` handles; 403 for anyone but a log
    reviewer (pages and the API answer 404 before they get here)."""
    if not (actor.is_authenticated and actor.municipality_id and actor.is_log_reviewer):
        raise PermissionDenied
    return actor.municipality_id


def _refuse_unless(request: ExtractRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise ValidationError(
            _("Det går inte i det här steget (status: %(status)s).")
            % {"status": request.get_status_display()}
        )


def extract_request_create(
    *, actor: User, identifier: str, received_on: datetime.date, requested_via: str = ""
) -> ExtractRequest:
    """Register a request for the person with ``identifier`` (personnummer or
    samordningsnummer), due one month after ``received_on``."""
    municipality_id = require_dpo(actor)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Datumet kan inte vara i framtiden.")})
    forms = search_forms(identifier, municipality=actor.municipality)
    person = Person.objects.filter(municipality_id=municipality_id, identifier__in=forms).first()
    if person is None:
        raise ValidationError(
            {"identifier": _("Ingen person med det numret finns i kommunens register.")}
        )
    with transaction.atomic():
        return create_audited(
            actor,
            ExtractRequest,
            ["person", "received_on", "due_on", "requested_via", "status"],
            person=person,
            received_on=received_on,
            due_on=due_on(received_on),
            requested_via=requested_via,
            received_by=actor,
        )


def _corrections(
    actor: User, person_id: int, sections: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The correction history: signed notes that correct another, and the audited
    changes of the person's own data ([before, after]) — one query."""
    corrects, signed = str(sources.CORRECTS), str(sources.SIGNED)
    found = [
        {
            "at": it["fields"].get(signed, ""),
            "what": _("%(note)s rättar anteckning %(earlier)s")
            % {"note": it["title"], "earlier": it["fields"][corrects]},
            "changes": {},
        }
        for section in sections
        for it in section["items"]
        if it["fields"].get(corrects)
    ]
    # Found through the rows' subjects (the index the person's log reads).
    changes = AuditEntry.objects.visible_to(actor, "view").filter(
        subjects__municipality_id=actor.municipality_id,
        subjects__person_id=person_id,
        object_type="people.person",
        object_id=str(person_id),
        action=AuditAction.UPDATE,
    )
    for entry in changes.order_by("seq"):
        when = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
        changed = {_field_label(name): change for name, change in entry.changes.items()}
        found.append({"at": when, "what": _("Ändring av personuppgifter"), "changes": changed})
    return found


def _field_label(name: str) -> str:
    try:
        return str(Person._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def _compile(actor: User, request: ExtractRequest) -> dict[str, Any]:
    sections = []
    for kind in sources.KINDS:
        rows = list(kind.rows(request.municipality_id, request.person_id))
        audit_read_many(
            actor=actor,
            objects=rows,
            object_type=rows[0]._meta.label_lower if rows else "",
            subjects=[request.person_id],
            reason=REASON,
            extract=request.pk,
        )
        items = [sources.item(kind, row, request.person_id) for row in rows]
        sections.append({"key": kind.key, "label": str(kind.label), "items": items})
    return {
        "compiled_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "sections": sections,
        "corrections": _corrections(actor, request.person_id, sections),
    }


def extract_compile(
    *, actor: User, request: ExtractRequest, expected_version: int
) -> ExtractRequest:
    """Gather everything the municipality holds about the person (again, until it is
    released): every read audited with the reason ``registerutdrag``."""
    require_dpo(actor)
    _refuse_unless(request, ExtractStatus.RECEIVED, ExtractStatus.COMPILED, ExtractStatus.REVIEWED)
    with transaction.atomic(), reads_batch():
        extract = _compile(actor, request)
        values = {
            "extract": extract,
            "status": ExtractStatus.COMPILED,
            "compiled_at": timezone.now(),
            "compiled_by": actor,
        }
        return update_audited(
            actor, request, values, expected_version=expected_version, audited=STEP_FIELDS
        )


def flagged(extract: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        it
        for section in extract.get("sections", [])
        for it in section["items"]
        if it["withhold_review"]
    ]


def extract_review(
    *, actor: User, request: ExtractRequest, decisions: Mapping[str, str], expected_version: int
) -> ExtractRequest:
    """Decide each flagged item: released to the person or withheld under OSL. Every
    flagged item needs a decision; the decisions (item keys, no content) are audited."""
    require_dpo(actor)
    _refuse_unless(request, ExtractStatus.COMPILED, ExtractStatus.REVIEWED)
    extract = request.extract
    items = flagged(extract)
    missing = [it["title"] for it in items if decisions.get(it["key"]) not in (RELEASE, WITHHOLD)]
    if missing:
        raise ValidationError(
            _("Välj lämna ut eller sekretess för: %(items)s.") % {"items": ", ".join(missing)}
        )
    for it in items:
        it["decision"] = decisions[it["key"]]
    with transaction.atomic():
        values = {
            "extract": extract,
            "status": ExtractStatus.REVIEWED,
            "reviewed_at": timezone.now(),
            "reviewed_by": actor,
        }
        update_audited(
            actor, request, values, expected_version=expected_version, audited=["status"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=request,
            changes={"decisions": [None, {it["key"]: it["decision"] for it in items}]},
        )
        return request


def _close(
    actor: User, request: ExtractRequest, status: str, note: str, expected_version: int
) -> ExtractRequest:
    with transaction.atomic():
        values = {
            "status": status,
            "release_note": note,
            "released_at": timezone.now(),
            "released_by": actor,
        }
        return update_audited(
            actor, request, values, expected_version=expected_version, audited=STEP_FIELDS
        )


def extract_release(
    *, actor: User, request: ExtractRequest, note: str = "", expected_version: int
) -> ExtractRequest:
    """Release the reviewed extract to the person: from now on it can be downloaded,
    without the withheld items."""
    require_dpo(actor)
    _refuse_unless(request, ExtractStatus.REVIEWED)
    return _close(actor, request, ExtractStatus.RELEASED, note, expected_version)


def extract_refuse(
    *, actor: User, request: ExtractRequest, note: str, expected_version: int
) -> ExtractRequest:
    """Refuse the request (GDPR art. 12.5); the reason is kept and audited."""
    require_dpo(actor)
    _refuse_unless(request, ExtractStatus.RECEIVED, ExtractStatus.COMPILED, ExtractStatus.REVIEWED)
    if not note.strip():
        raise ValidationError({"note": _("Skriv varför begäran avslås.")})
    return _close(actor, request, ExtractStatus.REFUSED, note, expected_version)


def released(request: ExtractRequest) -> dict[str, Any]:
    """The extract as released: the withheld items left out, and how many were."""
    sections, withheld = [], 0
    for section in request.extract.get("sections", []):
        kept = [it for it in section["items"] if it["decision"] != WITHHOLD]
        withheld += len(section["items"]) - len(kept)
        released_items = [{k: it[k] for k in ("key", "title", "fields")} for it in kept]
        sections.append({"key": section["key"], "label": section["label"], "items": released_items})
    return {
        "request": request.pk,
        "compiled_at": request.extract.get("compiled_at"),
        "released_at": request.released_at.isoformat() if request.released_at else None,
        "sections": sections,
        "corrections": request.extract.get("corrections", []),
        "withheld": withheld,
    }


def extract_export(*, actor: User, request: ExtractRequest, fmt: str) -> dict[str, Any]:
    """The released extract for a download, audited as an export naming the items
    it holds (their keys, never their content)."""
    require_dpo(actor)
    _refuse_unless(request, ExtractStatus.RELEASED)
    document = released(request)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=request,
            changes={
                "format": fmt,
                "items": [it["key"] for s in document["sections"] for it in s["items"]],
                "withheld": document["withheld"],
            },
        )
    return document
