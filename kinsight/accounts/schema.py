from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    """OpenAPI description of the session login (after two-factor) for the API."""

    target_class = "kinsight.accounts.api_auth.VerifiedSessionAuthentication"
