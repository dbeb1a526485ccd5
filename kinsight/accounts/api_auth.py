from django.conf import settings
from rest_framework.authentication import SessionAuthentication, TokenAuthentication


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
    """DRF's token authentication, reading the user's municipality in the same query as
    the token and the user (every answer needs it) instead of in one of its own."""

    def authenticate_credentials(self, key):
        tokens = self.get_model().objects.select_related("user__municipality")
        token = tokens.filter(key=key).first()
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # refuses, in DRF's words
        return (token.user, token)
