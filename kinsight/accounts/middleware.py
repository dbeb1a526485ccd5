"""Every page needs a signed-in member of staff; with two-factor required, one who
has also given a TOTP code in this session. The API answers for itself (401/403 JSON).

The session is written when it changed or when its last write is a minute old, not on
every request (SessionMiddleware below).
"""

import time

from django.conf import settings
from django.contrib.sessions import middleware as sessions
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp

from kinsight.accounts import backends, external

PUBLIC_PREFIXES = (
    "/konto/logga-in/",
    "/konto/tvastegsverifiering/",
    "/konto/aktivera-tvastegsverifiering/",
    "/konto/logga-ut/",
    "/sso/",  # sign-in through the municipality's identity provider (kinsight/sso)
    "/healthz",
    "/metrics",  # only from KINSIGHT_METRICS_ALLOWED (kinsight/ui/metrics.py)
    "/tillganglighet/",  # the accessibility statement is public
    "/static/",
    "/i18n/",
    "/api/",
    "/svara/",  # a support-group participant answers with a one-time code, no account
    "/grupper/",  # the open group list and its applications, no account
)


def is_verified(user):
    """Signed in, and (where two-factor is required) verified with TOTP this session."""
    if not user.is_authenticated:
        return False
    return user.is_verified() if settings.OTP_REQUIRED else True


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(PUBLIC_PREFIXES) and not is_verified(request.user):
            login_url = reverse("accounts:login")
            expired = (
                settings.SESSION_COOKIE_NAME in request.COOKIES
                and not request.user.is_authenticated
            )
            query = "?expired=1" if expired else ""
            if request.htmx:
                # A full page load to the login page instead of swapping a login form
                # into the middle of a page.
                return HttpResponseClientRedirect(login_url + query)
            return redirect(login_url + query)
        return self.get_response(request)


class OTPMiddleware(otp.OTPMiddleware):
    """django-otp's, taking the session's TOTP device from the query that read the user
    (kinsight.accounts.backends.StaffBackend) instead of reading it again. The checks
    are django-otp's own: the device must be the user's and confirmed."""

    def _verify_user_sync(self, request, user):
        token = backends.loading_for.set(request)
        try:
            self._init_user_fields(user)  # loads the lazy user, with the device
        finally:
            backends.loading_for.reset(token)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                device = getattr(user, "session_device", None)
                if device is None or device.persistent_id != self._normalize_persistent_id(
                    persistent_id
                ):
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
            if user.otp_device is None:
                # Signed in through a provider whose assertion counted as two-factor.
                user.otp_device = external.session_assertion(request, user)
        return user


# When the session was last written (seconds since the epoch), kept in the session.
REFRESHED_KEY = "kinsight_refreshed"
# A session is written at least this often while it is used, so the idle timeout
# (KINSIGHT_SESSION_IDLE_MINUTES) counts from a write at most this old.
REFRESH_SECONDS = 60


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, writing the session only when it changed or when its last write is
    REFRESH_SECONDS old, instead of on every request (SESSION_SAVE_EVERY_REQUEST: three
    statements on every page). Each write moves the session's expiry to the idle time
    from now, so a session ends between KINSIGHT_SESSION_IDLE_MINUTES minus a minute and
    KINSIGHT_SESSION_IDLE_MINUTES after its last request: up to a minute early, never
    late."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(REFRESHED_KEY, 0) >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now
        return super().process_response(request, response)
