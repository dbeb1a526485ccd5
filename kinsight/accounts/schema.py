from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class VerifiedSessionScheme(SessionScheme):
    """OpenAPI description of the session login (after two-factor) for the API."""

    target_class = "kinsight.accounts.api_auth.VerifiedSessionAuthentication"


class StaffTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI description of the personal API token: ``Authorization: Token <token>``."""

    target_class = "kinsight.accounts.api_auth.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 (a scheme name)
        )
