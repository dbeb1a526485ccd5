"""The one way a form view calls a service: validation errors land on the form,
a stale edit keeps the user's input and says what happened, nothing is half-saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from kinsight.core.services import StaleEdit


def run_service(request, form, call):
    """Call ``call()``; on a ValidationError or StaleEdit, put the message on the form
    and return None so the view re-renders the form with the user's input."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except StaleEdit as error:
        form.add_error(None, str(error))
        messages.error(request, str(error))
    return None


def post_on_detail(request, form, call, *, done, back_to, page):
    """A form posted from an object's page (a status, an assignment, a step): when the
    form is valid and ``call(cleaned_data)`` saves, the message ``done`` (a text, or a
    function of what was saved) and back to ``back_to`` (a URL); otherwise
    ``page(form)``, the object's page again with the form and its errors, answered 400
    so the input is kept and nothing is half-saved."""
    if form.is_valid():
        saved = run_service(request, form, lambda: call(form.cleaned_data))
        if saved:
            messages.success(request, done(saved) if callable(done) else done)
            return redirect(back_to)
    response = page(form)
    response.status_code = 400
    return response
