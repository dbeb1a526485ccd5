"""Loading the signed-in member of staff: the user, their municipality and the TOTP
device the session was verified with, in one query.

Django reads the user (AuthenticationMiddleware, through the backend's ``get_user``),
django-otp then the device (OTPMiddleware), and the first page that names the
municipality a third row: three statements on every request. ``StaffBackend`` reads
the device with its user and the user's municipality joined, when the session names a
device. Django still checks the session's backend and auth hash, an inactive user is
refused as ModelBackend refuses one, and django-otp still checks that the device is
the user's and confirmed (kinsight.accounts.middleware.OTPMiddleware): nothing is
checked less than before, only read together.
"""

import contextvars

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

# The request whose user is being loaded (set only around django.contrib.auth.get_user:
# a backend's get_user is given the user id alone).
loading_for = contextvars.ContextVar("kinsight_auth_request", default=None)


def _session_device_id(request):
    """The id of the TOTP device the request's session names, or None."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) or ""
    label, _, device_id = persistent_id.rpartition("/")
    if label != TOTPDevice.model_label() or not device_id.isdigit():
        return None
    return int(device_id)


class StaffBackend(BaseBackend):
    """Loads the user of a session signed in through it (the login view names it),
    with their municipality and, when the session names one, their TOTP device.
    Passwords and permissions stay ModelBackend's: this backend authenticates nobody
    and grants nothing, so a wrong password is still hashed once. A session signed in
    through ModelBackend itself (``force_login`` in a command) is loaded as Django
    does, in three queries."""

    def get_user(self, user_id):
        request = loading_for.get()
        device_id = _session_device_id(request) if request is not None else None
        device = None
        if device_id is not None:
            device = (
                TOTPDevice.objects.select_related("user__municipality")
                .filter(pk=device_id, user_id=user_id)
                .first()
            )
        if device is not None:
            user = device.user
            user.session_device = device
        else:
            users = get_user_model()._default_manager.select_related("municipality")
            user = users.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
