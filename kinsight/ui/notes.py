"""The page of a signed note (kinsight.core.notes), one for every app that keeps one:
write with autosave, save the draft, sign, throw the draft away; the autosave answer.
An app describes its note page once (``NotePage``) and its views call ``note_edit``
and ``note_autosave`` with the note they read (404 and 403 already answered)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
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
    """What one app's note page is made of."""

    template: str  # the page; it includes "ui/_signed_note_form.html"
    form_class: type  # a SignedNoteForm
    save: Callable  # service(actor=, note=, text=, expected_version=)
    sign: Callable  # service(actor=, note=, text=, expected_version=)
    discard: Callable  # service(actor=, note=)
    autosave: str  # URL name of the autosave view (argument: the note's pk)
    back: Callable  # note -> the URL of the page the note belongs to
    signed_message: str | Promise  # said after signing
    sign_label: str | Promise  # the sign button
    draft_key: str  # the browser's key for unsaved text: a prefix, the pk follows


def note_start(request, create, *, edit, back):
    """POST: a new draft (or a correction) made by ``create()``, then to its page
    (URL name ``edit``); a refusal goes back to ``back`` (a URL) with the reason."""
    try:
        note = create()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return redirect(edit, pk=note.pk)


def note_edit(request, note, page, **context):
    """The draft's page: GET shows it (a signed note, or another's, sends back to the
    note on its parent's page); POST saves, signs or discards ("action"), and keeps
    the text with the reason (400) when the service refuses."""
    back = page.back(note)
    if note.author_id != request.user.pk or (note.is_signed and request.method != "POST"):
        return redirect(f"{back}#note-{note.pk}")
    form = page.form_class(
        request.POST or None, initial={"text": note.text, "version": note.version}
    )
    context.update(
        note=note,
        autosave_url=reverse(page.autosave, args=[note.pk]),
        sign_label=page.sign_label,
        draft_key=f"{page.draft_key}{note.pk}",
        back=back,
    )
    action = request.POST.get("action", "save")
    return form_page(
        request,
        form,
        lambda data: _act(request, note, page, action, data),
        done=_done(page, action),
        back_to=back,
        template=page.template,
        context=context,
    )


def _act(request, note, page, action, data):
    if action == "discard":
        page.discard(actor=request.user, note=note)
        return note
    service = page.sign if action == "sign" else page.save
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
        page.save(
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
