import binascii
import datetime
from hmac import compare_digest

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from kinsight.accounts.models import ApiToken

# How often a token's "last used" is written: at most once a minute, not per request.
LAST_USED_STEP = datetime.timedelta(minutes=1)


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session auth for the API that, like the UI, needs the TOTP step done."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.OTP_REQUIRED and not user.is_verified():
            return None
        return result


class StaffTokenAuthentication(TokenAuthentication):
    """knox's hashed-token authentication (``Authorization: Token <token>``), reading
    the token, its user and the user's municipality in one query. An expired token is
    refused (it stays listed on *Mitt konto* as expired until revoked); an inactive
    user's token too. The token's last use is written at most once a minute."""

    def authenticate_credentials(self, token: bytes) -> tuple[object, ApiToken]:
        refused = exceptions.AuthenticationFailed(_("Ogiltig eller utgången API-nyckel."))
        try:
            text = token.decode("utf-8")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error, ValueError):
            raise refused from None
        candidates = ApiToken.objects.select_related("user__municipality").filter(
            token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]
        )
        now = timezone.now()
        for candidate in candidates:
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.expiry is None or candidate.expiry <= now:
                raise refused
            if not candidate.user.is_active:
                raise refused
            if candidate.last_used is None or now - candidate.last_used > LAST_USED_STEP:
                ApiToken.objects.filter(pk=candidate.pk).update(last_used=now)
                candidate.last_used = now
            return (candidate.user, candidate)
        raise refused
