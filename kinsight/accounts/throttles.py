"""API throttling: per user and per token, counted by DRF in Django's cache (per worker
process with the default local-memory cache). Most of the API answers nobody without a
user (401 before anything is counted); the public schema and docs are counted per
client address, the audit log's (trusted proxies only, never a client's own
X-Forwarded-For)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from kinsight.accounts.models import ApiToken
from kinsight.audit.middleware import client_ip


class UserThrottle(UserRateThrottle):
    """KINSIGHT_API_RATE_USER requests per user, whatever the token or session."""

    scope = "user"

    def get_rate(self):
        return settings.API_RATE_USER  # read per request: a setting, not DRF's import-time copy

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class TokenThrottle(SimpleRateThrottle):
    """KINSIGHT_API_RATE_TOKEN requests per API token, so one script cannot use up
    the user's whole allowance. Session requests are not counted here."""

    scope = "token"

    def get_rate(self):
        return settings.API_RATE_TOKEN

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.ref.hex}


class Throttled(exceptions.Throttled):
    """429 in Swedish throughout (DRF's own Swedish stops at its first sentence); DRF
    sets Retry-After from ``wait``. kinsight.core.apibase.exception_handler answers
    every throttled request with it."""

    default_detail = _("För många förfrågningar.")
    # DRF assigns lazy strings here itself; the stubs say str.
    extra_detail_singular = _("Försök igen om {wait} sekund.")  # type: ignore[assignment]
    extra_detail_plural = _("Försök igen om {wait} sekunder.")  # type: ignore[assignment]
