import pytest

from kinsight.sso.models import Protocol, SsoConfig
from tests.sso.oidc_provider import OidcProvider

SECRET_ENV = "KINSIGHT_OIDC_SECRET_TEST"


@pytest.fixture
def provider():
    with OidcProvider(client_id="kinsight", client_secret="hemligt-1") as running:
        yield running


@pytest.fixture
def oidc_config(municipality, provider, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, provider.client_secret)
    return SsoConfig.objects.create(
        municipality=municipality,
        protocol=Protocol.OIDC,
        provider_name="Testkommuns Entra ID",
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_secret_source=f"env:{SECRET_ENV}",
        mfa_values="mfa\nhttp://id.elegnamnden.se/loa/1.0/loa3",
    )
