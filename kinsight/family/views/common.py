"""What the family pages share: the form page (a form, its service, its message, where
to go next) and a button posted from a page (the service, its message, back)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from kinsight.core.versioning import StaleEdit
from kinsight.ui import forms_flow

NAV = "family"


def form_page(request, form, call, *, done, then, title, back, intro=""):
    """A page with one form: on a valid POST ``call(cleaned_data)``; when it saves,
    the message ``done`` and to ``then(saved)`` (a URL); otherwise the form again with
    the user's input, 400 when it has errors."""
    return forms_flow.form_page(
        request,
        form,
        call,
        done=done,
        back_to=then,
        template="ui/form_page.html",
        context={"title": title, "cancel_url": back, "intro": intro, "nav": NAV},
    )


def act_and_back(request, call, *, done, back):
    """A button posted from a page (leave, hand over, end, close): ``call()``, its
    message (``done``: a text, or a function of what was saved) or the reason it was
    refused, and back to ``back`` (a URL)."""
    try:
        saved = call()
        messages.success(request, done(saved) if callable(done) else done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleEdit as error:
        messages.error(request, str(error))
    return redirect(back)
