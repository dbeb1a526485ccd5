"""Every page needs a signed-in member of staff; with two-factor required, one who
has also given a TOTP code in this session. The API answers for itself (401/403 JSON).
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

PUBLIC_PREFIXES = (
    "/konto/logga-in/",
    "/konto/tvastegsverifiering/",
    "/konto/aktivera-tvastegsverifiering/",
    "/konto/logga-ut/",
    "/healthz",
    "/static/",
    "/i18n/",
    "/api/",
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
