"""Writes to signed notes (kinsight.core.notes.SignedNote), shared by every app that
keeps one: create a draft (or a correction), save the draft (also the autosave), sign,
discard. Each app's service checks the parent (may the actor write on this case, this
meeting?) and calls these with its note model and its own wording (``NoteTexts``);
each takes the acting user, checks, writes and audits in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record
from kinsight.core.models import User
from kinsight.core.notes import NOTE_FIELDS, SignedNote
from kinsight.core.versioning import save_versioned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_N = TypeVar("_N", bound=SignedNote)


@dataclass(frozen=True)
class NoteTexts:
    """What the refusals say, in the app's own words (gettext'd by the caller)."""

    signed: StrOrPromise  # a signed note was to be changed
    empty: StrOrPromise  # an empty note was to be signed
    not_correctable: StrOrPromise  # a correction of a draft or of another parent's note


def signed_note_create(
    *,
    actor: User,
    model: type[_N],
    parent: Any,
    texts: NoteTexts,
    text: str = "",
    corrects: _N | None = None,
    **extra: Any,
) -> _N:
    """A new draft on ``parent`` (a correction when ``corrects`` is a signed note of
    the same parent). The caller has checked that ``actor`` may write on ``parent``;
    ``extra``: the model's own fields (e.g. the unit of a journal note)."""
    if corrects is not None:
        require(model.objects.visible_to(actor, "view"), corrects)
        if getattr(corrects, f"{model.parent}_id") != parent.pk or not corrects.is_signed:
            raise ValidationError(texts.not_correctable)
    with transaction.atomic():
        note = model(
            municipality_id=actor.municipality_id,
            author=actor,
            text=text or "",
            corrects=corrects,
            **{model.parent: parent},
            **extra,
        )
        note.save()
        return audit_created(actor, note, [model.parent, *extra, *NOTE_FIELDS])


def _stored_draft(actor: User, note: _N, texts: NoteTexts) -> _N:
    """The note as stored, refused when it is signed (whoever asks: the refusal keeps
    the text in the form) or when ``actor`` may not change it."""
    stored = type(note)._base_manager.get(pk=note.pk)
    if stored.is_signed:
        raise ValidationError({"text": texts.signed})
    require(type(note).objects.visible_to(actor, "change"), note)
    return stored


def signed_note_save_draft(
    *, actor: User, note: _N, text: str, expected_version: int | None, texts: NoteTexts
) -> _N:
    """Save and autosave: only the author, only while unsigned; a save that changes
    nothing (autosave on leaving the text box) writes nothing."""
    stored = _stored_draft(actor, note, texts)
    if stored.text == (text or "") and stored.version == expected_version:
        return note
    with transaction.atomic():
        note.text = text or ""
        note.updated_at = timezone.now()
        save_versioned(note, expected_version=expected_version, fields=["text", "updated_at"])
        if stored.text != note.text:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=note,
                changes={"text": [len(stored.text), len(note.text)]},
            )
        return note


def signed_note_sign(
    *, actor: User, note: _N, text: str, expected_version: int | None, texts: NoteTexts
) -> _N:
    """Save the final text and sign: from now on the note never changes."""
    stored = _stored_draft(actor, note, texts)
    if not (text or "").strip():
        raise ValidationError({"text": texts.empty})
    with transaction.atomic():
        note.text = text
        note.updated_at = note.signed_at = timezone.now()
        note.signed_by = actor
        save_versioned(
            note,
            expected_version=expected_version,
            fields=["text", "updated_at", "signed_at", "signed_by"],
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=note,
            changes={
                "text": [len(stored.text), len(note.text)],
                "signed_at": [None, note.signed_at.isoformat()],
                "signed_by": [None, actor.pk],
            },
        )
        return note


def signed_note_discard(*, actor: User, note: SignedNote, texts: NoteTexts) -> None:
    """Throw away an unsigned draft (its creation stays in the audit log)."""
    stored = _stored_draft(actor, note, texts)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=note,
            changes={"text": [len(stored.text), None]},
        )
        note.delete()
