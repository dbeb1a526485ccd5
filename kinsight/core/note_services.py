"""Writes to signed notes (kinsight.core.notes.SignedNote), shared by every app that
keeps one: create a draft (or a correction), save the draft (also the autosave), sign,
discard. Each app makes one ``NoteWrites`` of its note model and its own wording
(``NoteTexts``); its create service checks the parent (may the actor write on this
case, this meeting?) and calls ``create``. Each write takes the acting user, checks,
writes and audits in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record, audit_updated
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


class NoteWrites(Generic[_N]):
    """The writes of one app's signed notes (``model``), refused in its own words
    (``texts``). ``save_draft``, ``sign`` and ``discard`` are the app's services as they
    are (``note_sign = NOTES.sign``); ``create`` serves the app's own create service,
    which first checks that the actor may write on the parent."""

    def __init__(self, model: type[_N], texts: NoteTexts) -> None:
        self.model = model
        self.texts = texts

    def create(
        self, *, actor: User, parent: Any, text: str = "", corrects: _N | None = None, **extra: Any
    ) -> _N:
        """A new draft on ``parent`` (a correction when ``corrects`` is a signed note of
        the same parent). ``extra``: the model's own fields (e.g. a journal note's unit)."""
        model = self.model
        if corrects is not None:
            require(model.objects.visible_to(actor, "view"), corrects)
            if getattr(corrects, f"{model.parent}_id") != parent.pk or not corrects.is_signed:
                raise ValidationError(self.texts.not_correctable)
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

    def _stored_draft(self, actor: User, note: _N) -> _N:
        """The note as stored, refused when it is signed (whoever asks: the refusal
        keeps the text in the form) or when ``actor`` may not change it."""
        stored = type(note)._base_manager.get(pk=note.pk)
        if stored.is_signed:
            raise ValidationError({"text": self.texts.signed})
        require(type(note).objects.visible_to(actor, "change"), note)
        return stored

    def save_draft(self, *, actor: User, note: _N, text: str, expected_version: int | None) -> _N:
        """Save and autosave: only the author, only while unsigned; a save that changes
        nothing (autosave on leaving the text box) writes nothing."""
        stored = self._stored_draft(actor, note)
        if stored.text == (text or "") and stored.version == expected_version:
            return note
        with transaction.atomic():
            note.text = text or ""
            note.updated_at = timezone.now()
            save_versioned(note, expected_version=expected_version, fields=["text", "updated_at"])
            if stored.text != note.text:
                audit_updated(actor, note, {"text": [len(stored.text), len(note.text)]})
            return note

    def sign(self, *, actor: User, note: _N, text: str, expected_version: int | None) -> _N:
        """Save the final text and sign: from now on the note never changes."""
        stored = self._stored_draft(actor, note)
        if not (text or "").strip():
            raise ValidationError({"text": self.texts.empty})
        with transaction.atomic():
            note.text = text
            note.updated_at = note.signed_at = timezone.now()
            note.signed_by = actor
            save_versioned(
                note,
                expected_version=expected_version,
                fields=["text", "updated_at", "signed_at", "signed_by"],
            )
            return audit_updated(
                actor,
                note,
                {
                    "text": [len(stored.text), len(note.text)],
                    "signed_at": [None, note.signed_at.isoformat()],
                    "signed_by": [None, actor.pk],
                },
            )

    def discard(self, *, actor: User, note: _N) -> None:
        """Throw away an unsigned draft (its creation stays in the audit log)."""
        stored = self._stored_draft(actor, note)
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                obj=note,
                changes={"text": [len(stored.text), None]},
            )
            note.delete()
