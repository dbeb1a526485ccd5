"""A safe export in a real browser, each page through axe-core: the head of services
signed in a while ago asks for the minimum level's CSV, is asked for the password and a
new code, gives a wrong code and is told so, then gets the file, marked with their name
and the time."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import expect

from kinsight.accounts.reauth import AUTH_AT_KEY
from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role
from tests import factories
from tests.browser.conftest import assert_accessible, login, totp_code, wrong_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def head(municipality, org):
    made = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef"
    )
    return made, factories.totp_device(made)


def signed_in_long_ago(page):
    """Time travel: the browser's session proved who its user is ten minutes ago."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie["value"])
    session[AUTH_AT_KEY] = (timezone.now() - datetime.timedelta(minutes=10)).timestamp()
    session.save()


def test_an_old_sign_in_confirms_before_the_marked_file(page, app_url, head):
    user, device = head
    login(page, app_url, user, device)
    signed_in_long_ago(page)
    page.goto(f"{app_url}/uppfoljning/miniminiva/")
    page.get_by_role("link", name="Ladda ner som CSV").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta att det är du")
    assert_accessible(page)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_label("Engångskod").fill(wrong_totp_code(device))
    page.get_by_role("button", name="Bekräfta och hämta").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden stämmer inte")
    assert_accessible(page)
    assert not AuditEntry.objects.filter(action="export").exists()

    # The wrong code started the device's throttle (a second's wait, doubling); as if
    # that second has passed, whatever the machine's speed:
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_label("Engångskod").fill(totp_code(device))
    with page.expect_download() as download:
        page.get_by_role("button", name="Bekräfta och hämta").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Månad;Nivå;Enhet")
    assert text.splitlines()[-1].startswith("Exporterad av Test Person (ifochef) ")
    assert AuditEntry.objects.filter(action="export", actor=user).count() == 1
