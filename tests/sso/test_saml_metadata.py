"""The identity provider's SAML metadata given as an address: fetched over HTTPS only,
kept ten minutes instead of fetched on every sign-in, and a provider that cannot be
read refuses the sign-in in Swedish while the service provider's own metadata page
still answers."""

import pytest
import requests

from kinsight.sso.models import MatchField, Protocol, SsoConfig
from tests.sso.saml_idp import MFA
from tests.sso.test_settings import OIDC

pytestmark = pytest.mark.django_db
ADDRESS = "https://idp.testkommun.se/metadata"


class Answer:
    def __init__(self, text):
        self.text = text

    def raise_for_status(self):
        pass


@pytest.fixture
def fetched(monkeypatch, idp):
    """The addresses fetched; the provider's metadata answers ADDRESS."""
    calls = []

    def get(url, timeout):
        calls.append(url)
        if url != ADDRESS:
            raise requests.ConnectionError("unreachable")
        return Answer(idp.metadata())

    monkeypatch.setattr("kinsight.sso.saml.requests.get", get)
    return calls


def config_at(municipality, address):
    return SsoConfig.objects.create(
        municipality=municipality,
        protocol=Protocol.SAML,
        provider_name="Sambi",
        saml_idp_metadata_url=address,
        match_claim="employeeNumber",
        match_field=MatchField.EMPLOYEE_ID,
        mfa_values=MFA,
    )


def test_the_metadata_is_fetched_once_and_kept(client, municipality, fetched):
    config_at(municipality, ADDRESS)
    for _attempt in range(3):
        response = client.get(f"/sso/{municipality.code}/saml/login/")
        assert response.status_code == 302 and response["Location"].startswith("http://127.0.0.1")
    assert fetched == [ADDRESS]


def test_an_unreadable_provider_refuses_in_swedish_and_the_own_metadata_answers(
    client, municipality, fetched
):
    config_at(municipality, "https://nere.testkommun.se/metadata")
    response = client.get(f"/sso/{municipality.code}/saml/login/")
    assert response.status_code == 503
    assert "svarar inte som den ska just nu" in response.content.decode()
    own = client.get(f"/sso/{municipality.code}/saml/metadata/")
    assert own.status_code == 200 and b"AssertionConsumerService" in own.content


def test_plain_http_metadata_is_never_fetched(client, municipality, fetched):
    config_at(municipality, "http://idp.testkommun.se/metadata")
    assert client.get(f"/sso/{municipality.code}/saml/login/").status_code == 503
    assert fetched == []


def test_the_settings_refuse_a_metadata_address_without_https(client, login, administrator):
    login(administrator)
    saml = {**OIDC, "protocol": "saml", "saml_idp_metadata_url": "http://idp.example.se/md"}
    response = client.post("/inloggning/", saml)
    assert response.status_code == 400
    assert "måste börja med https://" in response.content.decode()
