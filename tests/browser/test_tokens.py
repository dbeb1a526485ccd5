"""API tokens in a real browser: a member of staff signed in with two-factor makes a
named token on Mitt konto, sees it once, uses it, and revokes it. Every page passes
axe-core."""

import re

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from kinsight.accounts.models import ApiToken
from kinsight.core.models import Role, UnitType
from tests import factories
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_with_device(municipality, org):
    user = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.ADULTS_ADDICTION],
        username="nyckel",
        first_name="Nils",
        last_name="Nyckelsson",
    )
    return user, factories.totp_device(user)


def answers(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/org-units/").status_code


def test_a_verified_user_makes_a_named_token_sees_it_once_and_revokes_it(
    page, app_url, worker_with_device
):
    user, device = worker_with_device
    login(page, app_url, user, device)
    page.goto(f"{app_url}/konto/sakerhet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    expect(page.get_by_text("Du har inga API-nycklar.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Namn på nyckeln").fill("Rapportskript")
    page.get_by_label("Giltig i dagar").fill("30")
    page.get_by_role("button", name="Skapa API-nyckel").click()
    shown = page.get_by_test_id("api-token")
    expect(shown).to_be_visible()
    token = shown.inner_text().strip()
    assert len(token) == 64
    expect(page.get_by_role("status")).to_contain_text("Den visas bara nu")
    expect(page.get_by_role("row", name=re.compile("Rapportskript"))).to_contain_text("Aldrig")
    assert_accessible(page)
    assert answers(token) == 200

    # Shown once: the page again lists the name, never the token.
    page.goto(f"{app_url}/konto/sakerhet/")
    expect(page.get_by_role("row", name=re.compile("Rapportskript"))).to_be_visible()
    expect(page.get_by_test_id("api-token")).to_have_count(0)
    assert token not in page.content()

    page.get_by_role("button", name="Återkalla Rapportskript").click()
    expect(page.get_by_role("status")).to_contain_text("API-nyckeln ”Rapportskript” är återkallad.")
    expect(page.get_by_text("Du har inga API-nycklar.")).to_be_visible()
    assert_accessible(page)
    assert not ApiToken.objects.exists()
    assert answers(token) == 401
