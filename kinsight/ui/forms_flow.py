"""The one way a form view calls a service: validation errors land on the form,
a stale edit keeps the user's input and says what happened, nothing is half-saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

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


# The form field that carries the version an edit started from: the record's own, or
# its plan's when a part is added to a family plan (a goal, a plan intervention).
VERSION_FIELDS = ("version", "plan_version")


def call_with(service, *fields, **given):
    """The ``call`` of a form page: ``service(**given, <field>=data[<field>], …)`` for
    the named fields of the form's cleaned data; its version (``VERSION_FIELDS``) goes
    in as ``expected_version``. ``call_with(services.placement_end, "version",
    "end_on", actor=request.user, placement=placement)``."""

    def call(data):
        values = {name: data[name] for name in fields}
        for name in VERSION_FIELDS:
            if name in values:
                values["expected_version"] = values.pop(name)
        return service(**given, **values)

    return call


def _saved(request, form, call, done, back_to):
    """Run ``call(cleaned_data)`` for a valid form; when it saves, the message ``done``
    (a text, or a function of what was saved) and a redirect to ``back_to`` (a URL, or
    a function of what was saved). None when the form or the service refused."""
    if not form.is_valid():
        return None
    saved = run_service(request, form, lambda: call(form.cleaned_data))
    if not saved:
        return None
    messages.success(request, done(saved) if callable(done) else done)
    return redirect(back_to(saved) if callable(back_to) else back_to)


def form_page(request, form, call, *, done, back_to, template, context):
    """A page with a form (new, edit): on a POST that validates and saves, ``done`` and
    back to ``back_to``; otherwise the page with the form, keeping the user's input
    (400 when the form or the service refused it)."""
    if request.method == "POST":
        response = _saved(request, form, call, done, back_to)
        if response:
            return response
    status = 400 if form.errors else 200  # the input is kept, nothing was saved
    return render(request, template, {"form": form, **context}, status=status)


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


def post_on_detail(request, form, call, *, done, back_to, template, context):
    """A form posted from an object's page (a status, an assignment, a step): when the
    form is valid and ``call(cleaned_data)`` saves, the message ``done`` (a text, or a
    function of what was saved) and back to ``back_to`` (a URL); otherwise the object's
    page again, ``template`` with ``context(form)`` (the page's context holding the form
    and its errors), answered 400 so the input is kept and nothing is half-saved."""
    response = _saved(request, form, call, done, back_to)
    if response:
        return response
    return render(request, template, context(form), status=400)
