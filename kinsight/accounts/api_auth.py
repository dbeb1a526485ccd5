from django.conf import settings
from rest_framework.authentication import SessionAuthentication


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
