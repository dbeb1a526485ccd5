"""Single sign-on in a real browser: the administrator turns on OpenID Connect for the
municipality, and a case worker signs in through the provider (tests/sso's OIDC
provider on a local port) without a TOTP code, then logs out at the provider too.
Every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.sso.oidc_provider import OidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(monkeypatch):
    with OidcProvider(client_id="kinsight", client_secret="hemligt-b") as running:
        monkeypatch.setenv("KINSIGHT_OIDC_SECRET_B", running.client_secret)
        yield running


def test_an_administrator_turns_on_oidc_and_a_case_worker_signs_in_through_it(
    page, app_url, provider, municipality, org, administrator
):
    worker = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.ADULTS_ADDICTION],
        email="sara.sso@testkommun.se",
    )
    login(page, app_url, administrator, factories.totp_device(administrator))
    page.get_by_role("link", name="Inloggning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggning")
    assert_accessible(page)
    page.get_by_label("Inloggningssätt").select_option("oidc")
    page.get_by_label("Identitetsleverantörens namn").fill("Testkommuns Entra ID")
    page.get_by_label("Utfärdare (issuer)").fill(provider.issuer)
    page.get_by_label("Klient-id").fill(provider.client_id)
    page.get_by_label("Klienthemlighetens källa").fill("env:KINSIGHT_OIDC_SECRET_B")
    page.get_by_label("Värden som räknas som tvåstegsverifiering").fill("mfa")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Inloggningsinställningarna är sparade")
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    provider.person = {"sub": "s-1", "email": worker.email, "acr": "mfa"}
    page.goto(f"{app_url}/konto/logga-in/")
    assert_accessible(page)
    page.get_by_role("link", name="Logga in med Testkommuns Entra ID").click()
    expect(page).to_have_url(f"{app_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    assert_accessible(page)
    assert AuditEntry.objects.filter(action="login", actor=worker).exists()

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/konto/logga-in/$"))
    assert provider.ended and provider.ended[0]["client_id"] == "kinsight"


def test_a_refused_sign_in_says_why(page, app_url, provider, municipality, org):
    from kinsight.sso.models import SsoConfig

    SsoConfig.objects.create(
        municipality=municipality,
        protocol="oidc",
        provider_name="Testkommuns Entra ID",
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_secret_source="env:KINSIGHT_OIDC_SECRET_B",
        mfa_values="mfa",
    )
    provider.person = {"sub": "s-2", "email": "okand@testkommun.se", "acr": "mfa"}
    page.goto(f"{app_url}/konto/logga-in/")
    page.get_by_role("link", name="Logga in med Testkommuns Entra ID").click()
    expect(page.get_by_role("alert")).to_contain_text("Du har inget konto i Kinsight")
    assert_accessible(page)
