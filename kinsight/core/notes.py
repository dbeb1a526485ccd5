"""The signed note, one shape for every app that keeps one (a journal note on a case,
the minutes of a family meeting): a draft until it is signed, autosaved while it is
written; a signed note never changes, a correction is a new note that points to the
one it corrects.

A concrete note names the row it belongs to (``parent``, e.g. ``"case"``) with a
foreign key of that name, and may override ``text`` for its own label. Its queryset
(``SignedNoteQuerySet``) derives the visibility from the parent's: signed notes are
seen with the parent, a draft only by its author. The writes are in
kinsight.core.note_services, the page in kinsight.ui.notes.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned

# What a note's creation audits besides its parent (the parent's field comes first).
NOTE_FIELDS = ["author", "text", "corrects", "signed_at", "signed_by"]


class SignedNoteQuerySet(TenantQuerySet):
    """Signed notes are seen with their parent; a draft only by its author, who may
    change it while it is unsigned and they may ``parent_change_action`` the parent."""

    parent_change_action = "change"

    def _parents(self, user, action):
        parent = self.model._meta.get_field(self.model.parent).related_model
        return {f"{self.model.parent}_id__in": parent.objects.visible_to(user, action).values("pk")}

    def _allow_view(self, user):
        return self.filter(**self._parents(user, "view")).filter(
            Q(signed_at__isnull=False) | Q(author_id=user.pk)
        )

    def _allow_change(self, user):
        return self.filter(
            **self._parents(user, self.parent_change_action),
            author_id=user.pk,
            signed_at__isnull=True,
        )

    def signed(self):
        return self.filter(signed_at__isnull=False)


class SignedNote(TenantModel, Versioned):
    parent = ""  # the name of the foreign key to the row the note belongs to

    author = fields.staff(_("skriven av"))
    text = models.TextField(_("anteckning"), blank=True)
    corrects = fields.reference("self", _("rättar"), optional=True, related_name="corrections")
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("senast sparad"), default=timezone.now, editable=False)
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True, editable=False)
    signed_by = fields.staff(_("signerad av"), optional=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, f'{self.parent}_id')}: {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def parent_object(self):
        return getattr(self, self.parent)


def link_corrections(notes):
    """Give each note its ``correction_list`` (the notes that correct it) for a page
    that lists a parent's notes: no query."""
    corrections = {}
    for note in notes:
        if note.corrects_id:
            corrections.setdefault(note.corrects_id, []).append(note)
    for note in notes:
        note.correction_list = corrections.get(note.pk, [])
    return notes
