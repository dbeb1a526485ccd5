"""Leaders' notes on a cycle (how the group works, what to change): a signed note
(kinsight.core.note_services), written by the cycle's leaders and seen by them only."""

from django.utils.translation import gettext_lazy

from kinsight.access.rules import require
from kinsight.core.models import User
from kinsight.core.note_services import NoteTexts, NoteWrites
from kinsight.groups.models import Cycle, CycleNote

NOTE_TEXTS = NoteTexts(
    signed=gettext_lazy(
        "Anteckningen är signerad och kan inte ändras. Din text finns kvar i rutan: "
        "skriv en rättelse i stället."
    ),
    empty=gettext_lazy("En tom anteckning kan inte signeras. Skriv texten."),
    not_correctable=gettext_lazy("Bara en signerad anteckning om samma gruppomgång kan rättas."),
)
NOTES = NoteWrites(CycleNote, NOTE_TEXTS)


def cycle_note_create(
    *, actor: User, cycle: Cycle, text: str = "", corrects: CycleNote | None = None
) -> CycleNote:
    """A new draft note on the cycle (a correction when ``corrects`` is a signed
    note of it): the cycle's leaders only (a head of services sees the cycle, not
    what its leaders write about the group)."""
    require(Cycle.objects.visible_to(actor, "change").filter(leaders=actor.pk), cycle)
    return NOTES.create(actor=actor, parent=cycle, text=text, corrects=corrects)


# Save (and autosave) a draft (only the author, only while unsigned), sign, discard.
cycle_note_save = NOTES.save_draft
cycle_note_sign = NOTES.sign
cycle_note_discard = NOTES.discard
