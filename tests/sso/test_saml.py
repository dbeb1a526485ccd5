"""Signing in through a real SAML 2.0 identity provider (pysaml2's IdP in
tests/sso/saml_idp.py) on a local port."""

import html
import re
from urllib.parse import urlparse

import pytest
import requests
from saml2.ident import decode

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Membership, Role, UnitType
from kinsight.sso.models import GroupRole, StaffIdentity
from tests import factories
from tests.sso.pages import provider_link
from tests.sso.saml_idp import MFA, PASSWORD_ONLY, SamlIdp

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_member(municipality, org):
    unit = org["units"][UnitType.CHILDREN_YOUTH]
    user = factories.staff(municipality, role=Role.CASE_WORKER, unit=unit)
    StaffIdentity.objects.create(municipality=municipality, user=user, employee_id="E-1042")
    return user


def form_fields(page):
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page)
    }


def sign_in(client, municipality, idp, attributes, class_ref=MFA):
    idp.attributes, idp.class_ref = attributes, class_ref
    response = client.get(f"/sso/{municipality.code}/saml/login/")
    assert response.status_code == 302
    page = requests.get(response["Location"], timeout=10).text
    fields = form_fields(page)
    return client.post(f"/sso/{municipality.code}/saml/acs/", fields)


def test_it_signs_in_with_an_assertion_of_two_factor(client, saml_config, idp, staff_member):
    attributes = {"uid": ["abc"], "employeeNumber": ["E-1042"]}
    response = sign_in(client, saml_config.municipality, idp, attributes)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="login", actor=staff_member)
    assert entry.changes == {"step": "sso", "protocol": "saml", "two_factor": True}


def test_it_refuses_an_assertion_without_two_factor(client, saml_config, idp, staff_member):
    attributes = {"uid": ["abc"], "employeeNumber": ["E-1042"]}
    response = sign_in(client, saml_config.municipality, idp, attributes, PASSWORD_ONLY)
    assert response.status_code == 403
    assert "Inloggningen saknar tvåstegsverifiering" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.get(action="login_failed").changes["reason"] == "mfa_missing"


def test_it_refuses_an_unknown_employee(client, saml_config, idp, staff_member):
    response = sign_in(client, saml_config.municipality, idp, {"employeeNumber": ["E-9"]})
    assert response.status_code == 403
    assert "Du har inget konto i Kinsight" in response.content.decode()


def test_it_gives_the_roles_of_mapped_groups(client, saml_config, idp, staff_member, org):
    GroupRole.objects.create(
        municipality=saml_config.municipality,
        config=saml_config,
        group="cn=ifo-chefer",
        role=Role.HEAD_OF_SERVICES,
        unit=org["administration"],
    )
    attributes = {"employeeNumber": ["E-1042"], "memberOf": ["cn=ifo-chefer", "cn=alla"]}
    sign_in(client, saml_config.municipality, idp, attributes)
    roles = set(Membership.objects.filter(user=staff_member).values_list("role", flat=True))
    assert roles == {Role.CASE_WORKER, Role.HEAD_OF_SERVICES}


def test_it_refuses_an_assertion_signed_by_another_provider(
    client, saml_config, idp, staff_member, tmp_path
):
    metadata = client.get(f"/sso/{saml_config.municipality.code}/saml/metadata/").content
    with SamlIdp(tmp_path, "other") as theirs:
        theirs.trust(metadata.decode())
        theirs.attributes = {"employeeNumber": ["E-1042"]}
        client.get(f"/sso/{saml_config.municipality.code}/saml/login/")
        # Their provider answers our request, signed with their key.
        acs = f"http://testserver/sso/{saml_config.municipality.code}/saml/acs/"
        args = {
            "in_response_to": client.session["kinsight_saml_pending"]["id"],
            "destination": acs,
            "sp_entity_id": f"http://testserver/sso/{saml_config.municipality.code}/saml/metadata/",
            "name_id_policy": None,
            "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        }
        page = theirs.answer(args)["data"]
        answer = client.post(f"/sso/{saml_config.municipality.code}/saml/acs/", form_fields(page))
    assert answer.status_code == 403
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.get(action="login_failed").changes["reason"] == "assertion_invalid"


def test_it_refuses_a_response_to_no_request_of_ours(client, saml_config):
    response = client.post(f"/sso/{saml_config.municipality.code}/saml/acs/", {"SAMLResponse": "x"})
    assert response.status_code == 400


def test_it_logs_out_at_the_provider_too(client, saml_config, idp, staff_member):
    sign_in(client, saml_config.municipality, idp, {"employeeNumber": ["E-1042"]})
    slo = provider_link(client.post("/konto/logga-ut/"))
    assert slo.startswith(f"{idp.base}/slo?SAMLRequest=")
    assert "&Signature=" in slo  # signed with the service provider's key
    assert client.get("/").status_code == 302
    back = urlparse(requests.get(slo, allow_redirects=False, timeout=10).headers["Location"])
    assert idp.logged_out
    done = client.get(f"{back.path}?{back.query}")
    assert done.status_code == 302 and done["Location"] == "/konto/logga-in/"


def test_it_ends_the_session_when_the_provider_logs_the_person_out(
    client, saml_config, idp, staff_member
):
    sign_in(client, saml_config.municipality, idp, {"employeeNumber": ["E-1042"]})
    name_id = decode(client.session["kinsight_sso"]["name_id"])
    sp = f"http://testserver/sso/{saml_config.municipality.code}/saml/metadata/"
    asked = urlparse(idp.logout_request(name_id, sp))
    response = client.get(f"{asked.path}?{asked.query}")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{idp.base}/slo?SAMLResponse=")
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor=staff_member).exists()


def test_it_publishes_the_service_providers_metadata(client, saml_config):
    xml = client.get(f"/sso/{saml_config.municipality.code}/saml/metadata/").content.decode()
    assert "AssertionConsumerService" in xml
    assert f"/sso/{saml_config.municipality.code}/saml/acs/" in xml
