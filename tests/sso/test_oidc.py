"""Signing in through a real OpenID Connect provider (tests/sso/oidc_provider.py) on a
local port: mozilla-django-oidc's redirect, code exchange and token check, Kinsight's
matching, two-factor rule, roles and audit."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Membership, Role, UnitType, User
from kinsight.sso.models import GroupRole, Protocol, SsoConfig
from tests import factories
from tests.sso.oidc_provider import OidcProvider
from tests.sso.pages import provider_link

pytestmark = pytest.mark.django_db


def person(user=None, **claims):
    found = {"sub": f"sub-{user.pk if user else 'x'}", "email": user.email if user else ""}
    return {**found, "acr": "mfa", **claims}


def sign_in(client, municipality, provider, claims, next_url=""):
    """Start at Kinsight, approve at the provider, come back: the callback's answer."""
    provider.person = claims
    start = f"/sso/{municipality.code}/oidc/login/" + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    approved = requests.get(response["Location"], allow_redirects=False, timeout=10)
    back = urlparse(approved.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def staff_member(municipality, org):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    return factories.staff(
        municipality, role=Role.CASE_WORKER, unit=unit, email="anna.berg@testkommun.se"
    )


def test_it_signs_in_with_the_providers_two_factor_and_asks_no_totp(
    client, oidc_config, provider, staff_member
):
    response = sign_in(client, oidc_config.municipality, provider, person(staff_member))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="login", actor=staff_member)
    assert entry.changes == {"step": "sso", "protocol": "oidc", "two_factor": True}


def test_it_goes_on_to_the_page_asked_for(client, oidc_config, provider, staff_member):
    response = sign_in(
        client, oidc_config.municipality, provider, person(staff_member), "/konto/sakerhet/"
    )
    assert response["Location"] == "/konto/sakerhet/"


def test_it_refuses_a_sign_in_without_the_two_factor_assertion(
    client, oidc_config, provider, staff_member
):
    claims = person(staff_member, acr="http://id.elegnamnden.se/loa/1.0/loa2", amr=["pwd"])
    response = sign_in(client, oidc_config.municipality, provider, claims)
    assert response.status_code == 403
    assert "Inloggningen saknar tvåstegsverifiering" in response.content.decode()
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_id == str(staff_member.pk)
    assert entry.changes == {"step": "sso", "reason": "mfa_missing"}


def test_it_counts_an_amr_value(client, oidc_config, provider, staff_member):
    claims = person(staff_member, acr="loa2", amr=["pwd", "mfa"])
    assert sign_in(client, oidc_config.municipality, provider, claims).status_code == 302


def test_it_refuses_an_unknown_person_without_naming_them_in_the_log(
    client, oidc_config, provider, staff_member
):
    claims = person(None, email="okand@example.se")
    response = sign_in(client, oidc_config.municipality, provider, claims)
    assert response.status_code == 403
    assert "Du har inget konto i Kinsight" in response.content.decode()
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_type == "sso.ssoconfig"
    assert "okand" not in str(entry.changes)


def test_it_refuses_an_inactive_account(client, oidc_config, provider, staff_member):
    staff_member.is_active = False
    staff_member.save()
    response = sign_in(client, oidc_config.municipality, provider, person(staff_member))
    assert response.status_code == 403
    assert "inaktiverat" in response.content.decode()
    assert AuditEntry.objects.get(action="login_failed").changes["reason"] == "inactive"


def test_it_creates_an_unknown_person_without_roles_only_when_turned_on(
    client, oidc_config, provider
):
    oidc_config.create_unknown_users = True
    oidc_config.save()
    claims = person(None, email="ny@testkommun.se", groups=["ifo"])
    assert sign_in(client, oidc_config.municipality, provider, claims).status_code == 302
    user = User.objects.get(email="ny@testkommun.se")
    assert user.municipality_id == oidc_config.municipality_id
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()


def test_it_gives_the_roles_of_mapped_groups_and_ends_them_when_the_group_is_gone(
    client, oidc_config, provider, staff_member, org
):
    unit = org["units"][UnitType.CHILDREN_YOUTH]
    GroupRole.objects.create(
        municipality=oidc_config.municipality,
        config=oidc_config,
        group="ifo-barn",
        role=Role.UNIT_MANAGER,
        unit=unit,
    )
    sign_in(client, oidc_config.municipality, provider, person(staff_member, groups=["ifo-barn"]))
    roles = set(Membership.objects.filter(user=staff_member).values_list("role", flat=True))
    assert roles == {Role.CASE_WORKER, Role.UNIT_MANAGER}
    client.post("/konto/logga-ut/")
    sign_in(client, oidc_config.municipality, provider, person(staff_member, groups=[]))
    roles = set(Membership.objects.filter(user=staff_member).values_list("role", flat=True))
    assert roles == {Role.CASE_WORKER}  # the role given in Kinsight stays
    assert AuditEntry.objects.filter(action="delete", object_type="core.membership").exists()


def test_it_changes_no_roles_from_unmapped_groups(client, oidc_config, provider, staff_member):
    claims = person(staff_member, groups=["administrators", "ifo-barn"])
    sign_in(client, oidc_config.municipality, provider, claims)
    roles = list(Membership.objects.filter(user=staff_member).values_list("role", flat=True))
    assert roles == [Role.CASE_WORKER]


def test_it_does_not_let_another_municipalitys_provider_sign_in_our_staff(
    client, oidc_config, provider, staff_member, other_municipality, monkeypatch
):
    with OidcProvider(client_id="annan", client_secret="hemligt-2") as theirs:
        monkeypatch.setenv("KINSIGHT_OIDC_SECRET_TEST2", theirs.client_secret)
        SsoConfig.objects.create(
            municipality=other_municipality,
            protocol=Protocol.OIDC,
            oidc_issuer=theirs.issuer,
            oidc_client_id=theirs.client_id,
            oidc_secret_source="env:KINSIGHT_OIDC_SECRET_TEST2",
            mfa_values="mfa",
        )
        response = sign_in(client, other_municipality, theirs, person(staff_member))
    assert response.status_code == 403
    assert client.get("/").status_code == 302
    assert not AuditEntry.objects.filter(action="login").exists()


def test_it_refuses_a_callback_it_did_not_start(client, oidc_config):
    response = client.get("/sso/oidc/callback/?code=abc&state=made-up")
    assert response.status_code == 400
    assert "Börja om från inloggningssidan" in response.content.decode()


def test_it_answers_404_for_a_municipality_without_oidc(client, other_municipality, db):
    assert client.get(f"/sso/{other_municipality.code}/oidc/login/").status_code == 404


def test_it_refuses_when_the_client_secret_is_not_where_the_config_says(
    client, oidc_config, provider, staff_member, monkeypatch
):
    monkeypatch.delenv("KINSIGHT_OIDC_SECRET_TEST")
    response = sign_in(client, oidc_config.municipality, provider, person(staff_member))
    assert response.status_code == 403
    assert "klienthemligheten saknas" in response.content.decode()


def test_it_reads_no_other_variable_as_the_client_secret(
    client, oidc_config, provider, staff_member, monkeypatch
):
    monkeypatch.setenv("SECRET_KEY", provider.client_secret)
    oidc_config.oidc_secret_source = "env:SECRET_KEY"  # past the form, straight in the table
    oidc_config.save()
    response = sign_in(client, oidc_config.municipality, provider, person(staff_member))
    assert response.status_code == 403
    assert "klienthemligheten saknas" in response.content.decode()


def test_it_logs_out_at_the_provider_too(client, oidc_config, provider, staff_member):
    sign_in(client, oidc_config.municipality, provider, person(staff_member))
    location = urlparse(provider_link(client.post("/konto/logga-ut/")))
    assert f"{location.scheme}://{location.netloc}" == provider.issuer
    query = parse_qs(location.query)
    assert query["client_id"] == ["kinsight"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/logga-in/"]
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor=staff_member).exists()


def test_the_sign_in_page_offers_the_provider(client, oidc_config):
    page = client.get("/konto/logga-in/").content.decode()
    assert "Logga in med Testkommuns Entra ID" in page
    assert f"/sso/{oidc_config.municipality.code}/oidc/login/" in page
