import pytest

from kinsight.sso.models import MatchField, Protocol, SsoConfig
from tests.sso.oidc_provider import OidcProvider
from tests.sso.saml_idp import MFA, SamlIdp, key_and_certificate

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


@pytest.fixture
def idp(tmp_path):
    with SamlIdp(tmp_path) as running:
        yield running


@pytest.fixture
def saml_config(client, municipality, idp, tmp_path, settings):
    settings.KINSIGHT_SSO_SECRETS_DIR = str(tmp_path)
    key_file, cert_file = key_and_certificate(tmp_path, "sp")
    config = SsoConfig.objects.create(
        municipality=municipality,
        protocol=Protocol.SAML,
        provider_name="Sambi",
        saml_idp_metadata_xml=idp.metadata(),
        saml_sp_key_file=key_file,
        saml_sp_cert_file=cert_file,
        match_claim="employeeNumber",
        match_field=MatchField.EMPLOYEE_ID,
        groups_claim="memberOf",
        mfa_values=MFA,
    )
    idp.trust(client.get(f"/sso/{municipality.code}/saml/metadata/").content.decode())
    return config
