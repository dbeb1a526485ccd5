"""OpenID Connect through mozilla-django-oidc, configured per municipality: its views and
backend read their OIDC_* settings from the municipality's SsoConfig and the provider's
discovery document instead of from Django's settings."""

from typing import Any
from urllib.parse import urlencode

import requests
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from kinsight.sso import services
from kinsight.sso.models import SsoConfig

TIMEOUT = 10
DISCOVERY_SECONDS = 600


def discovery(config: SsoConfig) -> dict[str, Any]:
    """The provider's /.well-known/openid-configuration (kept ten minutes). Refused when
    it cannot be read or names another issuer."""
    issuer = config.oidc_issuer.rstrip("/")
    key = f"kinsight-sso-oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
            answer.raise_for_status()
            document = answer.json()
        except (requests.RequestException, ValueError):
            document = {}
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise services.SsoRefused(str(services.UNAVAILABLE), "discovery")
        cache.set(key, document, DISCOVERY_SECONDS)
    return dict(document)


def oidc_settings(config: SsoConfig, document: dict[str, Any], *, secret: bool) -> dict[str, Any]:
    """mozilla-django-oidc's settings for this municipality."""
    values = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": document["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": document["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": document.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": document["jwks_uri"],
        "OIDC_RP_CLIENT_ID": config.oidc_client_id,
        "OIDC_RP_CLIENT_SECRET": "",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": config.oidc_scopes or "openid email",
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:oidc_callback",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_TIMEOUT": TIMEOUT,
    }
    if secret:
        values["OIDC_RP_CLIENT_SECRET"] = services.secret_of(config.oidc_secret_source)
    return values


class Configured:
    """Reads the OIDC_* settings from ``self.oidc`` before Django's settings."""

    oidc: dict[str, Any] = {}

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self.oidc:
            return self.oidc[attr]
        return import_from_settings(attr, *args)


class RequestView(Configured, OIDCAuthenticationRequestView):
    """mozilla-django-oidc's redirect to the provider, with the municipality's settings;
    a confirmation (``?fresh=1``) asks the provider to ask the person again."""

    def get_extra_params(self, request: Any) -> dict[str, str]:
        params = dict(super().get_extra_params(request))
        if request.GET.get(services.FRESH):
            params.update(prompt="login", max_age="0")
        return params


class Backend(Configured, OIDCAuthenticationBackend):
    """mozilla-django-oidc's code exchange and ID token check (signature by the
    provider's keys, nonce, PKCE), then Kinsight's own checks: the token's issuer and
    audience, the subject of userinfo, and services.sso_sign_in."""

    def __init__(self, config: SsoConfig, oidc: dict[str, Any]) -> None:
        self.config = config
        self.oidc = oidc
        self.two_factor = False
        # When the sign-in confirms before an export: when we asked (auth_time after it).
        self.fresh_from: float | None = None
        super().__init__()

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = str(payload.get("iss", "")).rstrip("/")
        if (
            issuer != self.config.oidc_issuer.rstrip("/")
            or self.config.oidc_client_id not in audiences
        ):
            raise SuspiciousOperation("ID token from another issuer or for another client")
        if self.fresh_from is not None:
            auth_time = payload.get("auth_time")
            signed_in_at = float(auth_time) if isinstance(auth_time, int | float) else None
            services.require_fresh(self.config, signed_in_at, self.fresh_from)
        claims = dict(payload)
        if self.oidc.get("OIDC_OP_USER_ENDPOINT"):
            info = self.get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject")
            claims.update(info)
        mfa = set(services.as_values(payload.get("acr"))) | set(
            services.as_values(payload.get("amr"))
        )
        assertion = services.Assertion(
            protocol="oidc",
            claims={name: services.as_values(value) for name, value in claims.items()},
            mfa=mfa,
        )
        user, self.two_factor = services.sso_sign_in(config=self.config, assertion=assertion)
        return user


def logout_url(config: SsoConfig, back: str) -> str | None:
    """The provider's end_session_endpoint, when it has one. The ID token is not kept
    (it carries personal claims), so the client id names the sign-in (RP-initiated
    logout 1.0 allows either)."""
    try:
        endpoint = discovery(config).get("end_session_endpoint")
    except services.SsoRefused:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "post_logout_redirect_uri": back,
            "client_id": config.oidc_client_id,
        }
    )
    return f"{endpoint}?{query}"
