"""The leaders' notes on a cycle: a signed note (the one note page of
kinsight.ui.notes) started from the cycle's page and listed there
(groups/_notes.html). The cycle's leaders only: anyone else gets 404."""

from functools import partial

from django.views.decorators.http import require_POST

from kinsight.groups import queries_notes, services
from kinsight.groups.forms import CycleNoteForm
from kinsight.groups.services.notes import NOTES
from kinsight.groups.views.cycles import NAV, _led_cycle
from kinsight.ui.notes import NotePage
from kinsight.ui.routes import route

NOTE_PAGE = NotePage(
    "groups:cycle_note", CycleNoteForm, NOTES, parent_page="groups:cycle_detail", nav=NAV
)


@route("stodgrupper/omgangar/<int:pk>/anteckningar/ny/", name="cycle_note_new")
@route("stodgrupper/anteckningar/<int:pk>/ratta/", name="cycle_note_correct", correct=True)
@require_POST
def cycle_note_new(request, pk, correct=False):
    """A new note on the cycle ``pk``, or (``correct``) a correction of the note ``pk``."""
    original = None
    if correct:
        original = queries_notes.cycle_note_for_write(actor=request.user, pk=pk, action="view")
    cycle = _led_cycle(request, original.cycle_id if original else pk)
    return NOTE_PAGE.start(request, services.cycle_note_create, cycle, corrects=original)


@route("stodgrupper/anteckningar/<int:pk>/", name="cycle_note_edit")
@route("stodgrupper/anteckningar/<int:pk>/autospara/", name="cycle_note_autosave", autosave=True)
def cycle_note_edit(request, pk, autosave=False):
    """The draft's page, or (htmx, POST) its autosave: one view, NotePage.answer."""
    read = (
        partial(queries_notes.cycle_note_for_write, action="view")
        if autosave
        else queries_notes.cycle_note_get
    )
    return NOTE_PAGE.answer(request, read, pk, autosave=autosave)
