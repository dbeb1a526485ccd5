"""What the family pages share: the form page (a form, its service, its message, where
to go next)."""

from kinsight.ui import forms_flow

NAV = "family"


def form_page(request, form, call, *, done, title, back, then=None, intro=""):
    """A page with one form: on a valid POST ``call(cleaned_data)``; when it saves,
    the message ``done`` and to ``then`` (a URL, or a function of what was saved; by
    default ``back``, where the cancel link goes); otherwise the form again with the
    user's input, 400 when it has errors."""
    return forms_flow.form_page(
        request,
        form,
        call,
        done=done,
        back_to=then or back,
        template="ui/form_page.html",
        context={"title": title, "cancel_url": back, "intro": intro, "nav": NAV},
    )
