"""The one way a form view calls a service: validation errors land on the form,
a stale edit keeps the user's input and says what happened, nothing is half-saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError

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
