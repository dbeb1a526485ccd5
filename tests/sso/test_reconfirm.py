"""Confirming who you are before an export when you sign in through a provider: the
confirm page sends you to the session's provider, which is told to ask you again (OIDC
``prompt=login`` and ``max_age=0``, SAML ``ForceAuthn``); a provider that answers from
its own older session instead is refused, and the proof stays stale."""

import html
import re
import time
from urllib.parse import urlparse

import pytest
import requests

from kinsight.accounts.reauth import AUTH_AT_KEY
from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.sso.models import StaffIdentity
from tests import factories
from tests.sso.test_oidc import person
from tests.sso.test_oidc import sign_in as oidc_sign_in
from tests.sso.test_saml import form_fields
from tests.sso.test_saml import sign_in as saml_sign_in

pytestmark = pytest.mark.django_db
BACK = "/konto/sakerhet/"
HOUR_AGO = int(time.time()) - 3600


@pytest.fixture
def staff_member(municipality, org):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    user = factories.staff(
        municipality, role=Role.CASE_WORKER, unit=unit, email="anna.berg@testkommun.se"
    )
    StaffIdentity.objects.create(municipality=municipality, user=user, employee_id="E-1042")
    return user


def _stale(client):
    session = client.session
    session[AUTH_AT_KEY] = HOUR_AGO
    session.save()


def _confirm_link(client):
    page = client.get(f"/konto/bekrafta/?next={BACK}")
    assert page.status_code == 200
    return html.unescape(re.search(r'<a href="([^"]+)">Logga in igen', page.content.decode())[1])


def _oidc_confirm(client, provider):
    link = _confirm_link(client)
    response = client.get(link)
    assert response.status_code == 302
    approved = requests.get(response["Location"], allow_redirects=False, timeout=10)
    back = urlparse(approved.headers["Location"])
    return link, client.get(f"{back.path}?{back.query}")


def test_oidc_confirm_asks_the_provider_to_ask_again(client, oidc_config, provider, staff_member):
    provider.signed_in_at = HOUR_AGO  # the provider's own session is an hour old
    assert (
        oidc_sign_in(client, oidc_config.municipality, provider, person(staff_member)).status_code
        == 302
    )
    assert "prompt" not in provider.asked[-1]  # an ordinary sign-in asks nothing more
    _stale(client)
    before = time.time()
    link, response = _oidc_confirm(client, provider)
    assert link.startswith(f"/sso/{oidc_config.municipality.code}/oidc/login/?fresh=1")
    assert (provider.asked[-1]["prompt"], provider.asked[-1]["max_age"]) == ("login", "0")
    assert response.status_code == 302 and response["Location"] == BACK
    assert client.session[AUTH_AT_KEY] >= before


def test_oidc_confirm_refuses_a_provider_that_does_not_ask_again(
    client, oidc_config, provider, staff_member
):
    provider.signed_in_at, provider.honours_prompt = HOUR_AGO, False
    oidc_sign_in(client, oidc_config.municipality, provider, person(staff_member))
    _stale(client)
    _link, response = _oidc_confirm(client, provider)
    assert response.status_code == 403
    assert "bekräftade inte att du loggade in på nytt" in response.content.decode()
    assert client.session[AUTH_AT_KEY] == HOUR_AGO  # no proof
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.changes == {"step": "sso", "reason": "not_reauthenticated"}


def _saml_confirm(client, code):
    link = _confirm_link(client)
    assert link.startswith(f"/sso/{code}/saml/login/?fresh=1")
    response = client.get(link)
    page = requests.get(response["Location"], timeout=10).text
    return client.post(f"/sso/{code}/saml/acs/", form_fields(page))


@pytest.mark.parametrize("honours", [True, False])
def test_saml_confirm_forces_authentication(client, saml_config, idp, staff_member, honours):
    code = saml_config.municipality.code
    idp.signed_in_at, idp.honours_force = HOUR_AGO, honours
    attributes = {"uid": ["abc"], "employeeNumber": ["E-1042"]}
    assert saml_sign_in(client, saml_config.municipality, idp, attributes).status_code == 302
    assert idp.forced == [False]
    _stale(client)
    before = time.time()
    response = _saml_confirm(client, code)
    assert idp.forced == [False, True]
    if honours:
        assert response.status_code == 302 and response["Location"] == BACK
        assert client.session[AUTH_AT_KEY] >= before
    else:
        assert response.status_code == 403
        assert client.session[AUTH_AT_KEY] == HOUR_AGO
        assert AuditEntry.objects.get(action="login_failed").changes["reason"] == (
            "not_reauthenticated"
        )


def test_a_password_session_is_not_sent_to_a_provider(client, login, oidc_config, staff_member):
    login(staff_member)
    page = client.get(f"/konto/bekrafta/?next={BACK}").content.decode()
    assert "/oidc/login/" not in page and 'name="password"' in page
