"""The leaders' notes on a cycle: a signed note (the one note page of
kinsight.ui.notes) started from the cycle's page and listed there
(groups/_notes.html). The cycle's leaders only: anyone else gets 404."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.groups import queries_notes, services
from kinsight.groups.forms import CycleNoteForm
from kinsight.groups.views.cycles import NAV, _led_cycle
from kinsight.ui import notes
from kinsight.ui.notes import NotePage
from kinsight.ui.routes import route


def _cycle_url(cycle_id):
    return reverse("groups:cycle_detail", args=[cycle_id])


NOTE_PAGE = NotePage(
    template="groups/note_edit.html",
    form_class=CycleNoteForm,
    save=services.cycle_note_save,
    sign=services.cycle_note_sign,
    discard=services.cycle_note_discard,
    autosave="groups:cycle_note_autosave",
    back=lambda note: _cycle_url(note.cycle_id),
    signed_message=gettext_lazy("Anteckningen är signerad och låst."),
    sign_label=gettext_lazy("Signera"),
    draft_key="kinsight-cycle-note-",
)


def _start(request, cycle, corrects=None):
    """A new draft on the cycle (a correction of ``corrects``), then its page."""
    return notes.note_start(
        request,
        lambda: services.cycle_note_create(actor=request.user, cycle=cycle, corrects=corrects),
        edit="groups:cycle_note_edit",
        back=_cycle_url(cycle.pk),
    )


@route("stodgrupper/omgangar/<int:pk>/anteckningar/ny/", name="cycle_note_new")
@require_POST
def cycle_note_new(request, pk):
    return _start(request, _led_cycle(request, pk))


@route("stodgrupper/anteckningar/<int:pk>/ratta/", name="cycle_note_correct")
@require_POST
def cycle_note_correct(request, pk):
    original = queries_notes.cycle_note_for_write(actor=request.user, pk=pk, action="view")
    return _start(request, _led_cycle(request, original.cycle_id), corrects=original)


@route("stodgrupper/anteckningar/<int:pk>/", name="cycle_note_edit")
def cycle_note_edit(request, pk):
    note = queries_notes.cycle_note_get(actor=request.user, pk=pk)
    return notes.note_edit(request, note, NOTE_PAGE, cycle=note.cycle, nav=NAV)


@route("stodgrupper/anteckningar/<int:pk>/autospara/", name="cycle_note_autosave")
@require_POST
def cycle_note_autosave(request, pk):
    """htmx: save the draft; answers with a status line (and the new version)."""
    note = queries_notes.cycle_note_for_write(actor=request.user, pk=pk, action="view")
    return notes.note_autosave(request, note, NOTE_PAGE)
