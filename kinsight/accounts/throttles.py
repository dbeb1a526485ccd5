"""API throttling: per user and per token, counted by DRF in the cache. The address
of a request without a user is the one the audit log records (trusted proxies only)."""

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from kinsight.accounts.models import ApiToken
from kinsight.audit.middleware import client_ip


class UserThrottle(UserRateThrottle):
    """KINSIGHT_API_RATE_USER requests per signed-in user, whatever the token or
    session; before sign-in, per client address."""

    scope = "user"

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class TokenThrottle(SimpleRateThrottle):
    """KINSIGHT_API_RATE_TOKEN requests per API token, so one script cannot use up
    the user's whole allowance. Session requests are not counted here."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.ref.hex}
