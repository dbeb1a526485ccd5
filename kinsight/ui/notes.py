"""The page of a signed note (kinsight.core.notes), one for every app that keeps one:
write with autosave, save the draft, sign, throw the draft away; the autosave answer.
An app describes its note page once (``NotePage``); one view answers on both routes
of a new draft and a correction (``NotePage.start`` with the parent it reads) and one
on both routes of the page and its autosave (``NotePage.answer`` with how it reads the
note); the reads answer 404 and 403."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.core.forms import VersionField
from kinsight.core.versioning import StaleEdit
from kinsight.ui.forms_flow import form_page


class SignedNoteForm(forms.Form):
    """The text of a draft and the version it was read at; an app names the text
    (``text_label``) and says how it is signed and corrected (``text_help``)."""

    text_label = gettext_lazy("Anteckning")
    text_help: str | Promise = ""

    version = VersionField()
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = self.text_label
        self.fields["text"].help_text = self.text_help


@dataclass(frozen=True)
class NotePage:
    """What one app's note page is made of. The rest follows from ``name`` ("app:note"),
    one naming for every app: the URL names "app:note_edit" (the page, argument: the
    note's pk) and "app:note_autosave", the template "app/note_edit.html" (it includes
    "ui/_signed_note_form.html"), the browser's key for unsaved text "kinsight-note-<pk>".
    The page goes back to the note's parent (``parent_page``: the URL name of its page)
    and has the parent in its context under the parent's name ("case", "meeting")."""

    name: str
    form_class: type  # a SignedNoteForm
    writes: Any  # the app's NoteWrites (kinsight.core.note_services): save, sign, discard
    parent_page: str
    nav: str  # the menu item the page is under
    signed_message: str | Promise = gettext_lazy("Anteckningen är signerad och låst.")
    sign_label: str | Promise = gettext_lazy("Signera")  # the sign button

    def back(self, note) -> str:
        """The URL of the page the note belongs to."""
        return reverse(self.parent_page, args=[getattr(note, f"{note.parent}_id")])

    def answer(self, request, read: Callable, pk: int, *, autosave: bool = False):
        """The view of the page, or (``autosave``) of its autosave, POST only; the note
        is ``read(actor=, pk=)`` (404 and 403 answered) once the method is right."""
        if autosave and request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        note = read(actor=request.user, pk=pk)
        return (note_autosave if autosave else note_edit)(request, note, self)

    def start(self, request, create: Callable, parent, corrects=None):
        """POST: a new draft on ``parent`` (a correction of the signed note ``corrects``)
        by the app's service ``create(actor=, <the parent's name>=, corrects=)``, then
        its page; a refusal goes back to the parent's page with the reason."""
        try:
            note = create(
                actor=request.user, corrects=corrects, **{self.writes.model.parent: parent}
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.parent_page, parent.pk)
        return redirect(f"{self.name}_edit", pk=note.pk)


def note_edit(request, note, page):
    """The draft's page: GET shows it (a signed note, or another's, sends back to the
    note on its parent's page); POST saves, signs or discards ("action"), and keeps
    the text with the reason (400) when the service refuses. The context has the
    parent under its name ("case": the case)."""
    back = page.back(note)
    app, name = page.name.split(":")
    if note.author_id != request.user.pk or (note.is_signed and request.method != "POST"):
        return redirect(f"{back}#note-{note.pk}")
    form = page.form_class(
        request.POST or None, initial={"text": note.text, "version": note.version}
    )
    context = dict(
        {note.parent: getattr(note, note.parent)},
        note=note,
        autosave_url=reverse(f"{page.name}_autosave", args=[note.pk]),
        sign_label=page.sign_label,
        draft_key=f"kinsight-{name.replace('_', '-')}-{note.pk}",
        back=back,
        nav=page.nav,
    )
    action = request.POST.get("action", "save")
    return form_page(
        request,
        form,
        lambda data: _act(request, note, page, action, data),
        done=_done(page, action),
        back_to=back,
        template=f"{app}/{name}_edit.html",
        context=context,
    )


def _act(request, note, page, action, data):
    if action == "discard":
        page.writes.discard(actor=request.user, note=note)
        return note
    service = page.writes.sign if action == "sign" else page.writes.save_draft
    return service(
        actor=request.user,
        note=note,
        text=data["text"],
        expected_version=data["version"],
    )


def _done(page, action):
    if action == "discard":
        return _("Utkastet är borttaget.")
    if action == "sign":
        return page.signed_message
    return _("Utkastet är sparat.")


def note_autosave(request, note, page):
    """htmx: save the draft's text; answers with a status line (and the new version)."""
    form = page.form_class(request.POST)
    context = {"note": note, "ok": False}
    if not form.is_valid():
        context["message"] = _("Kunde inte spara: ladda om sidan. Texten finns kvar i rutan.")
        return render(request, "ui/_autosave_status.html", context)
    try:
        page.writes.save_draft(
            actor=request.user,
            note=note,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
        context["ok"] = True
        context["message"] = _("Utkastet sparades %(time)s.") % {
            "time": time_format(timezone.localtime(), "H:i:s")
        }
    except StaleEdit as error:
        context["message"] = str(error)
    except ValidationError as error:
        context["message"] = " ".join(error.messages)
    return render(request, "ui/_autosave_status.html", context)
