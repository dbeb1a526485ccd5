"""The foundation in a real browser: sign-in with two-factor, first enrolment, the
administrator's pages, logout everywhere and the audit log. Every page a test visits
must pass axe-core without serious or critical violations."""

import re

import pytest
from playwright.sync_api import expect

from kinsight.core.models import Role, UnitType
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    login,
    submit_password,
    totp_code_from_secret,
    wrong_totp_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_URL = re.compile(r"/konto/logga-in/(\?.*)?$")


@pytest.fixture
def administrator_with_device(municipality, org):
    """An administrator (systemförvaltare) whose authenticator app is set up."""
    user = factories.staff(
        municipality,
        role=Role.ADMINISTRATOR,
        unit=org["board"],
        username="admin1",
        first_name="Alva",
        last_name="Systemsson",
    )
    return user, factories.totp_device(user)


@pytest.fixture
def colleague(municipality, org):
    return factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.FAMILIES],
        username="karin.l",
        first_name="Karin",
        last_name="Lindqvist",
    )


def test_it_lets_an_administrator_sign_in_and_manage_the_organisation_and_staff(
    page, app_url, administrator_with_device, colleague, org
):
    admin, device = administrator_with_device
    login(page, app_url, admin, device, check=assert_accessible)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Alva")
    assert_accessible(page)

    # Organisation: a new unit of type "Våld" under the district shows in the tree.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Organisation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert_accessible(page)
    page.get_by_role("link", name="Ny organisationsenhet").click()
    expect(page).to_have_url(f"{app_url}/organisation/ny/")
    assert_accessible(page)
    page.get_by_label("Namn").fill("Våldsteamet Norr")
    page.get_by_label("Nivå").select_option(label="Enhet")
    page.get_by_label("Ingår i").select_option(label="Norr")
    page.get_by_label("Enhetstyp").select_option(label="Våld")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(f"{app_url}/organisation/")
    expect(page.get_by_role("status")).to_contain_text("Våldsteamet Norr är sparad.")
    row = page.get_by_role("row").filter(has_text="Våldsteamet Norr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("Enhet")
    expect(row.get_by_role("cell").nth(2)).to_have_text("Våld")
    assert_accessible(page)

    # Personal: the search narrows the list as one types (htmx), without a reload.
    page.get_by_role("link", name="Personal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal")
    results = page.locator("#staff-results")
    expect(results.get_by_role("link", name="Alva Systemsson")).to_be_visible()
    assert_accessible(page)
    page.evaluate("window.__notReloaded = true")
    page.wait_for_load_state("load")  # htmx binds its listeners on load
    page.get_by_label("Sök namn eller användarnamn").fill("Lindqvist")
    expect(results.get_by_role("link", name="Alva Systemsson")).to_have_count(0)
    expect(results.get_by_role("link", name="Karin Lindqvist")).to_be_visible()
    assert page.evaluate("window.__notReloaded === true"), "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"/personal/\?.*q=Lindqvist"))
    assert_accessible(page)

    # A person: add a role in the new unit.
    results.get_by_role("link", name="Karin Lindqvist").click()
    expect(page).to_have_url(f"{app_url}/personal/{colleague.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Karin Lindqvist")
    assert_accessible(page)
    roles = page.get_by_role("region", name="Roller")
    roles.get_by_role("combobox", name="Enhet", exact=True).select_option(label="Våldsteamet Norr")
    roles.get_by_role("combobox", name="Roll", exact=True).select_option(label="Enhetschef")
    roles.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text("Rollen är tillagd.")
    new_role = page.get_by_role("row").filter(has_text="Våldsteamet Norr")
    expect(new_role).to_contain_text("Enhetschef")
    assert_accessible(page)

    # A new member of staff with a temporary password.
    page.get_by_role("link", name="Personal", exact=True).click()
    page.get_by_role("link", name="Ny medarbetare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny medarbetare")
    assert_accessible(page)
    page.get_by_label("Förnamn").fill("Nils")
    page.get_by_label("Efternamn").fill("Nyström")
    page.get_by_label("Användarnamn").fill("nils.n")
    page.get_by_label("Tillfälligt lösenord").fill("Sommar-i-Norrland-2026")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(re.compile(r"/personal/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nils Nyström")
    expect(page.get_by_role("status")).to_contain_text("Nils Nyström är sparad.")
    assert_accessible(page)

    # Mitt konto.
    page.get_by_role("link", name="Mitt konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    expect(page.get_by_role("button", name="Logga ut överallt")).to_be_visible()
    assert_accessible(page)


def test_it_enrols_a_new_authenticator_on_first_sign_in(page, app_url, municipality, org):
    newcomer = factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.CHILDREN_YOUTH],
        username="ny.person",
        first_name="Nora",
    )
    submit_password(page, app_url, newcomer.username)
    expect(page).to_have_url(f"{app_url}/konto/aktivera-tvastegsverifiering/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert_accessible(page)

    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Engångskod").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="Aktivera").click()

    expect(page).to_have_url(f"{app_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Nora")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert_accessible(page)


def test_it_says_what_went_wrong_on_a_wrong_password_or_code(
    page, app_url, administrator_with_device
):
    admin, device = administrator_with_device
    submit_password(page, app_url, admin.username, password="fel-lösenord-123")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord.")
    expect(page.get_by_label("Användarnamn")).to_have_value(admin.username)
    assert_accessible(page)

    submit_password(page, app_url, admin.username)
    expect(page).to_have_url(f"{app_url}/konto/tvastegsverifiering/")
    page.get_by_label("Engångskod").fill(wrong_totp_code(device))
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(f"{app_url}/konto/tvastegsverifiering/")
    code = page.get_by_label("Engångskod")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_code_error")).to_contain_text("Koden stämmer inte.")
    expect(page.get_by_role("alert")).to_contain_text("Engångskod: Koden stämmer inte.")
    assert_accessible(page)


def test_it_ends_every_session_on_logout_everywhere(
    page, new_context, app_url, administrator_with_device
):
    admin, device = administrator_with_device
    other_context = new_context()
    other = other_context.new_page()
    login(page, app_url, admin, device)
    login(other, app_url, admin, device)

    other.goto(f"{app_url}/personal/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Personal")

    page.goto(f"{app_url}/konto/sakerhet/")
    page.get_by_role("button", name="Logga ut överallt").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("status")).to_contain_text(
        "Du är utloggad från alla enheter och webbläsare."
    )
    assert_accessible(page)

    other.goto(f"{app_url}/personal/")
    expect(other).to_have_url(LOGIN_URL)
    expect(other.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(other)


def test_it_shows_the_audit_log_to_a_log_reviewer_only(
    page, new_context, app_url, municipality, org, administrator_with_device
):
    admin, admin_device = administrator_with_device
    reviewer = factories.staff(
        municipality,
        role=Role.LOG_REVIEWER,
        unit=org["board"],
        username="granskare",
        first_name="Greta",
        last_name="Granskare",
    )
    reviewer_device = factories.totp_device(reviewer)

    login(page, app_url, admin, admin_device)
    expect(page.get_by_role("link", name="Logg", exact=True)).to_have_count(0)
    response = page.goto(f"{app_url}/logg/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    assert_accessible(page)

    reviewer_page = new_context().new_page()
    login(reviewer_page, app_url, reviewer, reviewer_device)
    reviewer_page.get_by_role("link", name="Logg", exact=True).click()
    expect(reviewer_page).to_have_url(f"{app_url}/logg/")
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text(
        "Logg över läsningar och ändringar"
    )
    logins = reviewer_page.get_by_role("row").filter(
        has=reviewer_page.get_by_role("cell", name="Inloggning", exact=True)
    )
    expect(logins.filter(has_text="Alva Systemsson")).to_have_count(1)
    expect(logins.filter(has_text="Greta Granskare")).to_have_count(1)
    assert_accessible(reviewer_page)
